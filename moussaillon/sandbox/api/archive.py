"""``docker cp`` from the student's own machine: the engine's archive API, with the chat's bounds.

The local side is the student's laptop here, not the workspace, but the bounds are the
chat's copy's (``FileLimits``): out of a container, a file over the per-file bound is refused
on its stat, and the tar is read whole with a byte bound and checked member by member
before a byte is answered (so a refusal is still an error the CLI prints). Into a container,
the tar is checked whole (``check_upload``: size, members, links, ``..``) before it reaches
the engine; the endpoint reads no body larger than ``transfer_limit()``.
"""

from __future__ import annotations

import asyncio
import base64
import json

from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.build.source import FileLimits
from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.executor import transfer
from moussaillon.sandbox.executor.common import Context
from moussaillon.sandbox.transfer_archive import PathStat, check_upload, decode_stat, unpack
from moussaillon.workspace.limits import Limits

MAX_PATH = 4096


def container_path(path: str | None) -> str:
    if not path:
        raise ApiError(400, "path is required")  # the engine's own words for a missing path
    if len(path) > MAX_PATH or "\0" in path:
        raise ApiError(400, "invalid path")
    return path


def stat_header(found: PathStat, raw: str | None) -> str:
    """The engine's header as it came, or rebuilt from what was read of it."""
    if raw:
        return raw
    data = {"name": found.name, "size": found.size, "mode": found.mode, "linkTarget": ""}
    return base64.b64encode(json.dumps(data).encode()).decode()


class ArchiveApi(ApiBase):
    def transfer_limits(self) -> FileLimits:
        files = self.service.files
        return files.limits if files is not None else Limits.from_settings(self.service.settings)

    def transfer_limit(self) -> int:
        """The largest tar a ``PUT …/archive`` may carry, the HTTP body bound of that route."""
        return self.transfer_limits().max_archive

    async def _stat(self, ctx: Context, ref: str, path: str) -> tuple[str, str]:
        """(container id, the stat header); a missing path is the engine's 404."""
        container_id = await self._id(ctx, ref)
        status, headers = await ctx.engine.head(
            f"containers/{container_id}/archive", params={"path": path}
        )
        if status == 404:
            raise ApiError(404, f"Could not find the file {path} in container {ref}")
        if status >= 400:
            raise ApiError(status, f"the engine answered {status} for {path[:100]}")
        return container_id, headers.get(transfer.STAT_HEADER, "")

    async def stat(self, user_id: int, ref: str, path: str | None) -> str:
        """``HEAD …/archive``: the base64 JSON ``X-Docker-Container-Path-Stat``."""
        checked = container_path(path)

        async def work(ctx: Context) -> str:
            _, header = await self._stat(ctx, ref, checked)
            return header

        return await self._pipeline(user_id, "cp", work)

    async def get_archive(self, user_id: int, ref: str, path: str | None) -> tuple[bytes, str]:
        """(the tar, the stat header) of ``path``, within the copy's bounds."""
        checked = container_path(path)
        limits = self.transfer_limits()

        async def work(ctx: Context) -> tuple[bytes, str]:
            container_id, header = await self._stat(ctx, ref, checked)
            found = decode_stat(header)
            if found is not None and not found.is_dir and found.size > limits.max_file:
                raise SandboxRefused(
                    "sandbox.transfer.upload_file_too_big",
                    path=checked[:100],
                    size=found.size,
                    limit=limits.max_file // 1024,
                )
            try:
                tar = await transfer._read_archive(ctx, container_id, checked, limits.max_archive)
            except SandboxRefused:
                raise SandboxRefused(
                    "sandbox.transfer.download_too_big",
                    path=checked[:100],
                    limit=limits.max_archive // 1024,
                ) from None
            await asyncio.to_thread(unpack, tar, limits)  # the members' bounds, as the chat's
            return tar, header

        return await self._pipeline(user_id, "cp", work)

    async def put_archive(self, user_id: int, ref: str, params: dict[str, str], tar: bytes) -> None:
        checked = container_path(params.get("path"))
        limits = self.transfer_limits()

        async def work(ctx: Context) -> None:
            container_id = await self._id(ctx, ref)
            await asyncio.to_thread(check_upload, tar, limits)
            await transfer._put_archive(ctx, container_id, checked, tar)

        await self._pipeline(user_id, "cp", work)
