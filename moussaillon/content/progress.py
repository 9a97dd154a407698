"""What each student has read. Views are recorded as events; summaries are derived from them."""

from __future__ import annotations

from moussaillon.content.model import Course
from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.store import Store


class ProgressService:
    def __init__(self, store: Store, course: Course, *, clock: Clock = utcnow) -> None:
        self._store = store
        self._course = course
        self._clock = clock

    async def record_view(self, user_id: int, section_id: str) -> None:
        row = {"user_id": user_id, "section_id": section_id, "viewed_at": iso(self._clock())}
        await self._store.write(lambda db: db.table("section_views").insert(row))

    async def sections_read(self, user_id: int) -> set[str]:
        rows = await self._store.read(
            lambda db: db.execute(
                "SELECT DISTINCT section_id FROM section_views WHERE user_id = ?", [user_id]
            ).fetchall()
        )
        return {row[0] for row in rows}
