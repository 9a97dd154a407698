"""Who is using the sandbox, and what they ran, kept in SQLite.

The session row's ``last_used`` is what the reaper trusts: it is shared by every process that
talks to the engine. Times are ISO-8601 UTC strings (``bot.clock.iso``), which sort as text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from sqlite_utils import Database

from moussaillon.core.clock import iso, utcnow
from moussaillon.core.store import Store, insert_row

Verdict = Literal["ran", "refused", "rate_limited", "timed_out", "error"]
VERDICTS: tuple[str, ...] = ("ran", "refused", "rate_limited", "timed_out", "error")
COMMAND_MAX_CHARS = 4096


def _cutoff(ttl_min: float, now: datetime | None) -> str:
    return iso((now or utcnow()) - timedelta(minutes=ttl_min))


async def touch(store: Store, user_id: int, now: datetime | None = None) -> None:
    """Mark the student's sandbox as in use now (creating the session on first use)."""
    stamp = iso(now or utcnow())

    def write(db: Database) -> None:
        db.execute(
            "INSERT INTO sandbox_sessions (user_id, created_at, last_used) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET last_used = MAX(last_used, excluded.last_used)",
            [user_id, stamp, stamp],
        )

    await store.write(write)


async def record_command(
    store: Store,
    *,
    user_id: int,
    command: str,
    verb: str | None,
    verdict: Verdict,
    exit_code: int | None,
    duration_ms: int,
    output_bytes: int,
    now: datetime | None = None,
) -> int:
    """Journal one command; the text is cut to 4 KiB so a pasted novel cannot bloat the base."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    text = command if len(command) <= COMMAND_MAX_CHARS else command[: COMMAND_MAX_CHARS - 1] + "…"
    row = {
        "user_id": user_id,
        "command": text,
        "verb": verb,
        "verdict": verdict,
        "exit_code": exit_code,
        "duration_ms": duration_ms,
        "output_bytes": output_bytes,
        "created_at": iso(now or utcnow()),
    }

    def write(db: Database) -> int:
        return insert_row(db, "sandbox_commands", row)

    return await store.write(write)


async def live_owners(store: Store, ttl_min: float, now: datetime | None = None) -> set[int]:
    """Students whose sandbox was used within the TTL."""
    cutoff = _cutoff(ttl_min, now)

    def read(db: Database) -> set[int]:
        sql = "SELECT user_id FROM sandbox_sessions WHERE last_used > ?"
        return {row[0] for row in db.execute(sql, [cutoff]).fetchall()}

    return await store.read(read)


async def idle_owners(store: Store, ttl_min: float, now: datetime | None = None) -> set[int]:
    """Students with a session whose last use is older than the TTL."""
    cutoff = _cutoff(ttl_min, now)

    def read(db: Database) -> set[int]:
        sql = "SELECT user_id FROM sandbox_sessions WHERE last_used <= ?"
        return {row[0] for row in db.execute(sql, [cutoff]).fetchall()}

    return await store.read(read)


async def last_used(store: Store, user_id: int) -> datetime | None:
    """When the student last used the sandbox, or None without a session."""

    def read(db: Database) -> str | None:
        sql = "SELECT last_used FROM sandbox_sessions WHERE user_id = ?"
        row = db.execute(sql, [user_id]).fetchone()
        return row[0] if row else None

    stamp = await store.read(read)
    return datetime.fromisoformat(stamp) if stamp else None


async def forget(
    store: Store, user_id: int, *, idle_ttl_min: float | None = None, now: datetime | None = None
) -> bool:
    """Drop the session row; with ``idle_ttl_min``, only if it is still idle (a student who
    came back while the reaper worked keeps their session). True if a row was deleted."""

    def write(db: Database) -> bool:
        if idle_ttl_min is None:
            cursor = db.execute("DELETE FROM sandbox_sessions WHERE user_id = ?", [user_id])
        else:
            cursor = db.execute(
                "DELETE FROM sandbox_sessions WHERE user_id = ? AND last_used <= ?",
                [user_id, _cutoff(idle_ttl_min, now)],
            )
        return cursor.rowcount > 0

    return await store.write(write)


async def recent_commands(store: Store, user_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The student's latest commands, newest first (history, instructor views)."""

    def read(db: Database) -> list[dict[str, Any]]:
        return list(
            db["sandbox_commands"].rows_where(
                "user_id = ?", [user_id], order_by="id desc", limit=limit
            )
        )

    return await store.read(read)
