"""The SQLite store: one file in WAL mode, one writer thread, a small pool of reader threads.

Async code never touches a connection directly: ``await store.write(fn)`` runs ``fn(db)`` in the
single writer thread inside a transaction (so writes never contend and never block the event
loop), ``await store.read(fn)`` runs it on a reader thread with its own connection. This is
datasette's ``_execute_writes`` pattern. Each area declares its schema as a numbered
``sqlite_utils.migrations.Migrations`` set in its ``schema.py``; the app factory hands the sets
to the store (``moussaillon.areas.migrations``): the store knows no area by name.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

T = TypeVar("T")


def insert_row(db: Database, table: str, row: dict[str, Any]) -> int:
    """Insert one row and return its integer primary key. ``db[table]`` may be a view and
    ``last_pk`` may be anything, to sqlite-utils' types; every table here has an integer key."""
    key = db.table(table).insert(row).last_pk
    if not isinstance(key, int):
        raise TypeError(f"{table}: the insert returned {key!r}, not an integer key")
    return key


def connect(path: Path | str) -> Database:
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    db = Database(conn)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return db


class Store:
    def __init__(self, path: Path | str, migrations: Sequence[Migrations] = ()) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sqlite-reader")
        self._local = threading.local()
        self._connections: list[Database] = []
        self._lock = threading.Lock()
        self.migrate(migrations)

    def _db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def migrate(self, migrations: Sequence[Migrations]) -> None:
        db = self._writer.submit(self._db).result()
        for migration_set in migrations:
            self._writer.submit(migration_set.apply, db).result()
        self._versions = self._writer.submit(self._applied, db).result()

    def schema_version(self) -> dict[str, list[str]]:
        """The migrations applied per set, read once at start-up (only ``migrate`` changes it),
        so the health check never waits on the writer thread."""
        return {name: list(applied) for name, applied in self._versions.items()}

    @staticmethod
    def _applied(db: Database) -> dict[str, list[str]]:
        if not db["_sqlite_migrations"].exists():
            return {}
        versions: dict[str, list[str]] = {}
        for row in db["_sqlite_migrations"].rows_where(order_by="id"):
            versions.setdefault(row["migration_set"], []).append(row["name"])
        return versions

    def _run_write(self, fn: Callable[[Database], T]) -> T:
        db = self._db()
        with db.atomic():
            return fn(db)

    async def write(self, fn: Callable[[Database], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, self._run_write, fn)

    async def read(self, fn: Callable[[Database], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self._readers, lambda: fn(self._db())
        )

    def write_sync(self, fn: Callable[[Database], T]) -> T:
        """For the CLI and tests outside an event loop."""
        return self._writer.submit(self._run_write, fn).result()

    def read_sync(self, fn: Callable[[Database], T]) -> T:
        return self._readers.submit(lambda: fn(self._db())).result()

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        with self._lock:
            for db in self._connections:
                db.conn.close()
            self._connections.clear()
