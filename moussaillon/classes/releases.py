"""Lab-correction releases: now or at a time, surviving restarts.

A pending release is a row in ``lab_releases``; timers are only a way to wake up on time, so at
start-up every pending row is armed again (one already due fires at once). Firing flips the row
to ``released`` and creates its broadcast in the SAME transaction, guarded by
``status = 'pending'``: a timer that fires twice, or two timers from two lifetimes, release and
announce once.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlite_utils import Database

from moussaillon.classes.broadcasts import Broadcaster, create_broadcast
from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.errors import BadInput
from moussaillon.core.store import Store, insert_row
from moussaillon.labs.model import LabSet

log = logging.getLogger("moussaillon.releases")
FIRE_SLACK = timedelta(seconds=1)
NOW_WORDS = frozenset({"", "maintenant", "now", "immediatement", "immédiatement"})
_HHMM = re.compile(r"^(\d{1,2})[:hH](\d{2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2})[:hH](\d{2})$")

Fire = Callable[[], Coroutine[Any, Any, object]]  # a task to start; its result is dropped


class Timer(Protocol):
    def arm(self, key: str, when: datetime, callback: Fire) -> None: ...
    def cancel_all(self) -> None: ...


class AsyncioTimer:
    """The fallback when no PTB JobQueue runs (REST only): plain loop timers."""

    def __init__(self) -> None:
        self._handles: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[object]] = set()

    def arm(self, key: str, when: datetime, callback: Fire) -> None:
        loop = asyncio.get_running_loop()
        if key in self._handles:
            self._handles.pop(key).cancel()
        delay = max(0.0, (when - utcnow()).total_seconds())

        def fire() -> None:
            self._handles.pop(key, None)
            task = loop.create_task(callback())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        self._handles[key] = loop.call_later(delay, fire)

    def cancel_all(self) -> None:
        for handle in self._handles.values():
            handle.cancel()
        self._handles.clear()


class Release(BaseModel):
    id: int
    class_id: int
    lab_id: str
    due_at: str
    status: str
    released_at: str | None = None
    broadcast_id: int | None = None


def parse_when(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """``maintenant`` | ``HH:MM`` (next occurrence) | ``AAAA-MM-JJ HH:MM``, in the course's
    timezone; returned in UTC."""
    words = " ".join(text.split()).lower()
    if words in NOW_WORDS:
        return now
    local_now = now.astimezone(tz)
    try:
        if match := _HHMM.match(words):
            moment = datetime.combine(
                local_now.date(), time(int(match[1]), int(match[2])), tzinfo=tz
            )
            if moment <= local_now:
                moment = datetime.combine(
                    local_now.date() + timedelta(days=1), moment.timetz()
                )
            return moment.astimezone(now.tzinfo)
        if match := _DATETIME.match(words):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            moment = datetime.combine(day, time(int(match[4]), int(match[5])), tzinfo=tz)
            return moment.astimezone(now.tzinfo)
    except ValueError:
        pass
    raise BadInput("classes.bad_when", text=text)


def _release(db: Database, where: str, params: list) -> list[Release]:
    fields = ("id", "class_id", "lab_id", "due_at", "status", "released_at", "broadcast_id")
    rows = db.execute(
        f"SELECT {', '.join(fields)} FROM lab_releases WHERE {where} ORDER BY due_at", params
    ).fetchall()
    return [Release(**dict(zip(fields, row, strict=True))) for row in rows]


class ReleaseService:
    def __init__(
        self, store: Store, broadcaster: Broadcaster, labs: LabSet, *, clock: Clock = utcnow
    ) -> None:
        self._store = store
        self._broadcaster = broadcaster
        self._labs = labs
        self._clock = clock
        self._timer: Timer = AsyncioTimer()

    async def use_timer(self, timer: Timer) -> None:
        """Switch timers (the bot brings PTB's JobQueue) and arm every pending release again."""
        self._timer.cancel_all()
        self._timer = timer
        await self.rearm()

    async def rearm(self) -> int:
        pending = await self._store.read(lambda db: _release(db, "status = 'pending'", []))
        for release in pending:
            self._arm(release)
        return len(pending)

    def close(self) -> None:
        self._timer.cancel_all()

    def _arm(self, release: Release) -> None:
        when = datetime.fromisoformat(release.due_at)
        self._timer.arm(f"release-{release.id}", when, lambda: self.fire(release.id))

    async def schedule(
        self, class_id: int, lab_id: str, by: int | None, when: datetime | None = None
    ) -> Release:
        lab = self._labs.get(lab_id)
        now = self._clock()
        due = iso(when if when is not None and when > now else now)

        def upsert(db: Database) -> int:
            existing = _release(db, "class_id = ? AND lab_id = ?", [class_id, lab.id])
            if existing and existing[0].status == "released":
                raise BadInput("classes.already_released", lab=lab.title)
            if existing:
                db.execute("UPDATE lab_releases SET due_at = ?, created_by = ? WHERE id = ?",
                           [due, by, existing[0].id])
                return existing[0].id
            return insert_row(
                db,
                "lab_releases",
                {"class_id": class_id, "lab_id": lab.id, "due_at": due, "status": "pending",
                 "created_by": by, "created_at": iso(now)},
            )

        release_id = await self._store.write(upsert)
        if due <= iso(now):
            await self.fire(release_id)
        else:
            self._arm(await self.get(release_id))
        return await self.get(release_id)

    async def get(self, release_id: int) -> Release:
        return (await self._store.read(lambda db: _release(db, "id = ?", [release_id])))[0]

    async def of_class(self, class_id: int) -> list[Release]:
        return await self._store.read(lambda db: _release(db, "class_id = ?", [class_id]))

    async def fire(self, release_id: int) -> bool:
        """Release if due and still pending; True when this call released it."""
        now = self._clock()
        horizon = iso(now + FIRE_SLACK)

        def release(db: Database) -> int | None:
            rows = _release(db, "id = ? AND status = 'pending'", [release_id])
            if not rows or rows[0].due_at > horizon:
                return None
            row = rows[0]
            broadcast_id = create_broadcast(db, row.class_id, "correction", row.lab_id, None,
                                            iso(now))
            db.execute(
                "UPDATE lab_releases SET status = 'released', released_at = ?, broadcast_id = ?"
                " WHERE id = ? AND status = 'pending'",
                [iso(now), broadcast_id, release_id],
            )
            return broadcast_id

        broadcast_id = await self._store.write(release)
        if broadcast_id is None:
            current = await self._store.read(lambda db: _release(db, "id = ?", [release_id]))
            if current and current[0].status == "pending":
                self._arm(current[0])  # woken early (clock skew): sleep again
            return False
        log.info("release %s fired: broadcast %s", release_id, broadcast_id)
        self._broadcaster.wake()
        return True
