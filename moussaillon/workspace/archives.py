"""Archives a student sends (``.zip``, ``.tar``, ``.tar.gz``/``.tgz``), unpacked in memory.

Nothing reaches the disk or the database from here: the result is a dict the service writes in
one transaction, or an error with the reason. What each member declares (type, name, size) is
checked before its data is read; its data is then read in small chunks and never past what it
declared nor past the limits, so a bomb stops at the first chunk beyond them, whatever its
headers say. Links, devices and FIFOs are refused, never followed or skipped quietly: the
student learns why their archive did not go in.
"""

from __future__ import annotations

import gzip
import io
import stat
import tarfile
import zipfile
import zlib
from typing import IO, Literal

from moussaillon.core.bounded import Source, bounded
from moussaillon.workspace import paths
from moussaillon.workspace.errors import WorkspaceError
from moussaillon.workspace.limits import KIB, Limits

Kind = Literal["zip", "tar", "tgz"]
SUFFIXES: tuple[tuple[str, Kind], ...] = (
    (".zip", "zip"),
    (".tar.gz", "tgz"),
    (".tgz", "tgz"),
    (".tar", "tar"),
)
CHUNK = 16 * KIB
# Past RATIO_FLOOR inflated bytes, an archive that inflates more than MAX_RATIO times is a bomb
# (source code compresses 3 to 10 times; a bomb, hundreds to millions).
MAX_RATIO = 100
RATIO_FLOOR = 64 * KIB
IGNORED_PREFIXES = ("__MACOSX/",)  # macOS's resource forks, beside the real files


def kind_of(filename: str) -> Kind | None:
    lowered = filename.lower()
    for suffix, kind in SUFFIXES:
        if lowered.endswith(suffix):
            return kind
    return None


def unpack(filename: str, data: bytes, limits: Limits, into: str = "") -> dict[str, bytes]:
    """The regular files of the archive, by workspace path (under ``into``)."""
    kind = kind_of(filename)
    if kind is None:
        raise WorkspaceError("workspace.archive_kind", name=paths.shown(filename))
    if len(data) > limits.max_archive:
        raise WorkspaceError(
            "workspace.archive_too_big", size=len(data), limit=limits.max_archive // KIB
        )
    collector = _Collector(limits, into, compressed=len(data))
    try:
        if kind == "zip":
            _unzip(data, collector)
        else:
            _untar(data, kind == "tgz", collector)
    except WorkspaceError:
        raise
    except (
        zipfile.BadZipFile,
        tarfile.TarError,
        gzip.BadGzipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        ValueError,
        OSError,
    ) as exc:
        raise WorkspaceError(
            "workspace.archive_corrupt", name=paths.shown(filename), detail=_detail(exc)
        ) from None
    if not collector.files:
        raise WorkspaceError("workspace.archive_empty", name=paths.shown(filename))
    paths.check_tree(set(collector.files))
    return collector.files


