"""Online backup while the app writes, restore, and the ``moussaillon db`` commands."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from moussaillon.areas import migrations
from moussaillon.cli import main
from moussaillon.core.store import Store
from moussaillon.ops.backup import BackupError, backup, restore


def _ledger(db) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS ops_ledger (id INTEGER PRIMARY KEY, payload TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS ops_total (one INTEGER PRIMARY KEY, n INTEGER)")
    db.execute("INSERT OR IGNORE INTO ops_total VALUES (1, 0)")


def _add(db, i: int) -> None:
    """One transaction, two tables: a consistent copy has as many rows as the total says."""
    db.execute("INSERT INTO ops_ledger (payload) VALUES (?)", [f"row {i} " + "x" * 400])
    db.execute("UPDATE ops_total SET n = n + 1 WHERE one = 1")


def _counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT count(*) FROM ops_ledger").fetchone()[0]
        total = conn.execute("SELECT n FROM ops_total").fetchone()[0]
    return rows, total


async def test_backup_is_consistent_while_the_app_keeps_writing(tmp_path: Path):
    store = Store(tmp_path / "live.db", migrations())
    await store.write(_ledger)
    for i in range(2000):  # a few MB, so a backup is not instantaneous
        await store.write(lambda db, i=i: _add(db, i))
    writes = 0
    stop = asyncio.Event()

    async def writer() -> None:
        nonlocal writes
        while not stop.is_set():
            await store.write(lambda db, i=writes: _add(db, i))
            writes += 1

    task = asyncio.create_task(writer())
    try:
        await asyncio.sleep(0.05)
        copies = []
        for n in range(3):
            before = writes
            report = await asyncio.to_thread(backup, store.path, tmp_path / f"copy{n}.db")
            copies.append((report, before, writes))
    finally:
        stop.set()
        await task
        store.close()
    assert writes > 50, "the writer was starved: the backup must not block it"
    for report, before, after in copies:
        rows, total = _counts(report.path)
        assert rows == total, "the copy mixes two commits"
        assert 2000 + before <= rows <= 2000 + after + 1  # +1: committed, not yet counted
        assert report.bytes == report.path.stat().st_size
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix in (".partial", ".db-wal")]  # noqa: ASYNC240
    assert leftovers == ["live.db-wal"] or leftovers == []


async def test_restore_brings_back_the_backed_up_state(tmp_path: Path):
    live = tmp_path / "live.db"
    store = Store(live, migrations())
    await store.write(_ledger)
    for i in range(10):
        await store.write(lambda db, i=i: _add(db, i))
    store.close()
    backup(live, tmp_path / "saved.db")

    store = Store(live, migrations())
    for i in range(5):
        await store.write(lambda db, i=i: _add(db, i))
    store.close()
    assert _counts(live) == (15, 15)

    restore(tmp_path / "saved.db", live)
    assert _counts(live) == (10, 10)
    store = Store(live, migrations())  # the app opens it again, migrations and all
    try:
        assert await store.read(lambda db: db["ops_total"].get(1)["n"]) == 10
    finally:
        store.close()


def test_restore_refuses_a_file_that_is_not_a_database_and_leaves_the_live_one(tmp_path: Path):
    live = tmp_path / "live.db"
    Store(live, migrations()).close()
    before = live.read_bytes()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not an SQLite database"):
        restore(junk, live)
    assert live.read_bytes() == before


def test_db_commands_back_up_and_restore(tmp_path: Path, monkeypatch, capsys):
    live = tmp_path / "data" / "moussaillon.db"
    monkeypatch.setenv("MOUSSAILLON_DB_PATH", str(live))
    monkeypatch.chdir(tmp_path)  # no stray .env
    store = Store(live, migrations())
    store.write_sync(_ledger)
    store.write_sync(lambda db: _add(db, 1))
    store.close()

    with pytest.raises(SystemExit) as done:
        main(["db", "backup", str(tmp_path / "b" / "saved.db")])
    assert done.value.code == 0
    assert "backed up" in capsys.readouterr().out
    store = Store(live, migrations())
    store.write_sync(lambda db: _add(db, 2))
    store.close()

    with pytest.raises(SystemExit) as done:
        main(["db", "restore", str(tmp_path / "b" / "saved.db")])
    assert done.value.code == 0
    assert _counts(live) == (1, 1)

    with pytest.raises(SystemExit) as done:
        main(["db", "restore", str(tmp_path / "missing.db")])
    assert done.value.code == 1
    assert "no such file" in capsys.readouterr().err
