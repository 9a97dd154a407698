"""The student's workspace: a small file tree in SQLite, the context of their builds.

Every way in (a chat message, a document, an archive, a REST call, a lab's starter files) ends
in ``_put``, which checks the bounds of the whole workspace *as it would be* inside the writer
transaction that writes it: two uploads at once cannot both pass the check, and a refused one
leaves nothing behind. Archives are unpacked off the event loop before that, in memory.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import logging
from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlite_utils import Database

from moussaillon.config import Settings
from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.store import Store
from moussaillon.workspace import archives, paths
from moussaillon.workspace.errors import FileMissing, WorkspaceError
from moussaillon.workspace.limits import KIB, Limits

log = logging.getLogger("moussaillon.workspace")

PURGE_INTERVAL_S = 3600.0


class WorkspaceFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    size: int  # bytes
    updated_at: datetime


class WorkspaceService:
    """Built once by the app factory; ``start()`` runs the TTL purge every hour."""

    def __init__(self, settings: Settings, store: Store, *, clock: Clock = utcnow) -> None:
        self.limits = Limits.from_settings(settings)
        self._store = store
        self._clock = clock
        self._purger: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self, interval_s: float = PURGE_INTERVAL_S) -> None:
        self._purger = asyncio.create_task(self._purge_forever(interval_s), name="workspace-ttl")

    async def close(self) -> None:
        task, self._purger = self._purger, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _purge_forever(self, interval_s: float) -> None:
        while True:
            try:
                removed = await self.purge_expired()
                if removed:
                    log.info("workspace: %d file(s) of unused workspaces removed", removed)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("workspace: TTL purge failed")
            await asyncio.sleep(interval_s)

    # -- reading --------------------------------------------------------------------------

    async def list(self, user_id: int) -> builtins.list[WorkspaceFile]:
        rows = await self._store.read(
            lambda db: db.execute(
                "SELECT path, size, updated_at FROM workspace_files WHERE user_id = ?"
                " ORDER BY path",
                [user_id],
            ).fetchall()
        )
        return [
            WorkspaceFile(path=p, size=s, updated_at=datetime.fromisoformat(u)) for p, s, u in rows
        ]

    async def read(self, user_id: int, path: str) -> bytes:
        path = paths.normalise(path, self.limits.max_depth)
        row = await self._store.read(
            lambda db: db.execute(
                "SELECT data FROM workspace_files WHERE user_id = ? AND path = ?", [user_id, path]
            ).fetchone()
        )
        if row is None:
            raise FileMissing("workspace.missing", path=path)
        await self._touch(user_id)
        return bytes(row[0])

    async def snapshot(self, user_id: int) -> dict[str, bytes]:
        """Every file, for a build context or a compose project: using them counts as use."""
        rows = await self._store.read(
            lambda db: db.execute(
                "SELECT path, data FROM workspace_files WHERE user_id = ? ORDER BY path",
                [user_id],
            ).fetchall()
        )
        if rows:
            await self._touch(user_id)
        return {path: bytes(data) for path, data in rows}

    # -- writing --------------------------------------------------------------------------

    async def write(self, user_id: int, path: str, data: bytes) -> WorkspaceFile:
        path = paths.normalise(path, self.limits.max_depth)
        self._check_size(path, len(data))
        [written] = await self._put(user_id, {path: data})
        return written

    def check_upload(self, filename: str | None, size: int | None) -> None:
        """Before a file is downloaded or read at all: is it worth taking? ``size`` as its
        sender declares it (None: unknown, checked again once read)."""
        if size is None:
            return
        if filename and self.is_archive(filename):
            if size > self.limits.max_archive:
                raise WorkspaceError(
                    "workspace.archive_too_big", size=size, limit=self.limits.max_archive // KIB
                )
        else:
            self._check_size(filename or "?", size)

    @staticmethod
    def is_archive(filename: str) -> bool:
        return archives.kind_of(filename) is not None

    async def upload(
        self, user_id: int, filename: str | None, data: bytes, *, target: str = ""
    ) -> builtins.list[WorkspaceFile]:
        """A file sent whole (a Telegram document, its caption as ``target``). An archive is
        unpacked into the folder ``target``; another file goes to ``target`` itself, or into
        it when it ends with ``/``, or keeps its own name without one."""
        target = target.strip()
        if filename and self.is_archive(filename):
            return await self.import_archive(user_id, filename, data, into=target)
        if not filename and (not target or target.endswith("/")):
            raise WorkspaceError("workspace.no_filename")
        if not target:
            path = filename or ""
        elif target.endswith("/"):
            path = f"{target}{filename}"
        else:
            path = target
        return [await self.write(user_id, path, data)]

    async def import_archive(
        self, user_id: int, filename: str, data: bytes, *, into: str = ""
    ) -> builtins.list[WorkspaceFile]:
        """All of the archive's files or none: unpacked and checked in memory first."""
        files = await asyncio.to_thread(archives.unpack, filename, data, self.limits, into)
        return await self._put(user_id, files)

    async def seed(
        self, user_id: int, files: Mapping[str, bytes], *, replace: bool = False
    ) -> builtins.list[str]:
        """A lab's starter files (or its correction). Without ``replace`` the student's own
        files of the same name are kept, never overwritten; with it, these paths are
        overwritten (other files stay). The paths written."""
        wanted = {paths.normalise(p, self.limits.max_depth): bytes(d) for p, d in files.items()}
        for path, data in wanted.items():
            self._check_size(path, len(data))
        return [f.path for f in await self._put(user_id, wanted, only_new=not replace)]

    async def delete(self, user_id: int, path: str) -> None:
        """A file, or a folder with everything in it."""
        path = paths.normalise(path, self.limits.max_depth)

        def remove(db: Database) -> int:
            removed = db.execute(
                "DELETE FROM workspace_files WHERE user_id = ? AND (path = ? OR"
                " substr(path, 1, ?) = ?)",
                [user_id, path, len(path) + 1, path + "/"],
            ).rowcount
            self._forget_if_empty(db, user_id)
            return removed

        if not await self._store.write(remove):
            raise FileMissing("workspace.missing", path=path)

    async def reset(self, user_id: int) -> int:
        def wipe(db: Database) -> int:
            removed = db.execute(
                "DELETE FROM workspace_files WHERE user_id = ?", [user_id]
            ).rowcount
            db.execute("DELETE FROM workspaces WHERE user_id = ?", [user_id])
            return removed

        return int(await self._store.write(wipe))

    async def purge_expired(self) -> int:
        """Workspaces unused for the TTL setting, removed; how many files went."""
        cutoff = iso(self._clock() - self.limits.ttl)

        def purge(db: Database) -> int:
            owners = [
                row[0]
                for row in db.execute(
                    "SELECT user_id FROM workspaces WHERE used_at < ?", [cutoff]
                ).fetchall()
            ]
            removed = 0
            for user_id in owners:
                removed += db.execute(
                    "DELETE FROM workspace_files WHERE user_id = ?", [user_id]
                ).rowcount
                db.execute("DELETE FROM workspaces WHERE user_id = ?", [user_id])
            return removed

        return int(await self._store.write(purge))

    # -- the one way in -------------------------------------------------------------------

    def _check_size(self, path: str, size: int) -> None:
        if size > self.limits.max_file:
            raise WorkspaceError(
                "workspace.file_too_big", path=path, size=size, limit=self.limits.max_file // KIB
            )

    async def _put(
        self, user_id: int, files: Mapping[str, bytes], *, only_new: bool = False
    ) -> builtins.list[WorkspaceFile]:
        """Write ``files`` (all or none); with ``only_new``, the paths already there are left
        as they are. The files written."""
        now = self._clock()
        stamp = iso(now)
        limits = self.limits

        def put(db: Database) -> dict[str, bytes]:
            sizes = dict(
                db.execute(
                    "SELECT path, size FROM workspace_files WHERE user_id = ?", [user_id]
                ).fetchall()
            )
            chosen = {p: d for p, d in files.items() if not (only_new and p in sizes)}
            if not chosen:
                return chosen
            sizes.update({path: len(data) for path, data in chosen.items()})
            if len(sizes) > limits.max_files:
                raise WorkspaceError("workspace.too_many_files", limit=limits.max_files)
            if sum(sizes.values()) > limits.max_total:
                raise WorkspaceError("workspace.total_too_big", limit=limits.max_total // KIB)
            paths.check_tree(set(sizes))
            db.conn.executemany(
                "INSERT INTO workspace_files (user_id, path, data, size, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, path) DO UPDATE SET"
                " data = excluded.data, size = excluded.size, updated_at = excluded.updated_at",
                [(user_id, path, data, len(data), stamp) for path, data in chosen.items()],
            )
            self._mark_used(db, user_id, stamp)
            return chosen

        written = await self._store.write(put)
        moment = datetime.fromisoformat(stamp)
        return [
            WorkspaceFile(path=path, size=len(data), updated_at=moment)
            for path, data in sorted(written.items())
        ]

    async def _touch(self, user_id: int) -> None:
        stamp = iso(self._clock())
        await self._store.write(
            lambda db: db.execute(
                "UPDATE workspaces SET used_at = ? WHERE user_id = ?", [stamp, user_id]
            )
        )

    @staticmethod
    def _mark_used(db: Database, user_id: int, stamp: str) -> None:
        db.execute(
            "INSERT INTO workspaces (user_id, used_at) VALUES (?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET used_at = excluded.used_at",
            [user_id, stamp],
        )

    @staticmethod
    def _forget_if_empty(db: Database, user_id: int) -> None:
        db.execute(
            "DELETE FROM workspaces WHERE user_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM workspace_files WHERE user_id = ?)",
            [user_id, user_id],
        )
