"""Builds that misbehave, on the real engine: each is stopped with a clear message, leaves no
container behind, and another student's commands keep answering."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.build.cgroups import ROOT, remove_caps
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.build.support import CGROUP_PARENT, Files, build_service, left_of, shown_ids
from tests.sandbox.engine_support import ok

RUNNING = re.compile(r"Running in ([0-9a-f]{12})")


@pytest.fixture(name="tight")
async def tight_fixture(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[SandboxService, Files]]:
    svc, store, files = build_service(
        docker,
        standin_images,
        tmp_path,
        build_timeout_s=8,
        build_disk_mb=16,
        build_output_kb=64,
        build_pids=32,
    )
    try:
        yield svc, files
    finally:
        from moussaillon.sandbox.build import records

        for owner in await records.owners(store):
            await records.purge_images(svc.engine, store, owner)
        await svc.close()
        store.close()
        remove_caps(ROOT, "1", CGROUP_PARENT, svc.settings.build_concurrency)


async def _build(
    service: SandboxService, user_id: int, dockerfile: str, line: str = "docker build ."
) -> tuple[object, list[str]]:
    service.files.put(user_id, {"Dockerfile": dockerfile})  # type: ignore[union-attr]
    heard: list[str] = []

    async def hear(text: str) -> None:
        heard.append(text)

    result = await service.run_command(user_id, line, lang="en", on_output=hear)
    return result, RUNNING.findall("".join(heard))


async def _gone(docker: aiodocker.Docker, containers: list[str]) -> None:
    assert containers, "the build never started a step"
    for container in containers:
        with pytest.raises(aiodocker.DockerError) as caught:
            await Engine(docker).get(f"containers/{container}/json")
        assert caught.value.status == 404, container


async def _neighbour_answers(service: SandboxService, user_id: int) -> None:
    await ok(service, user_id, "docker ps")


async def test_a_fork_bomb_hits_the_builds_pids_cap(
    tight: tuple[SandboxService, Files], make_user_id, docker: aiodocker.Docker
) -> None:
    service, _ = tight
    student, neighbour = make_user_id(), make_user_id()
    bomb = "FROM alpine\nRUN for i in $(seq 1 200); do sleep 20 & done; wait\n"
    building = asyncio.create_task(_build(service, student, bomb))
    await asyncio.sleep(2)
    await _neighbour_answers(service, neighbour)
    result, containers = await building
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "can't fork" in result.output  # type: ignore[attr-defined]
    assert "returned a non-zero code" in result.output  # type: ignore[attr-defined]
    slots = [ROOT / "pids" / CGROUP_PARENT / f"slot{i}" for i in range(2)]
    assert all((slot / "pids.max").read_text().strip() == "32" for slot in slots)
    peaks = [
        int((slot / "pids.peak").read_text()) for slot in slots if (slot / "pids.peak").exists()
    ]
    assert not peaks or max(peaks) == 32, peaks  # the kernel's record: the cap was reached
    await _gone(docker, containers)


async def test_a_build_that_loops_forever_is_cancelled_at_the_wall_clock(
    tight: tuple[SandboxService, Files], make_user_id, docker: aiodocker.Docker
) -> None:
    service, _ = tight
    student, neighbour = make_user_id(), make_user_id()
    building = asyncio.create_task(
        _build(service, student, "FROM alpine\nRUN while true; do :; done\n")
    )
    await asyncio.sleep(2)
    await _neighbour_answers(service, neighbour)
    result, containers = await building
    assert result.exit_code == 1 and result.verdict == "timed_out"  # type: ignore[attr-defined]
    assert any("8" in note and "cancelled" in note for note in result.notes)  # type: ignore[attr-defined]
    await _gone(docker, containers)


async def test_a_build_that_fills_its_disk_is_stopped(
    tight: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, _ = tight
    filler = "FROM alpine\nRUN while true; do head -c 1048576 /dev/zero >> /big; sleep 0.05; done\n"
    result, containers = await _build(service, clean_user_id, filler)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert any("16 MB" in note for note in result.notes), result  # type: ignore[attr-defined]
    await _gone(docker, containers)


async def test_a_build_that_prints_without_end_is_cut_at_the_output_cap(
    tight: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, _ = tight
    result, containers = await _build(service, clean_user_id, "FROM alpine\nRUN yes AAAAAAAA\n")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert any("64 KB" in note for note in result.notes), result  # type: ignore[attr-defined]
    assert len(result.output) < 200 * 1024  # type: ignore[attr-defined]
    await _gone(docker, containers)


async def test_a_second_build_at_once_is_refused(
    tight: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, files = tight
    files.put(clean_user_id, {"Dockerfile": f"FROM alpine\nRUN sleep 4; echo {clean_user_id}\n"})
    started = asyncio.Event()

    async def hear(text: str) -> None:
        if "Running in" in text:
            started.set()

    first = asyncio.create_task(
        service.run_command(clean_user_id, "docker build .", lang="en", on_output=hear)
    )
    await asyncio.wait_for(started.wait(), 30)
    second = await service.run_command(clean_user_id, "docker build .", lang="en")
    assert second.refused and "already running" in (second.reason or "")  # type: ignore[attr-defined]
    result = await first
    assert result.exit_code == 0, result


async def test_nothing_of_the_bad_builds_is_left_after_reset(
    tight: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, _ = tight
    dockerfile = f"FROM alpine\nRUN echo {clean_user_id} > /a\nRUN false\n"
    result, _ = await _build(service, clean_user_id, dockerfile)
    ids = shown_ids(result.output)  # type: ignore[attr-defined]
    bases = service.settings.sandbox_images
    assert await left_of(docker, ids, bases)  # the first step's layer is there
    await service.reset(clean_user_id)
    assert await left_of(docker, ids, bases) == set()


async def test_a_build_whose_command_is_cancelled_leaves_no_container(
    tight: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, files = tight
    files.put(clean_user_id, {"Dockerfile": f"FROM alpine\nRUN sleep 30; echo {clean_user_id}\n"})
    heard: list[str] = []
    started = asyncio.Event()

    async def hear(text: str) -> None:
        heard.append(text)
        if "Running in" in text:
            started.set()

    task = asyncio.create_task(
        service.run_command(clean_user_id, "docker build .", lang="en", on_output=hear)
    )
    await asyncio.wait_for(started.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _gone(docker, RUNNING.findall("".join(heard)))
