"""The root file system decision on this machine's engine: the probe agrees with what the engine
really accepts, and where it cannot bound a root (overlay2 on extfs) the student keeps today's
read-only root and reads why once. The writable path runs on an XFS engine: test_rootfs_xfs.py."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.hostconfig import host_config
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.rootfs import LOOSE_DRIVERS, RootFs, failed_paths, probe
from moussaillon.sandbox.scope import Scope
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service

EROFS = "sh: can't create /hello.txt: Read-only file system"


def test_a_writable_root_changes_the_root_and_nothing_else():
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    plain = host_config(settings, network="none")
    writable = host_config(settings, network="none", root_mb=32)
    assert plain["ReadonlyRootfs"] is True and "StorageOpt" not in plain
    assert writable.pop("ReadonlyRootfs") is False
    assert writable.pop("StorageOpt") == {"size": "32M"}
    plain.pop("ReadonlyRootfs")
    assert writable == plain  # memory, cpus, pids, caps, tmpfs … all still forced


async def test_the_read_only_note_is_given_once_per_student(docker: aiodocker.Docker):
    rootfs = RootFs(Settings(_env_file=None, sandbox_root="readonly"))  # type: ignore[call-arg]
    engine = Engine(docker)
    run = parse("docker run --rm alpine sh -c 'echo hi > /hello.txt'")
    note = t("sandbox.rootfs.note.readonly", "en", paths="/tmp, /var/tmp, /run")
    assert rootfs.root_mb is None
    u1, u2, u3 = (Scope.for_user(n) for n in (1, 2, 3))
    assert await rootfs.notes_for(engine, u1, run, EROFS, "en") == [note]
    assert await rootfs.notes_for(engine, u1, run, EROFS, "en") == []
    assert await rootfs.notes_for(engine, u2, run, EROFS, "fr") != []
    assert await rootfs.notes_for(engine, u3, run, "hi", "fr") == []  # no write refused


async def test_no_note_when_the_student_asked_for_read_only(docker: aiodocker.Docker):
    rootfs = RootFs(Settings(_env_file=None, sandbox_root="readonly"))  # type: ignore[call-arg]
    engine, scope = Engine(docker), Scope.for_user(1)
    on_volume = parse("docker run --rm -v notes:/data:ro alpine touch /data/x")
    refused = "touch: /data/x: Read-only file system"
    assert await rootfs.notes_for(engine, scope, on_volume, refused, "en") == []
    asked = parse("docker run --rm --read-only alpine touch /x")
    assert (
        await rootfs.notes_for(engine, scope, asked, "touch: /x: Read-only file system", "en") == []
    )
    assert await rootfs.notes_for(engine, scope, on_volume, EROFS, "en") != []  # not on /data


def test_the_refused_paths_are_read_as_tools_print_them():
    output = "\n".join(
        [
            "sh: can't create /hello.txt: Read-only file system",
            "touch: /x: Read-only file system",
            "mkdir: can't create directory '/srv/a': Read-only file system",
            "cp: cannot create regular file '/etc/motd': Read-only file system",
            "bash: /root/.history: Read-only file system",
        ]
    )
    assert failed_paths(output) == ["/hello.txt", "/x", "/srv/a", "/etc/motd", "/root/.history"]


@pytest.fixture
async def service(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    svc, store = make_service(docker, standin_images, tmp_path)
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def _engine_accepts_a_size(docker: aiodocker.Docker, image: str) -> bool:
    """The engine's own word, without the sandbox: create (never start) with a size bound."""
    name = f"m-rootfs-test-{secrets.token_hex(4)}"
    body = {
        "Image": image,
        "Labels": {labels.SANDBOX: "1", labels.OWNER: "rootfs-test"},
        "HostConfig": {"StorageOpt": {"size": "64M"}},
    }
    try:
        created = await docker._query_json(
            "containers/create", "POST", params={"name": name}, data=body
        )
    except aiodocker.DockerError as exc:
        assert exc.status in (400, 500), exc
        return False
    await docker.containers.container(created["Id"]).delete(force=True)
    return True


async def test_the_probe_says_what_the_engine_does(
    docker: aiodocker.Docker, standin_images: dict[str, str]
):
    settings = Settings(_env_file=None, sandbox_images="alpine")  # type: ignore[call-arg]
    answer = await probe(Engine(docker), settings)
    accepts = await _engine_accepts_a_size(docker, standin_images["alpine"])
    driver = (await docker.system.info())["Driver"]
    assert answer.writable is (accepts and driver not in LOOSE_DRIVERS), answer
    left = await docker.containers.list(
        all=True, filters={"label": [f"{labels.OWNER}=rootfs"], "name": ["m-rootfs-"]}
    )
    assert not left, "the probe left its container behind"


async def test_the_student_writes_where_the_engine_allows_and_is_told_once_where_not(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
):
    line = "docker run --rm alpine sh -c 'echo hi > /hello.txt && cat /hello.txt'"
    first = await service.run_command(clean_user_id, line, lang="en")
    again = await service.run_command(clean_user_id, line, lang="en")
    in_tmp = await service.run_command(
        clean_user_id, "docker run --rm alpine sh -c 'echo hi > /tmp/x && cat /tmp/x'", "en"
    )
    assert in_tmp.exit_code == 0 and in_tmp.output.strip() == "hi", in_tmp
    note = t("sandbox.rootfs.note.readonly", "en", paths="/tmp, /var/tmp, /run")
    if service.rootfs.root_mb is not None:  # an engine with XFS quotas: the writable path
        assert first.exit_code == 0 and first.output.strip() == "hi", first
        assert note not in first.notes
        return
    assert service.rootfs.answer.writable is False, service.rootfs.answer
    assert first.exit_code == 1 and "Read-only file system" in first.output, first
    assert first.notes.count(note) == 1, first.notes
    assert again.exit_code == 1 and note not in again.notes, again  # once, not every command
    assert note not in in_tmp.notes
