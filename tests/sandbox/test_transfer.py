"""The pure half of ``docker cp`` and ``docker commit``: policy, stat header, tars."""

from __future__ import annotations

import base64
import io
import json
import tarfile

import pytest

from moussaillon.config import Settings
from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.help import help_text
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.policy import Policy
from moussaillon.sandbox.transfer_archive import (
    MODE_DIR,
    MODE_SYMLINK,
    decode_stat,
    human_copied,
    pack,
    unpack,
)
from moussaillon.workspace.limits import Limits

POLICY = Policy.from_settings(Settings())
LIMITS = Limits()


@pytest.mark.parametrize(
    "line",
    [
        "docker cp web:/etc/hostname /home/me",
        "docker cp web:/etc/hostname ~/x",
        "docker cp web:/etc/hostname ../x",
        "docker cp web:/etc/hostname a/../../x",
        "docker cp /etc/passwd web:/tmp",
        "docker cp - web:/tmp",
        "docker cp web:/etc -",
        "docker commit -c 'RUN id' web",
        "docker commit -c 'HEALTHCHECK NONE' web",
        "docker commit -c 'LABEL moussaillon.owner=u1' web",
        "docker commit -m " + "x" * 1001 + " web",
    ],
)
def test_the_policy_refuses(line: str) -> None:
    with pytest.raises(SandboxRefused):
        POLICY.check(parse(line))


@pytest.mark.parametrize(
    "line",
    [
        "docker cp web:/etc/nginx/nginx.conf .",
        "docker cp web:/etc/nginx conf/",
        "docker cp site/. web:/usr/share/nginx/html/",
        "docker cp ./a/../b web:/tmp",
        "docker commit -c 'cmd [\"sh\"]' -c 'ENV A=1' -c 'EXPOSE 80' -c 'USER 101' web app",
        "docker commit -c 'WORKDIR /app' -c 'ENTRYPOINT [\"x\"]' -c 'LABEL role=web' web",
    ],
)
def test_the_policy_accepts(line: str) -> None:
    POLICY.check(parse(line))


def test_docker_s_copied_sizes() -> None:
    assert human_copied(2048) == "2.05kB"
    assert human_copied(512) == "512B"
    assert human_copied(1_536_000) == "1.54MB"


def test_the_stat_header_is_read_and_a_bad_one_ignored() -> None:
    raw = {"name": "nginx", "size": 4096, "mode": MODE_DIR | 0o755, "linkTarget": ""}
    found = decode_stat(base64.b64encode(json.dumps(raw).encode()).decode())
    assert found is not None and found.is_dir and not found.is_regular
    link = decode_stat(base64.b64encode(b'{"name":"l","mode":%d}' % (MODE_SYMLINK | 0o777)))
    assert link is not None and link.is_link
    assert decode_stat("not base64!") is None and decode_stat(None) is None


def _tar(*members: tuple[str, bytes | None, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:") as archive:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            if kind is not None:
                info.type = kind
                info.linkname = data.decode()
                archive.addfile(info)
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_unpack_keeps_regular_files_and_names_the_rest() -> None:
    data = _tar(
        ("etc/a.conf", None, b"a"),
        ("etc/sub/b.conf", None, b"b"),
        ("etc/link", tarfile.SYMTYPE, b"/etc/a.conf"),
        ("etc/null", tarfile.CHRTYPE, b""),
    )
    found = unpack(data, LIMITS)
    assert found.files == {"a.conf": b"a", "sub/b.conf": b"b"}
    assert found.skipped == ["etc/link -> /etc/a.conf", "etc/null"]


@pytest.mark.parametrize(
    ("members", "key"),
    [
        ([(f"d/f{i}", None, b"x") for i in range(65)], "sandbox.transfer.too_many_files"),
        ([("d/big", None, b"x" * (64 * 1024 + 1))], "sandbox.transfer.file_too_big"),
        (
            [(f"d/f{i}", None, b"x" * 60 * 1024) for i in range(5)],
            "sandbox.transfer.total_too_big",
        ),
    ],
)
def test_unpack_enforces_the_workspace_s_bounds(
    members: list[tuple[str, bytes | None, bytes]], key: str
) -> None:
    with pytest.raises(SandboxRefused) as caught:
        unpack(_tar(*members), LIMITS)
    assert caught.value.key == key


def test_pack_makes_the_folders_and_ends_like_go_s_writer() -> None:
    data = pack({"site/index.html": b"hi", "site/css/a.css": b"x"})
    assert len(data) % 512 == 0 and len(data) < 10240
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        names = {m.name: m.isdir() for m in archive}
    assert names == {
        "site": True,
        "site/css": True,
        "site/index.html": False,
        "site/css/a.css": False,
    }
    assert len(pack({"f": b"1"})) == 2048  # docker's "Successfully copied 2.05kB"


def test_help_names_both_commands_in_both_languages() -> None:
    assert "docker cp" in help_text("container.cp", "fr")
    assert "-c, --change" in help_text("container.commit", "en")
    assert "MYWEB" not in help_text("container.commit", "en")


@pytest.mark.parametrize(
    "line",
    ["docker cp web:/etc/hostname /home/me", "docker cp - web:/tmp", "docker commit -c 'RUN x' w"],
)
def test_refusals_are_one_line_in_both_languages(line: str) -> None:
    with pytest.raises(SandboxRefused) as caught:
        POLICY.check(parse(line))
    french, english = caught.value.message("fr"), caught.value.message("en")
    assert french != english and "{" not in french + english
    assert "\n" not in french + english
