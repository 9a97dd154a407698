"""Broadcasts that reach each recipient exactly once, or say honestly that they may not have.

Every recipient is a row in ``broadcast_deliveries`` written BEFORE the send (``sending``) and
AFTER Telegram answers (``sent`` / ``blocked`` / ``failed``, or ``pending`` again with a later
``next_attempt_at`` after a 429 or a retryable error). One dispatcher task per process picks due
rows, paces them (``pacing.Pacer``) and sends each in its own task.

The hard case is a row found ``sending`` at start-up: the process died after deciding to send and
before recording Telegram's answer. Telegram has no idempotency key and a bot cannot read back a
private chat, so whether the message arrived is unknowable. We choose at-most-once: such rows
become ``unknown`` and are never re-sent; ``/diffusions`` counts them so the instructor can follow
up. A request that timed out (``Ambiguous``) is treated the same way. To keep that window tiny, a
clean shutdown stops picking new rows but lets in-flight sends finish and record their answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from typing import Protocol

from pydantic import BaseModel
from sqlite_utils import Database

from moussaillon.classes.pacing import BroadcastLimits, Pacer
from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.errors import NotFound
from moussaillon.core.store import Store, insert_row

log = logging.getLogger("moussaillon.broadcasts")

STATUSES = ("pending", "sending", "sent", "blocked", "failed", "unknown")


class RetryLater(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Blocked(Exception):
    """The user blocked the bot (403): never retried."""


class Ambiguous(Exception):
    """No answer came back: the message may or may not have been delivered."""


class BroadcastMessage(BaseModel):
    """What one recipient is sent, as facts: the transport renders it (a correction names its
    lab, so the chat shows it as the lab itself does), in the recipient's language."""

    kind: str  # "announcement" (text: the instructor's words) or "correction" (text: a lab id)
    text: str
    class_name: str
    language: str


class Sender(Protocol):
    """Renders and sends one message; returns the platform's message id."""

    def __call__(self, chat_id: int, message: BroadcastMessage) -> Awaitable[int]: ...


class Due(BroadcastMessage):
    broadcast_id: int
    chat_id: int
    attempts: int


class BroadcastReport(BaseModel):
    id: int
    class_id: int
    kind: str
    created_at: str
    total: int
    sent: int
    blocked: int
    failed: int
    pending: int
    unknown: int
    blocked_chats: list[int]
    failed_chats: list[int]

    @property
    def done(self) -> bool:
        return self.pending == 0


def create_broadcast(
    db: Database, class_id: int, kind: str, text: str, created_by: int | None, now: str
) -> int:
    """Insert a broadcast and one pending row per member and linked group, in the caller's
    transaction (a release creates its broadcast atomically with the release itself)."""
    broadcast_id = insert_row(
        db,
        "broadcasts",
        {"class_id": class_id, "kind": kind, "text": text, "created_by": created_by,
         "created_at": now},
    )
    db.execute(
        "INSERT OR IGNORE INTO broadcast_deliveries"
        " (broadcast_id, chat_id, status, attempts, next_attempt_at, updated_at)"
        " SELECT ?, user_id, 'pending', 0, 0, ? FROM class_members WHERE class_id = ?"
        " UNION SELECT ?, chat_id, 'pending', 0, 0, ? FROM class_groups WHERE class_id = ?",
        [broadcast_id, now, class_id, broadcast_id, now, class_id],
    )
    return broadcast_id


_MESSAGE_FIELDS = set(BroadcastMessage.model_fields)
_DUE_SQL = """
SELECT d.broadcast_id, d.chat_id, d.attempts, b.kind, b.text, c.name,
       COALESCE(u.language, ?)
FROM broadcast_deliveries d
JOIN broadcasts b ON b.id = d.broadcast_id
JOIN classes c ON c.id = b.class_id
LEFT JOIN users u ON u.id = d.chat_id
WHERE d.status = 'pending' AND d.next_attempt_at <= ?
ORDER BY d.broadcast_id, d.next_attempt_at, d.chat_id
LIMIT ?
"""


