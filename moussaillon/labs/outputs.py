"""The last thing each student's sandbox printed, so a check can look at it later.

A lab step such as "inspect the network" is only checkable from the command's output, and the
check runs in a later request (a button, another HTTP call): the output has to outlive the
command. Only the tail is kept, since what a step looks for is near the end.
"""

from __future__ import annotations

from sqlite_utils import Database

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.store import Store

KEPT_CHARS = 16_000


class OutputJournal:
    def __init__(self, store: Store, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    async def record(self, user_id: int, command: str, output: str) -> None:
        row = {
            "user_id": user_id,
            "command": command[:500],
            "output": output[-KEPT_CHARS:],
            "recorded_at": iso(self._clock()),
        }
        await self._store.write(lambda db: db.table("lab_last_outputs").upsert(row, pk="user_id"))

    async def last(self, user_id: int) -> str:
        return (await self.last_entry(user_id))[1]

    async def last_entry(self, user_id: int) -> tuple[str, str]:
        """(command line, output) of the student's latest command; ("", "") before any."""

        def read(db: Database) -> tuple[str, str]:
            found = db.execute(
                "SELECT command, output FROM lab_last_outputs WHERE user_id = ?", [user_id]
            ).fetchone()
            return (found[0], found[1]) if found else ("", "")

        return await self._store.read(read)
