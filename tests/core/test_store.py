import asyncio
import sqlite3
import time

from moussaillon.areas import migrations
from moussaillon.core.store import Store


def test_schema_is_created_and_versioned(tmp_path):
    store = Store(tmp_path / "a.db", migrations())
    try:
        versions = store.schema_version()
        assert "m001_users_and_progress" in versions["core"]
        mode = store.read_sync(lambda db: db.execute("PRAGMA journal_mode").fetchone()[0])
        assert mode == "wal"
    finally:
        store.close()


def test_migrations_run_once_across_restarts(tmp_path):
    Store(tmp_path / "a.db", migrations()).close()
    store = Store(tmp_path / "a.db", migrations())
    try:
        rows = store.read_sync(
            lambda db: db.execute(
                "SELECT name, COUNT(*) FROM _sqlite_migrations GROUP BY name HAVING COUNT(*) > 1"
            ).fetchall()
        )
        assert rows == []
    finally:
        store.close()


async def test_writes_are_serialised_and_visible_to_readers(tmp_path):
    store = Store(tmp_path / "a.db", migrations())
    try:

        async def add(i: int) -> None:
            await store.write(lambda db: db["users"].insert({"id": i, "first_name": f"u{i}"}))

        await asyncio.gather(*(add(i) for i in range(200)))
        count = await store.read(lambda db: db.execute("SELECT COUNT(*) FROM users").fetchone()[0])
        assert count == 200
    finally:
        store.close()


async def test_a_failed_write_is_rolled_back(tmp_path):
    store = Store(tmp_path / "a.db", migrations())
    try:

        def half_then_fail(db):
            db["users"].insert({"id": 1, "first_name": "a"})
            raise sqlite3.IntegrityError("boom")

        try:
            await store.write(half_then_fail)
        except sqlite3.IntegrityError:
            pass
        assert (
            await store.read(lambda db: db.execute("SELECT COUNT(*) FROM users").fetchone()[0]) == 0
        )
    finally:
        store.close()


async def test_a_slow_write_does_not_block_the_event_loop(tmp_path):
    store = Store(tmp_path / "a.db", migrations())
    try:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        task = asyncio.create_task(ticker())
        await store.write(lambda db: time.sleep(0.2))
        task.cancel()
        assert ticks >= 10  # the loop kept running while the writer thread slept
    finally:
        store.close()
