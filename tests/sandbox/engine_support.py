"""The service fixture shared by the executor's engine tests (import it into a test module).

Kept out of conftest.py (another helper's file); ``start()`` is never called here because
reaping orphans would remove objects of tests running beside these ones.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox.service import CommandResult, SandboxService


def worker_subnets() -> str:
    """A quarter of the default range per xdist worker: test processes sharing one engine then
    never race for the same subnets (the allocator copes with such races, but three processes
    creating networks all the time can exhaust its retries)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return "10.213.0.0/16"
    return f"10.213.{(int(worker[2:]) % 4) * 64}.0/18"


FAST = {
    "sandbox_subnets": worker_subnets(),
    "sandbox_timeout_s": 6,
    # A stop waits its whole grace period (no init: PID 1 ignores TERM); 10 s per stop added
    # minutes to the suite. Tests of the grace itself set their own.
    "sandbox_stop_s": 1,
    "sandbox_commands_per_minute": 6000,
    "sandbox_burst": 1000,
    "sandbox_memory_mb": 64,
    "sandbox_tmpfs_mb": 16,
}


def make_service(
    docker: aiodocker.Docker, images: dict[str, str], path: Path, **overrides: object
) -> tuple[SandboxService, Store]:
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in images.items()),
        **{**FAST, **overrides},  # type: ignore[arg-type]
    )
    store = Store(path / "moussaillon.db", migrations())
    return SandboxService(settings, store, docker), store


@pytest.fixture(name="service")
async def service_fixture(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    svc, store = make_service(docker, standin_images, tmp_path)
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def ok(service: SandboxService, user_id: int, line: str) -> CommandResult:
    """Run a command that must succeed; the assertion shows everything when it does not."""
    result = await service.run_command(user_id, line, lang="en")
    assert result.exit_code == 0 and not result.refused, (line, result)
    return result