class Broadcaster:
    def __init__(
        self,
        store: Store,
        *,
        limits: BroadcastLimits | None = None,
        default_language: str = "fr",
        clock: Clock = utcnow,
        drain_timeout: float = 15.0,
    ) -> None:
        self._store = store
        self.limits = limits or BroadcastLimits()
        self._lang = default_language
        self._clock = clock
        self._drain_timeout = drain_timeout
        self._sender: Sender | None = None
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._inflight: set[asyncio.Task] = set()
        self._pacer = Pacer(self.limits)

    # -- lifecycle -----------------------------------------------------------------------

    async def attach(self, sender: Sender) -> int:
        """Start dispatching through ``sender``; returns how many interrupted sends were
        resolved as ``unknown``."""
        now = iso(self._clock())
        unknown = await self._store.write(
            lambda db: db.execute(
                "UPDATE broadcast_deliveries SET status = 'unknown', updated_at = ?,"
                " last_error = 'interrupted while sending' WHERE status = 'sending'",
                [now],
            ).rowcount
        )
        if unknown:
            log.warning("%d broadcast deliveries interrupted mid-send: marked unknown", unknown)
        self._sender = sender
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="broadcasts")
        return unknown

    async def detach(self) -> None:
        """Stop picking new rows, let in-flight sends record their answer, then stop."""
        task, self._task = self._task, None
        self._stop.set()
        self._wake.set()
        if task is not None:
            # No cancel while the loop may be inside a write: a row marked "sending" whose send
            # never starts would be lost. The loop checks the flag at safe points and returns.
            _, pending = await asyncio.wait({task}, timeout=self._drain_timeout)
            for stuck in pending:
                stuck.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await stuck
        if self._inflight:
            _, late = await asyncio.wait(set(self._inflight), timeout=self._drain_timeout)
            for straggler in late:
                straggler.cancel()
        self._sender = None

    def wake(self) -> None:
        self._wake.set()

    # -- creating and reporting ----------------------------------------------------------

    async def create(self, class_id: int, kind: str, text: str, created_by: int | None) -> int:
        now = iso(self._clock())
        broadcast_id = await self._store.write(
            lambda db: create_broadcast(db, class_id, kind, text, created_by, now)
        )
        self.wake()
        return broadcast_id

    async def report(self, broadcast_id: int, class_id: int | None = None) -> BroadcastReport:
        def read(db: Database) -> BroadcastReport | None:
            head = db.execute(
                "SELECT id, class_id, kind, created_at FROM broadcasts WHERE id = ?",
                [broadcast_id],
            ).fetchone()
            if head is None or (class_id is not None and head[1] != class_id):
                return None
            counts = dict.fromkeys(STATUSES, 0)
            chats: dict[str, list[int]] = {"blocked": [], "failed": []}
            for chat_id, status in db.execute(
                "SELECT chat_id, status FROM broadcast_deliveries WHERE broadcast_id = ?"
                " ORDER BY chat_id",
                [broadcast_id],
            ).fetchall():
                counts[status] += 1
                if status in chats:
                    chats[status].append(chat_id)
            return BroadcastReport(
                id=head[0], class_id=head[1], kind=head[2], created_at=head[3],
                total=sum(counts.values()), sent=counts["sent"], blocked=counts["blocked"],
                failed=counts["failed"], pending=counts["pending"] + counts["sending"],
                unknown=counts["unknown"], blocked_chats=chats["blocked"],
                failed_chats=chats["failed"],
            )

        found = await self._store.read(read)
        if found is None:
            raise NotFound("classes.unknown_broadcast")
        return found

    async def recent(self, class_id: int, limit: int = 5) -> list[BroadcastReport]:
        ids = await self._store.read(
            lambda db: [
                row[0]
                for row in db.execute(
                    "SELECT id FROM broadcasts WHERE class_id = ? ORDER BY id DESC LIMIT ?",
                    [class_id, limit],
                ).fetchall()
            ]
        )
        return [await self.report(i) for i in ids]

    async def wait_done(self, broadcast_id: int, within: float = 60.0) -> BroadcastReport:
        """Poll until nothing is pending (tests, the benchmark and the REST layer use it)."""
        deadline = time.monotonic() + within
        while True:
            report = await self.report(broadcast_id)
            if report.done or time.monotonic() > deadline:
                return report
            await asyncio.sleep(0.05)

    # -- the dispatcher ------------------------------------------------------------------

    async def _due(self, batch: int) -> tuple[list[Due], float | None]:
        now = time.time()

        def read(db: Database) -> tuple[list[Due], float | None]:
            rows = db.execute(_DUE_SQL, [self._lang, now, batch]).fetchall()
            fields = ("broadcast_id", "chat_id", "attempts", "kind", "text", "class_name",
                      "language")
            due = [Due(**dict(zip(fields, row, strict=True))) for row in rows]
            later = db.execute(
                "SELECT MIN(next_attempt_at) FROM broadcast_deliveries WHERE status = 'pending'"
                " AND next_attempt_at > ?",
                [now],
            ).fetchone()[0]
            return due, later

        return await self._store.read(read)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    async def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            due, later = await self._due(batch=max(64, int(self.limits.per_second * 4)))
            started = 0
            soonest_chat: float | None = None
            for item in due:
                chat_wait = self._pacer.chat_wait(item.chat_id)
                if chat_wait > 0:
                    soonest_chat = min(soonest_chat or chat_wait, chat_wait)
                    continue
                while (pause := self._pacer.global_wait()) > 0 and not self._stop.is_set():
                    await self._pause(pause)
                if self._stop.is_set():
                    return
                if self._pacer.chat_wait(item.chat_id) > 0:
                    continue
                if not await self._mark_sending(item):
                    continue
                self._pacer.record(item.chat_id)
                task = asyncio.create_task(self._deliver(item))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)
                started += 1
            if started:
                continue
            waits = [w for w in (soonest_chat, later and later - time.time()) if w is not None]
            timeout = max(0.01, min(waits)) if waits else None
            if self._inflight and (timeout is None or timeout > 0.2):
                timeout = 0.2  # an in-flight 429 may free rows soon
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def _mark_sending(self, item: Due) -> bool:
        now = iso(self._clock())
        return bool(
            await self._store.write(
                lambda db: db.execute(
                    "UPDATE broadcast_deliveries SET status = 'sending',"
                    " attempts = attempts + 1, updated_at = ?"
                    " WHERE broadcast_id = ? AND chat_id = ? AND status = 'pending'",
                    [now, item.broadcast_id, item.chat_id],
                ).rowcount
            )
        )

    async def _deliver(self, item: Due) -> None:
        sender = self._sender
        attempts = item.attempts + 1
        status, message_id, error, retry_at = "sent", None, None, 0.0
        try:
            if sender is None:
                raise RetryLater(1.0)
            message = BroadcastMessage.model_validate(item.model_dump(include=_MESSAGE_FIELDS))
            message_id = await sender(item.chat_id, message)
        except RetryLater as exc:
            self._pacer.pause(item.chat_id, exc.seconds)
            status, error, retry_at = "pending", str(exc), time.time() + exc.seconds
            attempts -= 1  # Telegram asked us to wait: not a failed attempt
        except Blocked as exc:
            status, error = "blocked", str(exc) or "blocked"
        except Ambiguous as exc:
            status, error = "unknown", str(exc) or "no answer"
        except Exception as exc:  # any other failure: retried with backoff, then given up
            error = f"{type(exc).__name__}: {exc}"[:300]
            if attempts >= self.limits.max_attempts:
                status = "failed"
            else:
                status = "pending"
                retry_at = time.time() + self.limits.backoff_s * 2 ** (attempts - 1)
            log.info("broadcast %s to %s failed (%s)", item.broadcast_id, item.chat_id, error)
        await self._record(item, status, attempts, message_id, error, retry_at)

    async def _record(
        self, item: Due, status: str, attempts: int, message_id: int | None, error: str | None,
        retry_at: float,
    ) -> None:
        now = iso(self._clock())
        await self._store.write(
            lambda db: db.execute(
                "UPDATE broadcast_deliveries SET status = ?, attempts = ?, message_id = ?,"
                " last_error = ?, next_attempt_at = ?, updated_at = ?"
                " WHERE broadcast_id = ? AND chat_id = ?",
                [status, attempts, message_id, error, retry_at, now, item.broadcast_id,
                 item.chat_id],
            )
        )
        if status == "pending":
            self.wake()
