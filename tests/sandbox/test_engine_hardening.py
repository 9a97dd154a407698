"""Forced limits that hold a shared resource: stop/restart grace periods, the cgroup namespace."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok

pytestmark = pytest.mark.docker

STUBBORN = "docker run -d --network none --name {name} alpine sh -c 'trap \"\" TERM; sleep 300'"
HEX64 = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
async def short(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    """A sandbox whose time limit (3 s) is below docker's default grace period (10 s)."""
    svc, store = make_service(
        docker, standin_images, tmp_path, sandbox_timeout_s=3, sandbox_stop_s=10
    )
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def _state(docker: aiodocker.Docker, user_id: int, name: str) -> dict:
    return (await docker._query_json(f"containers/m-u{user_id}-{name}/json"))["State"]


async def test_stop_without_limit_waits_the_sandbox_limit_only(
    short: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    for name in ("a", "b"):
        await ok(short, uid, STUBBORN.format(name=name))
    started = time.monotonic()
    stopped = await short.run_command(uid, "docker stop -t -1 a b", "en")
    took = time.monotonic() - started
    assert stopped.exit_code == 0 and stopped.output.split() == ["a", "b"], stopped
    assert took < 3 + 4, took  # both at once, killed after the 3 s limit (not 30 s, not 6 s)
    assert "at most 3 s" in stopped.notes[0]
    assert (await _state(docker, uid, "a"))["Running"] is False


async def test_restart_grace_is_bounded_too(
    short: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(short, uid, STUBBORN.format(name="c"))
    for asked in ("-1", "3600"):
        started = time.monotonic()
        restarted = await short.run_command(uid, f"docker restart -t {asked} c", "en")
        assert restarted.exit_code == 0 and restarted.notes, restarted
        assert time.monotonic() - started < 3 + 4
    assert (await _state(docker, uid, "c"))["Running"] is True
    quick = await short.run_command(uid, "docker stop -t 0 c", "en")
    assert quick.exit_code == 0 and quick.notes == []


async def test_stop_grace_is_bounded_by_the_setting(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    """``sandbox_stop_s`` (the tests' 1 s) caps ``-t`` below the run time limit (6 s)."""
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_stop_s=1)
    try:
        await ok(svc, clean_user_id, STUBBORN.format(name="d"))
        started = time.monotonic()
        stopped = await svc.run_command(clean_user_id, "docker stop -t 5 d", "en")
        took = time.monotonic() - started
        assert stopped.exit_code == 0 and stopped.output.split() == ["d"], stopped
        assert took < 1 + 4, took  # killed after 1 s, not the 5 s asked
        assert "at most 1 s" in stopped.notes[0]
        assert (await _state(docker, clean_user_id, "d"))["Running"] is False
    finally:
        await svc.close()
        store.close()


async def test_cgroup_namespace_is_private(
    short: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    shown = await ok(short, clean_user_id, "docker run -d --network none --name cg alpine sleep 60")
    cgroups = await ok(short, clean_user_id, "docker exec cg cat /proc/self/cgroup")
    lines = cgroups.output.split()
    assert lines and not HEX64.search(cgroups.output), cgroups.output
    assert all(line.endswith(":/") for line in lines), lines  # the namespace's own root
    raw = await docker._query_json(f"containers/{shown.output.strip()}/json")
    assert raw["HostConfig"]["CgroupnsMode"] == "private"


async def test_cgroup_namespace_under_gvisor(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    assert "runsc" in (await docker.system.info())["Runtimes"]
    svc, store = make_service(
        docker,
        standin_images,
        tmp_path,
        sandbox_runtime="runsc",
        sandbox_memory_mb=48,
        sandbox_timeout_s=15,
    )
    try:
        shown = await ok(
            svc, clean_user_id, "docker run --rm --network none alpine cat /proc/self/cgroup"
        )
        assert not HEX64.search(shown.output)
        assert all(line.endswith(":/") for line in shown.output.split()), shown.output
    finally:
        await svc.close()
        store.close()
