"""The sandbox on the real engine: its overhead over raw aiodocker.

Interleaved in one run: ``docker run --rm alpine echo hi`` through the whole pipeline (parse,
policy, rate limit, fair queue, scope, forced limits, journal) against the raw aiodocker
sequence create/start/wait/logs/delete, once with a plain HostConfig and once with the
sandbox's own HostConfig and network (so the ratio isolates our code from the engine's cost of
the limits); the same for ``exec`` into a running container and ``ps``. A whole class (60 to
500 students doing a network lab, successes and failures by exit code) is ``bench.sandbox_class``.

Needs a running engine and the stand-in images (``moussaillon sandbox prepare --offline``).
Run: python -m bench.sandbox [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import aiodocker

from bench.common import line
from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine, create_docker
from moussaillon.sandbox.hostconfig import host_config
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.sandbox.service import SandboxService

BASE_USER = 8_800_000


async def raw_run(
    docker: aiodocker.Docker, config: dict | None = None, marks: dict[str, str] | None = None
) -> None:
    """``docker run --rm alpine echo hi`` as bare API calls: the baseline of every ratio."""
    container = await docker.containers.create(
        {
            "Image": "alpine:latest",
            "Cmd": ["echo", "hi"],
            "HostConfig": config or {"NetworkMode": "none"},
            "Labels": marks or {},
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
        await purge_owner(Engine(docker), labels.owner_key(user))
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


async def main(quick: bool) -> None:
    folder = Path(tempfile.mkdtemp())
    settings = Settings(_env_file=None, db_path=folder / "bench.db")
    store = Store(settings.db_path, migrations())
    docker = create_docker(settings)
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
    finally:
        await purge_owner(Engine(docker), labels.owner_key(BASE_USER))
        await unlimited.close()
        await docker.close()
        store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 rounds instead of 20")
    asyncio.run(main(parser.parse_args().quick))
