"""The forced limits hold on the real engine, whatever the student asks for."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker


@pytest.fixture
async def tight(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    """Short time limit, small output cap and tmpfs, for the abuse tests."""
    svc, store = make_service(
        docker,
        standin_images,
        tmp_path,
        sandbox_timeout_s=3,
        sandbox_output_kb=4,
        sandbox_tmpfs_mb=8,
        sandbox_memory_mb=48,
        sandbox_pids=24,
        sandbox_max_containers=10,
    )
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def test_host_config_is_forced(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    started = await ok(
        service, clean_user_id, "docker run -d --name web -p 8080:80 --restart on-failure:9 nginx"
    )
    raw = await docker._query_json(f"containers/{started.output}/json")
    host = raw["HostConfig"]
    settings = service.settings
    assert host["Memory"] == host["MemorySwap"] == settings.sandbox_memory_mb * 1024 * 1024
    assert host["NanoCpus"] == int(settings.sandbox_cpus * 1e9)
    assert host["PidsLimit"] == settings.sandbox_pids
    assert host["CapDrop"] == ["ALL"] and "SYS_ADMIN" not in host["CapAdd"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    # read-only, or writable with its size bound where the engine holds one (rootfs.py)
    root_mb = service.rootfs.root_mb
    assert host["ReadonlyRootfs"] is (root_mb is None) and "/tmp" in host["Tmpfs"]
    assert host.get("StorageOpt") == (None if root_mb is None else {"size": f"{root_mb}M"})
    assert not host["PortBindings"] and not host["Binds"] and host["Privileged"] is False
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert host["NetworkMode"] == f"m-u{clean_user_id}-bridge"
    assert not raw["NetworkSettings"]["Ports"] or all(
        binding is None for binding in raw["NetworkSettings"]["Ports"].values()
    )
    network = await docker._query_json(f"networks/m-u{clean_user_id}-bridge")
    assert network["Internal"] is True
    # the student's inspect shows their names only, no host paths
    shown = await ok(service, clean_user_id, "docker inspect web")
    data = json.loads(shown.output)[0]
    assert data["Name"] == "/web" and "m-u" not in shown.output
    assert data["HostsPath"] == "" and "moussaillon.owner" not in shown.output


async def test_privileged_is_refused_before_the_engine(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    result = await service.run_command(clean_user_id, "docker run --privileged alpine true", "en")
    assert result.refused and result.verdict == "refused" and result.reason
    bind = await service.run_command(clean_user_id, "docker run -v /:/host alpine ls /host", "en")
    assert bind.refused
    mine = await docker._query_json(
        "containers/json",
        params={
            "all": "1",
            "filters": json.dumps({"label": [f"moussaillon.owner=u{clean_user_id}"]}),
        },
    )
    assert mine == []


async def _timeout_kills_and_shows_output(tight: SandboxService, uid: int) -> None:
    result = await tight.run_command(
        uid, "docker run --name slow alpine sh -c 'echo started; sleep 60'", "en"
    )
    assert result.verdict == "timed_out" and result.exit_code is None
    assert result.output.strip() == "started" and result.notes
    assert result.duration_ms < 20_000
    status = await ok(tight, uid, "docker ps -a --filter name=slow --format '{{.Status}}'")
    assert status.output.startswith("Exited (137)")


async def _output_flood_is_capped(tight: SandboxService, uid: int) -> None:
    flood = "docker run --rm alpine sh -c 'yes | head -n 20000; echo END'"
    result = await tight.run_command(uid, flood, "en")
    assert result.exit_code == 0 and result.truncated
    assert len(result.output.encode()) <= 4 * 1024 and result.output.endswith("y\nEND\n")
    assert any("4" in note for note in result.notes)


async def _fork_bomb_hits_the_pids_limit(tight: SandboxService, uid: int) -> None:
    bomb = "docker run --rm alpine sh -c 'f(){ f | f & }; f; sleep 2; echo survived'"
    result = await tight.run_command(uid, bomb, "en")
    assert not result.refused
    assert "can't fork" in result.output or "Resource temporarily unavailable" in result.output


async def _memory_hog_is_oom_killed(tight: SandboxService, uid: int) -> None:
    hog = "docker run --rm alpine sh -c 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'"
    result = await tight.run_command(uid, hog, "en")
    assert result.exit_code == 137, result


async def _disk_filler_stops_at_the_tmpfs_size(tight: SandboxService, uid: int) -> None:
    fill = (
        "docker run --rm alpine sh -c "
        "'dd if=/dev/zero of=/tmp/fill bs=1M count=100; echo SIZE=$(wc -c < /tmp/fill)'"
    )
    result = await tight.run_command(uid, fill, "en")
    assert "No space left on device" in result.output
    size = int(result.output.split("SIZE=")[1].split()[0])
    assert 0 < size <= 8 * 1024 * 1024
    root = await tight.run_command(uid, "docker run --rm alpine touch /fill", "en")
    if tight.rootfs.root_mb is None:  # the root is read-only, unless the engine bounds it
        assert root.exit_code == 1 and "Read-only file system" in root.output
    else:
        assert root.exit_code == 0, root


async def _exec_timeout_returns(tight: SandboxService, uid: int) -> None:
    await ok(tight, uid, "docker run -d --name idle alpine sleep 60")
    result = await tight.run_command(uid, "docker exec idle sh -c 'echo begun; sleep 60'", "en")
    assert result.verdict == "timed_out" and result.output.strip() == "begun"
    assert "docker restart idle" in result.notes[0]


ABUSES = (
    _timeout_kills_and_shows_output,
    _exec_timeout_returns,
    _output_flood_is_capped,
    _fork_bomb_hits_the_pids_limit,
    _memory_hog_is_oom_killed,
    _disk_filler_stops_at_the_tmpfs_size,
)


async def test_abuse_is_contained(tight: SandboxService, clean_user_id: int) -> None:
    """All at once, as a class of students would: each is contained, the engine stays usable."""
    outcomes = await asyncio.gather(
        *(abuse(tight, clean_user_id) for abuse in ABUSES), return_exceptions=True
    )
    failures = {a.__name__: o for a, o in zip(ABUSES, outcomes, strict=True) if o is not None}
    assert not failures, failures
    after = await ok(tight, clean_user_id, "docker run --rm alpine echo engine fine")
    assert after.output.strip() == "engine fine"
