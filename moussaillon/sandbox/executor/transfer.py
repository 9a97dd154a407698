"""``docker cp`` between a student's container and their workspace, never the host.

Both directions go through the engine's archive API. Out of a container, the path's stat
header (``HEAD``) comes first: a missing path fails with the engine's wording, a link without
``-L`` or a device is refused, a file over the workspace's bound is refused without a byte of
it read. A folder's tar is then read with a byte bound (the largest archive a workspace could
take), its members checked on their headers (``transfer_archive``), and the files written all
or none through the workspace (``FileSource.seed``), which checks its own bounds again. Into a
container, the workspace's files are packed in memory and sent with ``PUT``; a read-only root
file system answers with the engine's own refusal, as docker prints it.

Where the files land follows docker's rules (``docker cp --help``): into an existing folder
under the source's name, over an existing file, or at a new name.
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Mapping
from typing import Any

import aiodocker

from moussaillon.core.errors import MoussaillonError
from moussaillon.sandbox.engine import unreachable
from moussaillon.sandbox.errors import (
    BuildUnavailable,
    EngineUnavailable,
    SandboxError,
    SandboxRefused,
)
from moussaillon.sandbox.executor.common import ENGINE_CALL_TIMEOUT, Context, Outcome, hide_internal
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import CpRequest
from moussaillon.sandbox.transfer_archive import (
    PathStat,
    decode_stat,
    human_copied,
    pack,
    unpack,
)
from moussaillon.sandbox.transfer_policy import workspace_path

STAT_HEADER = "X-Docker-Container-Path-Stat"
CHUNK = 64 * 1024
NO_SUCH_DIRECTORY = "no such directory"  # docker's archive.ErrDirNotExists, as the CLI prints it
CANNOT_COPY_DIRECTORY = "cannot copy directory"  # archive.ErrCannotCopyDir


def _daemon(ctx: Context, exc: aiodocker.DockerError) -> Exception:
    if unreachable(exc):
        return EngineUnavailable("sandbox.engine.unavailable")
    return DaemonError("Error response from daemon: " + hide_internal(ctx, str(exc.message)))


def _container_path(typed: str) -> str:
    return "/" + typed.lstrip("/") if typed else "/"


async def stat_path(ctx: Context, container_id: str, path: str) -> PathStat | None:
    """The engine's stat of ``path`` in the container; None when there is no such path."""
    try:
        async with asyncio.timeout(ENGINE_CALL_TIMEOUT):
            status, headers = await ctx.engine.head(
                f"containers/{container_id}/archive", params={"path": path}
            )
    except aiodocker.DockerError as exc:
        raise _daemon(ctx, exc) from None
    except TimeoutError:
        raise EngineUnavailable("sandbox.engine.unavailable") from None
    if status == 404:
        return None
    if status >= 400:
        raise DaemonError(f"Error response from daemon: the engine answered {status} for {path}")
    return decode_stat(headers.get(STAT_HEADER))


async def _read_archive(ctx: Context, container_id: str, path: str, limit: int) -> bytes:
    """The tar of ``path``, never more than ``limit`` bytes of it read."""
    chunks: list[bytes] = []
    got = 0
    try:
        async with (
            asyncio.timeout(ENGINE_CALL_TIMEOUT),
            ctx.engine.stream(
                f"containers/{container_id}/archive", params={"path": path}
            ) as response,
        ):
            try:
                async for chunk in response.content.iter_chunked(CHUNK):
                    got += len(chunk)
                    if got > limit:
                        raise SandboxRefused(
                            "sandbox.transfer.archive_too_big", path=path[:100], limit=limit // 1024
                        )
                    chunks.append(chunk)
            finally:
                response.close()  # a refused copy stops the engine's stream here
    except aiodocker.DockerError as exc:
        raise _daemon(ctx, exc) from None
    except TimeoutError:
        raise EngineUnavailable("sandbox.engine.unavailable") from None
    return b"".join(chunks)


async def _put_archive(ctx: Context, container_id: str, folder: str, tar: bytes) -> None:
    try:
        async with (
            asyncio.timeout(ENGINE_CALL_TIMEOUT),
            ctx.engine.stream(
                f"containers/{container_id}/archive",
                "PUT",
                params={"path": folder, "noOverwriteDirNonDir": "true"},
                data=tar,
                headers={"Content-Type": "application/x-tar"},
            ) as response,
        ):
            await response.read()
    except aiodocker.DockerError as exc:
        raise _daemon(ctx, exc) from None
    except TimeoutError:
        raise EngineUnavailable("sandbox.engine.unavailable") from None


