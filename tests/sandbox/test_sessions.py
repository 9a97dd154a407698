"""Sandbox sessions and the command journal, on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from moussaillon.areas import migrations
from moussaillon.core.store import Store
from moussaillon.sandbox import sessions

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    store = Store(tmp_path / "sandbox.db", migrations())
    try:
        yield store
    finally:
        store.close()


def test_schema_is_applied(store: Store) -> None:
    assert "sandbox" in store.schema_version()
    tables = store.read_sync(lambda db: set(db.table_names()))
    assert {"sandbox_commands", "sandbox_sessions"} <= tables


async def test_touch_creates_then_moves_last_used_forward_only(store: Store) -> None:
    await sessions.touch(store, 7, now=T0)
    await sessions.touch(store, 7, now=T0 + timedelta(minutes=5))
    await sessions.touch(store, 7, now=T0 + timedelta(minutes=2))  # a late, older writer
    row = store.read_sync(lambda db: db["sandbox_sessions"].get(7))
    assert row["created_at"] == "2026-03-02T09:00:00+00:00"
    assert row["last_used"] == "2026-03-02T09:05:00+00:00"


async def test_last_used_reads_the_session(store: Store) -> None:
    assert await sessions.last_used(store, 9) is None
    await sessions.touch(store, 9, now=T0 + timedelta(seconds=42))
    assert await sessions.last_used(store, 9) == T0 + timedelta(seconds=42)


async def test_live_and_idle_split_on_the_ttl(store: Store) -> None:
    await sessions.touch(store, 1, now=T0)
    await sessions.touch(store, 2, now=T0 + timedelta(minutes=21))
    await sessions.touch(store, 3, now=T0 + timedelta(minutes=29))
    now = T0 + timedelta(minutes=50)
    assert await sessions.live_owners(store, 30, now) == {2, 3}
    assert await sessions.idle_owners(store, 30, now) == {1}
    assert await sessions.idle_owners(store, 30, now + timedelta(minutes=5)) == {1, 2}
    assert await sessions.live_owners(store, 30, T0 + timedelta(minutes=100)) == set()


async def test_forget_drops_the_row_unless_the_student_came_back(store: Store) -> None:
    await sessions.touch(store, 1, now=T0)
    await sessions.touch(store, 2, now=T0)
    later = T0 + timedelta(minutes=45)
    await sessions.touch(store, 2, now=later)  # came back while the reaper was working
    assert await sessions.forget(store, 1, idle_ttl_min=30, now=later)
    assert not await sessions.forget(store, 2, idle_ttl_min=30, now=later)
    assert await sessions.live_owners(store, 30, later) == {2}
    assert await sessions.forget(store, 2)
    assert not await sessions.forget(store, 2)
    assert await sessions.live_owners(store, 30, later) == set()


async def test_record_command_journals_and_truncates(store: Store) -> None:
    long_command = "docker run alpine echo " + "x" * 10_000
    first = await sessions.record_command(
        store,
        user_id=5,
        command="docker ps",
        verb="ps",
        verdict="ran",
        exit_code=0,
        duration_ms=12,
        output_bytes=80,
        now=T0,
    )
    second = await sessions.record_command(
        store,
        user_id=5,
        command=long_command,
        verb="run",
        verdict="refused",
        exit_code=None,
        duration_ms=1,
        output_bytes=0,
        now=T0 + timedelta(seconds=3),
    )
    assert second > first
    rows = await sessions.recent_commands(store, 5)
    assert [row["verb"] for row in rows] == ["run", "ps"]
    assert len(rows[0]["command"]) == sessions.COMMAND_MAX_CHARS
    assert rows[0]["command"].startswith("docker run alpine echo xxx")
    assert rows[0]["command"].endswith("…") and rows[0]["exit_code"] is None
    assert rows[1] | {"id": 0} == {
        "id": 0,
        "user_id": 5,
        "command": "docker ps",
        "verb": "ps",
        "verdict": "ran",
        "exit_code": 0,
        "duration_ms": 12,
        "output_bytes": 80,
        "created_at": "2026-03-02T09:00:00+00:00",
    }
    assert await sessions.recent_commands(store, 6) == []


async def test_record_command_refuses_an_unknown_verdict(store: Store) -> None:
    with pytest.raises(ValueError, match="verdict"):
        await sessions.record_command(
            store,
            user_id=5,
            command="docker ps",
            verb="ps",
            verdict="maybe",  # type: ignore[arg-type]
            exit_code=0,
            duration_ms=1,
            output_bytes=0,
        )
