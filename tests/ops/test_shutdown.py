"""Graceful shutdown of the sandbox: queued students are told, nothing is left on the engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiodocker
import pytest

from moussaillon.core.i18n import t
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.scope import Scope
from tests.sandbox.conftest import make_user_id  # noqa: F401 (fixture)
from tests.sandbox.engine_support import make_service

pytestmark = pytest.mark.docker


@pytest.fixture
async def docker():
    client = aiodocker.Docker()
    try:
        yield client
    finally:
        await client.close()


async def test_drain_finishes_running_commands_and_tells_the_queued_ones(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    tmp_path: Path,
    make_user_id,  # noqa: F811
):
    service, store = make_service(docker, standin_images, tmp_path, sandbox_concurrency=1)
    running_student, waiting_student = make_user_id(), make_user_id()
    positions: list[int] = []

    async def queued(position: int) -> None:
        positions.append(position)

    try:
        running = asyncio.create_task(
            service.run_command(running_student, "docker run --rm alpine sleep 2", lang="en")
        )
        while service.scheduler.active == 0:
            await asyncio.sleep(0.01)
        waiting = [
            asyncio.create_task(
                service.run_command(
                    waiting_student, f"docker run --rm alpine echo {i}", "en", on_wait=queued
                )
            )
            for i in range(2)
        ]
        while service.scheduler.queue_length < 2:
            await asyncio.sleep(0.01)

        told = await service.drain(0.3)
        late = await service.run_command(waiting_student, "docker ps", lang="en")
        first = await running
        results = await asyncio.gather(*waiting)
    finally:
        await service.close()
        store.close()

    assert told == 2 and positions == [1, 2]
    assert first.verdict == "ran" and first.exit_code == 0, first
    closing = t("sandbox.queue.closing", "en")
    for result in (*results, late):
        assert result.refused and result.reason == closing, result
    assert service.scheduler.active == 0 and service.scheduler.queue_length == 0
    for student in (running_student, waiting_student):
        assert await Scope.for_user(student).containers(Engine(docker)) == []  # nothing left behind