def _detail(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


class _Collector:
    """The files found so far and the totals every new member is checked against."""

    def __init__(self, limits: Limits, into: str, *, compressed: int) -> None:
        self.limits = limits
        self.into = paths.normalise_folder(into, limits.max_depth)
        self.compressed = max(compressed, 1)
        self.files: dict[str, bytes] = {}
        self.declared = 0
        self.entries = 0

    def entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise WorkspaceError("workspace.archive_entries", limit=self.limits.max_entries)

    def path(self, name: str) -> str:
        relative = paths.normalise(name, self.limits.max_depth)
        full = f"{self.into}/{relative}" if self.into else relative
        if full.count("/") + 1 > self.limits.max_depth:
            raise WorkspaceError("workspace.path_deep", path=full, depth=self.limits.max_depth)
        return full

    def folder(self, name: str) -> None:
        """A folder member: nothing to store, but its name is checked like a file's."""
        if name.rstrip("/") not in ("", ".", "./"):
            self.path(name)

    def expect(self, name: str, declared: int) -> str:
        """A regular file announced: its path, once its declared size fits every bound."""
        path = self.path(name)
        if path in self.files:
            raise WorkspaceError("workspace.archive_duplicate", path=path)
        if len(self.files) + 1 > self.limits.max_files:
            raise WorkspaceError("workspace.too_many_files", limit=self.limits.max_files)
        if declared > self.limits.max_file:
            raise WorkspaceError(
                "workspace.file_too_big",
                path=path,
                size=declared,
                limit=self.limits.max_file // KIB,
            )
        self.declared += declared
        if self.declared > self.limits.max_total:
            raise WorkspaceError("workspace.total_too_big", limit=self.limits.max_total // KIB)
        self.files[path] = b""
        return path

    def read(self, path: str, source: IO[bytes], declared: int) -> None:
        """The member's bytes, in chunks, never more than it declared."""
        chunks: list[bytes] = []
        got = 0
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                break
            got += len(chunk)
            if got > declared:
                raise WorkspaceError("workspace.archive_size_lie", path=path, declared=declared)
            chunks.append(chunk)
        if got != declared:
            raise WorkspaceError("workspace.archive_size_lie", path=path, declared=declared)
        self.files[path] = b"".join(chunks)

    def ratio(self, inflated: int) -> None:
        if inflated > RATIO_FLOOR and inflated > MAX_RATIO * self.compressed:
            raise WorkspaceError("workspace.archive_bomb", ratio=inflated // self.compressed)


def _unzip(data: bytes, collector: _Collector) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        wanted: list[tuple[str, zipfile.ZipInfo]] = []
        for info in infos:  # every declaration checked before one byte is inflated
            collector.entry()
            if info.filename.startswith(IGNORED_PREFIXES):
                continue
            mode = info.external_attr >> 16
            if info.flag_bits & 0x1:
                raise WorkspaceError("workspace.archive_encrypted", path=paths.shown(info.filename))
            if stat.S_ISLNK(mode):
                target = archive.read(info)[:200] if info.file_size <= 4 * KIB else b""
                raise WorkspaceError(
                    "workspace.archive_symlink",
                    path=paths.shown(info.filename),
                    target=paths.shown(target.decode("utf-8", "replace")) or "?",
                )
            _refuse_special(mode, info.filename)
            if info.is_dir() or stat.S_ISDIR(mode):
                collector.folder(info.filename)
                continue
            wanted.append((collector.expect(info.filename, info.file_size), info))
        collector.ratio(collector.declared)
        for path, info in wanted:
            with archive.open(info) as member:
                collector.read(path, member, info.file_size)


def _refuse_special(mode: int, name: str) -> None:
    kind = stat.S_IFMT(mode)
    if not kind or kind in (stat.S_IFREG, stat.S_IFDIR):
        return
    if kind in (stat.S_IFCHR, stat.S_IFBLK):
        raise WorkspaceError("workspace.archive_device", path=paths.shown(name))
    raise WorkspaceError("workspace.archive_special", path=paths.shown(name))


def _untar(data: bytes, gzipped: bool, collector: _Collector) -> None:
    raw: Source = io.BytesIO(data)
    if gzipped:
        raw = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")
    limit = collector.limits.max_inflated
    stream = bounded(
        raw,
        limit,
        lambda: WorkspaceError("workspace.archive_inflated", limit=limit // KIB),
        collector.ratio,
    )
    # Stream mode ("r|"): members are read in order, once, with no seeking back and no index.
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        for member in archive:
            collector.entry()
            name = member.name
            if name.startswith(IGNORED_PREFIXES):
                continue
            if member.issym():
                raise WorkspaceError(
                    "workspace.archive_symlink",
                    path=paths.shown(name),
                    target=paths.shown(member.linkname),
                )
            if member.islnk():
                raise WorkspaceError(
                    "workspace.archive_hardlink",
                    path=paths.shown(name),
                    target=paths.shown(member.linkname),
                )
            if member.ischr() or member.isblk():
                raise WorkspaceError("workspace.archive_device", path=paths.shown(name))
            if member.isdir():
                collector.folder(name)
                continue
            if not member.isreg():
                raise WorkspaceError("workspace.archive_special", path=paths.shown(name))
            path = collector.expect(name, member.size)
            source = archive.extractfile(member)
            if source is None:  # a regular file always has a reader; refuse rather than guess
                raise WorkspaceError("workspace.archive_special", path=paths.shown(name))
            collector.read(path, source, member.size)
