"""SQLite online backup and restore, through SQLite's own backup API.

Copying the file is wrong while the app runs: the newest writes sit in the ``-wal`` file and a
copy can catch a page half-written. The backup API copies pages inside one read transaction,
so the result is the database as of one commit, and in WAL mode the app keeps writing meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from pydantic import BaseModel


class BackupError(Exception):
    """The source or the backup file is not a usable Moussaillon database."""


class BackupReport(BaseModel):
    path: Path
    bytes: int
    tables: int


def _check(conn: sqlite3.Connection, what: Path) -> int:
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{what}: not an SQLite database ({exc})") from None
    if status != "ok":
        raise BackupError(f"{what}: integrity check failed: {status}")
    if tables[0] == 0:
        raise BackupError(f"{what}: holds no table")
    return int(tables[0])


def backup(db_path: Path, target: Path) -> BackupReport:
    """Write a consistent copy of ``db_path`` to ``target`` (atomically: a temp file renamed)."""
    if not db_path.exists():
        raise BackupError(f"{db_path}: no such database")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        with contextlib.closing(sqlite3.connect(partial)) as dest:
            source.backup(dest)  # all pages in one step: one snapshot, writers not blocked (WAL)
            dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            tables = _check(dest, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.replace(partial, target)
    return BackupReport(path=target, bytes=target.stat().st_size, tables=tables)


def restore(backup_path: Path, db_path: Path) -> BackupReport:
    """Replace the database's content with the backup's; the app must be stopped.

    The backup is checked before anything is touched. The restore also goes through the backup
    API, into the live file, so SQLite itself deals with the ``-wal`` and ``-shm`` files.
    Migrations newer than the backup run at the next start, as after any upgrade.
    """
    if not backup_path.exists():
        raise BackupError(f"{backup_path}: no such file")
    with contextlib.closing(sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)) as source:
        tables = _check(source, backup_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(db_path, timeout=5)) as dest:
            try:
                dest.execute("BEGIN EXCLUSIVE").execute("ROLLBACK")
            except sqlite3.OperationalError:
                raise BackupError(f"{db_path}: in use; stop Moussaillon before a restore") from None
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL")
            dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return BackupReport(path=db_path, bytes=db_path.stat().st_size, tables=tables)
