"""The same sandbox under gVisor (``MOUSSAILLON_SANDBOX_RUNTIME=runsc``), on the real engine.

CI configures runsc with ``--network=none`` (see .ci/run), so these tests cover what runs
without a network: commands, the forced limits, and that the kernel is gVisor's, not the host's.
An engine without runsc skips them with the command that registers it (fails them under CI).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok

pytestmark = pytest.mark.docker


@pytest.fixture
async def gvisor(
    docker: aiodocker.Docker, runsc_runtime: str, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_runtime=runsc_runtime,
                              sandbox_timeout_s=15, sandbox_memory_mb=48)
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def test_commands_run_inside_gvisor(
    gvisor: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    hello = await ok(gvisor, clean_user_id, "docker run --rm alpine echo bonjour")
    assert hello.output == "bonjour\n"
    kernel = await ok(gvisor, clean_user_id, "docker run --rm alpine dmesg")
    assert "gVisor" in kernel.output  # runc would refuse dmesg; gVisor shows its own kernel
    started = await ok(gvisor, clean_user_id, "docker run -d --name web nginx")
    raw = await docker._query_json(f"containers/{started.output.strip()}/json")
    assert raw["HostConfig"]["Runtime"] == "runsc"
    assert raw["HostConfig"]["ReadonlyRootfs"] is (gvisor.rootfs.root_mb is None)


async def test_limits_hold_under_gvisor(gvisor: SandboxService, clean_user_id: int) -> None:
    hog = "docker run --rm alpine sh -c 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'"
    result = await gvisor.run_command(clean_user_id, hog, "en")
    assert result.exit_code == 137, result
    root = await gvisor.run_command(clean_user_id, "docker run --rm alpine touch /x", "en")
    if gvisor.rootfs.root_mb is None:  # the root is read-only, unless the engine bounds it
        assert root.exit_code == 1 and "Read-only file system" in root.output
    else:
        assert root.exit_code == 0, root
    after = await ok(gvisor, clean_user_id, "docker run --rm alpine echo still fine")
    assert after.output == "still fine\n"
