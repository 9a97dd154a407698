"""The sandbox on the real engine: its overhead over raw aiodocker, and a class of 60.

1. Overhead, interleaved in one run: ``docker run --rm alpine echo hi`` through the whole
   pipeline (parse, policy, rate limit, fair queue, scope, forced limits, journal) against the
   raw aiodocker sequence create/start/wait/logs/delete, once with a plain HostConfig and once
   with the sandbox's own HostConfig and network (so the ratio isolates our code from the
   engine's cost of the limits); the same for ``exec`` into a running container and ``ps``.
2. A class: 60 students each send 5 mixed commands at random moments within one minute, with
   the default limits (10/min, burst 5, concurrency 8): completed, refused by the rate limit,
   p50/p95 latency, the longest wait in the fair queue; then the reaper runs as if everyone
   had gone idle, and the objects left behind are counted (target: 0).

Needs a running engine and the stand-in images (``moussaillon sandbox prepare --offline``).
Run: python -m bench.sandbox [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiodocker

from bench.common import line, percentile, summary
from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.clock import utcnow
from moussaillon.core.store import Store
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.hostconfig import host_config
from moussaillon.sandbox.reaper import Reaper, inventory, purge_owner
from moussaillon.sandbox.service import SandboxService

BASE_USER = 8_800_000


async def raw_run(docker: aiodocker.Docker, config: dict | None = None) -> None:
    container = await docker.containers.create(
        {
            "Image": "alpine:latest",
            "Cmd": ["echo", "hi"],
            "HostConfig": config or {"NetworkMode": "none"},
        }
    )
    try:
        await container.start()
        async with asyncio.timeout(20):
            await container.wait()
        await container.log(stdout=True, stderr=True)
    finally:
        await container.delete(force=True)


async def raw_exec(container: aiodocker.docker.DockerContainer) -> None:
    execution = await container.exec(["echo", "hi"], stdout=True, stderr=True)
    async with asyncio.timeout(20), execution.start(detach=False) as stream:
        while await stream.read_out() is not None:
            pass
    await execution.inspect()


async def timed(work, samples: list[float]) -> None:
    start = time.perf_counter()
    await work()
    samples.append((time.perf_counter() - start) * 1000)


async def overhead(service: SandboxService, docker: aiodocker.Docker, rounds: int) -> None:
    user = BASE_USER
    sandboxed_run: list[float] = []
    plain_run: list[float] = []
    limited_run: list[float] = []
    sandboxed_exec: list[float] = []
    plain_exec: list[float] = []
    sandboxed_ps: list[float] = []
    plain_ps: list[float] = []
    # the same forced limits and student network the sandbox uses, without the pipeline
    same_limits = host_config(service.settings, network=f"m-{labels.owner_key(user)}-bridge")
    started = await service.run_command(user, "docker run -d --name web nginx")
    assert started.exit_code == 0, started
    plain = await docker.containers.create(
        {"Image": "nginx:latest", "HostConfig": {"NetworkMode": "none"}}
    )
    await plain.start()
    try:
        for _ in range(3):  # warm-up: the student's network, image caches
            warm = await service.run_command(user, "docker run --rm alpine echo hi")
            assert warm.output == "hi\n", warm
            await raw_run(docker)
        for _ in range(rounds):
            await timed(
                lambda: service.run_command(user, "docker run --rm alpine echo hi"), sandboxed_run
            )
            await timed(lambda: raw_run(docker), plain_run)
            await timed(lambda: raw_run(docker, same_limits), limited_run)
            await timed(
                lambda: service.run_command(user, "docker exec web echo hi"), sandboxed_exec
            )
            await timed(lambda: raw_exec(plain), plain_exec)
            await timed(lambda: service.run_command(user, "docker ps"), sandboxed_ps)
            await timed(lambda: docker.containers.list(all=True), plain_ps)
    finally:
        await plain.delete(force=True)
        await purge_owner(docker, labels.owner_key(user))
    for name, mine, base in (
        ("run --rm alpine echo hi", sandboxed_run, plain_run),
        ("run, raw given the same limits", sandboxed_run, limited_run),
        ("exec web echo hi", sandboxed_exec, plain_exec),
        ("ps", sandboxed_ps, plain_ps),
    ):
        ratio = statistics.median(mine) / statistics.median(base)
        line(
            f"sandbox {name}",
            f"p50 {statistics.median(mine):.1f} ms vs raw aiodocker "
            f"{statistics.median(base):.1f} ms = {ratio:.2f}x",
        )


MIX = (
    "docker run --rm alpine echo bonjour",
    "docker ps -a",
    "docker run -d --name web{n} nginx",
    "docker run --rm alpine/curl --version",
    "docker images",
    "docker volume create data{n}",
    "docker run --rm alpine sh -c 'ls / | wc -l'",
    "docker logs web{n}",
    "docker network ls",
    "docker rm -f web{n}",
)


async def classroom(
    service: SandboxService, docker: aiodocker.Docker, students: int, window_s: float
) -> None:
    rng = random.Random(60)
    latencies: list[float] = []
    verdicts: dict[str, int] = {}
    longest_wait = 0.0
    running = True

    async def watch_queue() -> None:
        nonlocal longest_wait
        while running:
            longest_wait = max(longest_wait, service.scheduler.longest_wait)
            await asyncio.sleep(0.05)

    async def student(index: int) -> None:
        user = BASE_USER + 1 + index
        moments = sorted(rng.uniform(0, window_s) for _ in range(5))
        commands = [rng.choice(MIX).format(n=index % 3) for _ in range(5)]
        began = time.perf_counter()
        for moment, command in zip(moments, commands, strict=True):
            await asyncio.sleep(max(0.0, began + moment - time.perf_counter()))
            start = time.perf_counter()
            result = await service.run_command(user, command)
            latencies.append((time.perf_counter() - start) * 1000)
            verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1

    watcher = asyncio.create_task(watch_queue())
    started = time.perf_counter()
    await asyncio.gather(*(student(i) for i in range(students)))
    elapsed = time.perf_counter() - started
    running = False
    await watcher
    owners = {labels.owner_key(BASE_USER + 1 + i) for i in range(students)}
    line(f"class: {students} students x 5 commands", f"in {elapsed:.1f} s: {verdicts}")
    line("class: command latency", summary(latencies))
    line(
        "class: longest wait in the fair queue",
        f"{longest_wait * 1000:.0f} ms (p99 latency {percentile(latencies, 99):.0f} ms)",
    )

    before = await inventory(docker)
    held = sum(
        1
        for item in (*before.containers, *before.networks, *before.volumes)
        if (item.get("Labels") or {}).get(labels.OWNER) in owners
    )
    later = Reaper(
        docker,
        service.store,
        idle_ttl_min=service.settings.sandbox_idle_ttl_min,
        clock=lambda: utcnow() + timedelta(days=1),
    )
    report = await later.reap_idle()
    after = await inventory(docker)
    left = sum(
        1
        for item in (*after.containers, *after.networks, *after.volumes)
        if (item.get("Labels") or {}).get(labels.OWNER) in owners
    )
    line(
        "class: reaper after everyone went idle",
        f"{held} objects before, {report.removed} removed, {left} left behind",
    )


async def main(quick: bool) -> None:
    folder = Path(tempfile.mkdtemp())
    settings = Settings(_env_file=None, db_path=folder / "bench.db")
    store = Store(settings.db_path, migrations())
    docker = create_docker(settings)
    service = SandboxService(settings, store, docker)
    # the overhead loop is one student typing fast: lift the rate limit there only
    unlimited = SandboxService(
        settings.model_copy(
            update={"sandbox_commands_per_minute": 10_000, "sandbox_burst": 10_000}
        ),
        store,
        docker,
    )
    try:
        await overhead(unlimited, docker, rounds=5 if quick else 20)
        await classroom(service, docker, students=60, window_s=15 if quick else 60)
    finally:
        for index in range(61):
            await purge_owner(docker, labels.owner_key(BASE_USER + index))
        await service.close()
        await unlimited.close()
        await docker.close()
        store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, a 15 s window")
    asyncio.run(main(parser.parse_args().quick))