class _Tree:
    """The workspace's paths: files are rows, folders exist while a file is inside."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files

    def is_file(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path == "" or any(p.startswith(path + "/") for p in self.files)

    def below(self, path: str) -> dict[str, bytes]:
        """The files of a folder, by their path inside it."""
        if path == "":
            return dict(self.files)
        start = path + "/"
        return {p[len(start) :]: d for p, d in self.files.items() if p.startswith(start)}


def _join(*parts: str) -> str:
    return "/".join(part for part in parts if part)


async def cp(ctx: Context, req: CpRequest) -> Outcome:
    if req.both_containers:
        raise DaemonError("copying between containers is not supported")
    if req.container is None:
        raise DaemonError("must specify at least one container source")
    if ctx.files is None or ctx.user_id is None:
        raise BuildUnavailable("sandbox.transfer.unavailable")
    container = await ctx.scope.container(ctx.engine, req.container)
    try:
        if req.to_container:
            return await _into_container(ctx, req, container)
        return await _out_of_container(ctx, req, container)
    except SandboxError:
        raise
    except MoussaillonError as exc:  # the workspace's own bounds, with the student's message
        return Outcome(output=exc.message(ctx.lang), exit_code=1)


async def _out_of_container(ctx: Context, req: CpRequest, container: dict[str, Any]) -> Outcome:
    assert ctx.files is not None and ctx.user_id is not None
    limits = ctx.files.limits
    path = _container_path(req.container_path)
    found = await stat_path(ctx, container["Id"], path)
    if found is None:
        raise DaemonError(
            f"Error response from daemon: Could not find the file {path} in container"
            f" {req.container}"
        )
    if found.is_link and req.follow_link and found.link_target:
        path = found.link_target
        target_stat = await stat_path(ctx, container["Id"], path)
        if target_stat is None:
            raise DaemonError(
                f"Error response from daemon: Could not find the file {path} in container"
                f" {req.container}"
            )
        found = PathStat(
            name=posixpath.basename(req.container_path.rstrip("/")) or target_stat.name,
            size=target_stat.size,
            mode=target_stat.mode,
        )
    if found.is_link:
        raise SandboxRefused(
            "sandbox.transfer.link", path=path[:100], target=found.link_target[:100]
        )
    if not found.is_dir and not found.is_regular:
        raise SandboxRefused("sandbox.transfer.special", path=path[:100])
    if not found.is_dir and found.size > limits.max_file:
        raise SandboxRefused(
            "sandbox.transfer.file_too_big",
            path=path[:100],
            size=found.size,
            limit=limits.max_file // 1024,
        )
    tree = _Tree(await ctx.files.snapshot(ctx.user_id))
    destination = workspace_path(req.local_path)
    if found.is_dir and tree.is_file(destination):
        raise DaemonError(CANNOT_COPY_DIRECTORY)
    if not found.is_dir and not tree.is_dir(destination) and req.local_path.endswith("/"):
        raise DaemonError(NO_SUCH_DIRECTORY)
    tar = await _read_archive(ctx, container["Id"], path, limits.max_archive)
    unpacked = await asyncio.to_thread(unpack, tar, limits)
    if found.is_dir:
        contents_only = req.container_path.endswith("/.")
        root = destination
        if tree.is_dir(destination) and not contents_only:
            root = _join(destination, found.name)
        files = {_join(root, relative): data for relative, data in unpacked.files.items()}
    else:
        target = destination
        if tree.is_dir(destination):
            target = _join(destination, found.name)
        files = {}
        for data in unpacked.files.values():
            files[target] = data  # a copied file: the one member
    notes = (
        [ctx.note("transfer.skipped", names=", ".join(unpacked.skipped[:10]))]
        if (unpacked.skipped)
        else []
    )
    if files:
        await ctx.files.seed(ctx.user_id, files, replace=True)
    shown = "" if req.quiet else f"Successfully copied {human_copied(len(tar))} to {req.local_path}"
    return Outcome(output=shown, notes=notes)


async def _into_container(ctx: Context, req: CpRequest, container: dict[str, Any]) -> Outcome:
    assert ctx.files is not None and ctx.user_id is not None
    tree = _Tree(await ctx.files.snapshot(ctx.user_id))
    source = workspace_path(req.local_path)
    contents_only = req.local_path.endswith("/.") or source == ""
    if tree.is_file(source):
        base, files = posixpath.basename(source), {"": tree.files[source]}
    elif tree.is_dir(source) and (source == "" or tree.below(source)):
        base, files = posixpath.basename(source), tree.below(source)
    else:
        raise DaemonError(f"lstat {req.local_path}: no such file or directory")
    is_dir = not tree.is_file(source)
    path = _container_path(req.container_path)
    found = await stat_path(ctx, container["Id"], path)
    if found is not None and found.is_dir:
        folder = path
        name = "" if is_dir and contents_only else base
    elif found is not None:
        if is_dir:
            raise DaemonError(CANNOT_COPY_DIRECTORY)
        folder, name = posixpath.dirname(path.rstrip("/")) or "/", posixpath.basename(path)
    else:
        if req.container_path.endswith("/") and not is_dir:
            raise DaemonError(NO_SUCH_DIRECTORY)
        folder = posixpath.dirname(path.rstrip("/")) or "/"
        name = posixpath.basename(path.rstrip("/"))
        if await stat_path(ctx, container["Id"], folder) is None:
            raise DaemonError(
                f"Error response from daemon: Could not find the file {folder} in container"
                f" {req.container}"
            )
    members = {_join(name, relative): data for relative, data in files.items()}
    tar = await asyncio.to_thread(pack, members)
    await _put_archive(ctx, container["Id"], folder, tar)
    if req.quiet:
        return Outcome()
    return Outcome(output=f"Successfully copied {human_copied(len(tar))} to {req.container}:{path}")


__all__ = ["cp", "stat_path"]
