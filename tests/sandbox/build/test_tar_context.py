"""The context tar the student's own CLI sends, read under the workspace's bounds."""

from __future__ import annotations

import gzip
import io
import tarfile

import pytest

from moussaillon.sandbox.build.errors import ContextError
from moussaillon.sandbox.build.tar_context import ContextLimits, read_context

LIMITS = ContextLimits(max_files=4, max_total=8 * 1024, max_file=4 * 1024, max_depth=3)


def tar(*members: tarfile.TarInfo | tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
            else:
                info = tarfile.TarInfo(member[0])
                info.size = len(member[1])
                archive.addfile(info, io.BytesIO(member[1]))
    return buffer.getvalue()


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def key_of(data: bytes) -> str:
    with pytest.raises(ContextError) as caught:
        read_context(data, LIMITS)
    return caught.value.key


def test_files_come_back_by_path_plain_or_gzip() -> None:
    data = tar(("./Dockerfile", b"FROM alpine\n"), ("app/x.txt", b"x"))
    expected = {"Dockerfile": b"FROM alpine\n", "app/x.txt": b"x"}
    assert read_context(data, LIMITS) == expected
    assert read_context(gzip.compress(data), LIMITS) == expected


def test_links_leaving_paths_and_specials_are_refused() -> None:
    assert key_of(tar(link("passwd", "/etc/passwd"))) == "sandbox.build.context.tar_link"
    hard = link("h", "Dockerfile", tarfile.LNKTYPE)
    assert key_of(tar(("Dockerfile", b"x"), hard)) == "sandbox.build.context.tar_link"
    assert key_of(tar(("../escape", b"x"))) == "sandbox.build.context.tar_path"
    assert key_of(tar(("/etc/x", b"x"))) == "sandbox.build.context.tar_path"
    fifo = tarfile.TarInfo("pipe")
    fifo.type = tarfile.FIFOTYPE
    assert key_of(tar(fifo)) == "sandbox.build.context.tar_special"
    assert key_of(tar(("a/b/c/d", b"x"))) == "sandbox.build.context.tar_deep"


def test_bounds_are_checked_on_the_headers() -> None:
    assert key_of(tar(("big", b"x" * 5000))) == "sandbox.build.context.tar_file_big"
    many = [(f"f{i}", b"x") for i in range(5)]
    assert key_of(tar(*many)) == "sandbox.build.context.tar_files"
    total = [(f"f{i}", b"x" * 3000) for i in range(3)]
    assert key_of(tar(*total)) == "sandbox.build.context.tar_total"
    assert key_of(b"\0" * (LIMITS.max_archive + 1)) == "sandbox.build.context.tar_big"


def test_a_gzip_bomb_stops_at_the_bound() -> None:
    buffer = io.BytesIO()  # a 5 MB GNU long name: inflated before any header bound can see it
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
        archive.addfile(tarfile.TarInfo("x" * (5 * 1024 * 1024)))
    bomb = gzip.compress(buffer.getvalue())
    assert len(bomb) < LIMITS.max_archive
    assert key_of(bomb) == "sandbox.build.context.tar_inflated"
    assert key_of(b"BZh91AY&SY") == "sandbox.build.context.tar_compression"
    assert key_of(b"not a tar at all" * 40) == "sandbox.build.context.tar_corrupt"
