"""The tars ``docker cp`` moves through the engine's archive API, read and made in memory.

What the engine sends (``GET /containers/{id}/archive``) has already been bounded in bytes by
the caller; here each member is checked on its header before its data is taken: the number
of files, each file's size and the total against the workspace's bounds. Links, devices and
FIFOs cannot live in a workspace (regular files only): they are skipped and named, so the
student learns what did not come across. Pure functions: the executor runs them in a thread.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import posixpath
import tarfile
import time
from collections.abc import Mapping
from dataclasses import dataclass

from moussaillon.sandbox.build.source import FileLimits
from moussaillon.sandbox.errors import SandboxRefused

KIB = 1024
# Go's os.FileMode type bits, as the stat header carries them.
MODE_DIR = 1 << 31
MODE_SYMLINK = 1 << 27
MODE_DEVICE = 1 << 26
MODE_PIPE = 1 << 25
MODE_SOCKET = 1 << 24
MODE_CHAR_DEVICE = 1 << 21
MODE_IRREGULAR = 1 << 19
MODE_TYPE = MODE_DIR | MODE_SYMLINK | MODE_DEVICE | MODE_PIPE | MODE_SOCKET | MODE_CHAR_DEVICE


@dataclass(frozen=True)
class PathStat:
    """``X-Docker-Container-Path-Stat``: what the engine says of a path before any copy."""

    name: str
    size: int
    mode: int
    link_target: str = ""

    @property
    def is_dir(self) -> bool:
        return bool(self.mode & MODE_DIR)

    @property
    def is_link(self) -> bool:
        return bool(self.mode & MODE_SYMLINK)

    @property
    def is_regular(self) -> bool:
        return not self.mode & (MODE_TYPE | MODE_IRREGULAR)


def decode_stat(header: str | None) -> PathStat | None:
    if not header:
        return None
    try:
        found = json.loads(base64.b64decode(header))
        return PathStat(
            name=str(found.get("name") or ""),
            size=int(found.get("size") or 0),
            mode=int(found.get("mode") or 0),
            link_target=str(found.get("linkTarget") or ""),
        )
    except (ValueError, binascii.Error, TypeError, AttributeError):
        return None


def human_copied(size: int) -> str:
    """The docker CLI's ``Successfully copied 2.05kB``: decimal units, 3 significant digits."""
    units = ("B", "kB", "MB", "GB", "TB")
    value = float(size)
    index = 0
    while value >= 1000 and index < len(units) - 1:
        value /= 1000
        index += 1
    return f"{value:.3g}{units[index]}"


@dataclass
class Unpacked:
    files: dict[str, bytes]  # relative to the copied path ("" for a copied file itself)
    skipped: list[str]  # "path -> target" of links, "path" of devices and FIFOs


def _relative(name: str) -> str:
    """A member's path below the copied one: the engine roots the tar at its base name."""
    cleaned = posixpath.normpath(name.lstrip("/"))
    if cleaned in (".", "..") or cleaned.startswith("../"):
        return ""
    _, _, rest = cleaned.partition("/")
    return rest


def unpack(data: bytes, limits: FileLimits) -> Unpacked:
    """The regular files of an archive the engine sent, checked on their headers first."""
    found = Unpacked(files={}, skipped=[])
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for member in archive:
                relative = _relative(member.name)
                shown = member.name.lstrip("/")
                if member.isdir():
                    continue
                if member.issym() or member.islnk():
                    found.skipped.append(f"{shown} -> {member.linkname}")
                    continue
                if not member.isreg():
                    found.skipped.append(shown)
                    continue
                if len(found.files) + 1 > limits.max_files:
                    raise SandboxRefused("sandbox.transfer.too_many_files", limit=limits.max_files)
                if member.size > limits.max_file:
                    raise SandboxRefused(
                        "sandbox.transfer.file_too_big",
                        path=shown[:100],
                        size=member.size,
                        limit=limits.max_file // KIB,
                    )
                total += member.size
                if total > limits.max_total:
                    raise SandboxRefused(
                        "sandbox.transfer.total_too_big", limit=limits.max_total // KIB
                    )
                source = archive.extractfile(member)
                if source is None:
                    continue
                found.files[relative] = source.read(member.size)
    except tarfile.TarError as exc:
        raise SandboxRefused("sandbox.transfer.corrupt", detail=str(exc)[:120]) from None
    return found


def pack(files: Mapping[str, bytes]) -> bytes:
    """A tar of ``files`` (paths relative to where the engine extracts it), with the folders
    they need; owned by root and world-readable, as ``docker cp`` leaves copied files."""
    buffer = io.BytesIO()
    now = int(time.time())
    folders = sorted(
        {
            "/".join(path.split("/")[:depth])
            for path in files
            for depth in range(1, path.count("/") + 1)
        }
    )
    with tarfile.open(fileobj=buffer, mode="w:", format=tarfile.PAX_FORMAT) as archive:
        for folder in folders:
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, now
            archive.addfile(info)
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), 0o644, now
            archive.addfile(info, io.BytesIO(data))
        end = archive.offset + 2 * tarfile.BLOCKSIZE  # Go's writer pads no further
    return buffer.getvalue()[:end]


def _inside(name: str) -> bool:
    """A member that lands inside the folder it is extracted into (no ``/x``, no ``..``)."""
    if name.startswith("/") or "\\" in name:
        return False
    return ".." not in posixpath.normpath(name).split("/")


def check_upload(data: bytes, limits: FileLimits) -> None:
    """A tar the student's own ``docker cp`` sends into a container, checked whole before the
    engine sees a byte: no member outside its folder, no link, device or FIFO (what lands is
    files and folders), and the bounds of a copy out (members, each file, the total)."""
    if len(data) > limits.max_archive:
        raise SandboxRefused("sandbox.transfer.upload_too_big", limit=limits.max_archive // KIB)
    entries = files = total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for member in archive:
                shown = member.name[:100]
                entries += 1
                if entries > limits.max_entries:
                    raise SandboxRefused(
                        "sandbox.transfer.upload_entries", limit=limits.max_entries
                    )
                if not _inside(member.name):
                    raise SandboxRefused("sandbox.transfer.upload_outside", path=shown)
                if member.issym() or member.islnk():
                    raise SandboxRefused(
                        "sandbox.transfer.upload_link", path=shown, target=member.linkname[:100]
                    )
                if member.isdir():
                    continue
                if not member.isreg():
                    raise SandboxRefused("sandbox.transfer.upload_special", path=shown)
                files += 1
                if files > limits.max_files:
                    raise SandboxRefused("sandbox.transfer.too_many_files", limit=limits.max_files)
                if member.size > limits.max_file:
                    raise SandboxRefused(
                        "sandbox.transfer.upload_file_too_big",
                        path=shown,
                        size=member.size,
                        limit=limits.max_file // KIB,
                    )
                total += member.size
                if total > limits.max_total:
                    raise SandboxRefused(
                        "sandbox.transfer.upload_total_too_big", limit=limits.max_total // KIB
                    )
    except tarfile.TarError as exc:
        raise SandboxRefused("sandbox.transfer.upload_corrupt", detail=str(exc)[:120]) from None
