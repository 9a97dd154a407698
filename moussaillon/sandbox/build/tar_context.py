"""A build context the student's own docker CLI sends (``POST /build``): a tar, read as files.

The chat builds from the workspace; the terminal sends the folder itself. Both go through the
same executor (``executor/build.py``) once the tar is files: ``TarSource`` is the ``FileSource``
it reads. The tar is held to the workspace's bounds (a context the chat could not hold is not
built here either): each member is checked on its header before its data is read, links,
devices and FIFOs are refused (the context is re-packed as regular files, as the chat's is), a
name leaving the context (``..``, ``/``) is refused, and a gzip stops at the inflated bound.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from moussaillon.config import Settings
from moussaillon.core.bounded import Source, bounded
from moussaillon.sandbox.build.errors import ContextError

KIB = 1024
# As the workspace's ``Limits.max_archive``: a full workspace and every header it needs.
OVERHEAD_PER_FILE = 1024
OVERHEAD = 20 * KIB
GZIP_MAGIC = b"\x1f\x8b"
OTHER_MAGIC = (b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")  # bzip2, xz, zstd


@dataclass(frozen=True)
class ContextLimits:
    """The workspace's bounds (``FileLimits``), from the same settings, in bytes."""

    max_files: int
    max_total: int
    max_file: int
    max_depth: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ContextLimits:
        return cls(
            max_files=settings.workspace_max_files,
            max_total=settings.workspace_max_total_kb * KIB,
            max_file=settings.workspace_max_file_kb * KIB,
            max_depth=settings.workspace_max_depth,
        )

    @property
    def max_archive(self) -> int:
        """The largest request body ``POST /build`` reads: anything bigger is refused unread."""
        return self.max_total + self.max_files * OVERHEAD_PER_FILE + OVERHEAD

    @property
    def max_entries(self) -> int:
        return self.max_files * 4


@dataclass(frozen=True)
class TarSource:
    """The files of one sent context, as the build executor reads a workspace."""

    files: Mapping[str, bytes]
    limits: ContextLimits

    async def snapshot(self, user_id: int) -> Mapping[str, bytes]:
        return self.files

    async def seed(
        self, user_id: int, files: Mapping[str, bytes], *, replace: bool = False
    ) -> list[str]:
        raise ContextError("sandbox.build.context.tar_read_only")


def _path(name: str, limits: ContextLimits) -> str:
    """``./app/x`` → ``app/x``; a name that leaves the context is refused, never resolved."""
    shown = name[:100]
    if name.startswith("/") or "\\" in name:
        raise ContextError("sandbox.build.context.tar_path", path=shown)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ContextError("sandbox.build.context.tar_path", path=shown)
    if len(parts) > limits.max_depth:
        raise ContextError("sandbox.build.context.tar_deep", path=shown, depth=limits.max_depth)
    return "/".join(parts)


def _read(source: IO[bytes], declared: int, path: str) -> bytes:
    data = source.read(declared + 1)
    if len(data) != declared:
        raise ContextError("sandbox.build.context.tar_corrupt", detail=f"{path[:100]}: size")
    return data


def read_context(data: bytes, limits: ContextLimits) -> dict[str, bytes]:
    """The regular files of a context tar (plain or gzip), by path; pure, for a thread."""
    if len(data) > limits.max_archive:
        raise ContextError("sandbox.build.context.tar_big", limit=limits.max_archive // KIB)
    if data.startswith(OTHER_MAGIC):
        raise ContextError("sandbox.build.context.tar_compression")
    raw: Source = io.BytesIO(data)
    if data.startswith(GZIP_MAGIC):
        raw = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")
    stream = bounded(
        raw,
        limits.max_archive,
        lambda: ContextError("sandbox.build.context.tar_inflated", limit=limits.max_archive // KIB),
    )
    files: dict[str, bytes] = {}
    entries = total = 0
    try:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                entries += 1
                if entries > limits.max_entries:
                    raise ContextError(
                        "sandbox.build.context.tar_entries", limit=limits.max_entries
                    )
                path = _path(member.name, limits)
                if member.issym() or member.islnk():
                    raise ContextError(
                        "sandbox.build.context.tar_link",
                        path=member.name[:100],
                        target=member.linkname[:100],
                    )
                if member.isdir():
                    continue
                if not member.isreg():
                    raise ContextError("sandbox.build.context.tar_special", path=member.name[:100])
                if not path:
                    raise ContextError("sandbox.build.context.tar_path", path=member.name[:100])
                if path not in files and len(files) + 1 > limits.max_files:
                    raise ContextError("sandbox.build.context.tar_files", limit=limits.max_files)
                if member.size > limits.max_file:
                    raise ContextError(
                        "sandbox.build.context.tar_file_big",
                        path=path[:100],
                        size=member.size,
                        limit=limits.max_file // KIB,
                    )
                total += member.size - len(files.get(path, b""))
                if total > limits.max_total:
                    raise ContextError(
                        "sandbox.build.context.tar_total", limit=limits.max_total // KIB
                    )
                source = archive.extractfile(member)
                if source is None:
                    raise ContextError("sandbox.build.context.tar_special", path=path[:100])
                files[path] = _read(source, member.size, path)
    except ContextError:
        raise
    except (tarfile.TarError, gzip.BadGzipFile, zlib.error, EOFError, OSError) as exc:
        detail = (str(exc) or type(exc).__name__)[:120]
        raise ContextError("sandbox.build.context.tar_corrupt", detail=detail) from None
    return files
