"""Builds on the real engine: the pipeline's cost over raw aiodocker, the cache, a class at once.

Interleaved in one run, ``--no-cache`` each time so every round really builds: a 5-step build
(``FROM alpine``, ``COPY``, two ``RUN``, ``CMD``) through the whole pipeline (rate limit, parse,
policy, build slot and fair queue, context, Dockerfile check and render, forced limits,
streamed and shaped output, disk watch, image records, quotas, journal) against the same build
as a raw ``POST /build`` through aiodocker with the same limits (memory, CPU, shm, ulimits,
cgroup parent, no network, the sandbox's one ``LABEL`` line), and against a raw build with no
limits (and no label step). Then a warm rebuild that
hits the cache, and ``--students`` students building a multi-stage C program at once (the
``gcc`` image when present, else a busybox two-stage build), counted by exit code, with the
wait for a build slot, dockerd's CPU, and what is left after the reaper passes.

Needs a running engine and the stand-in images (``moussaillon sandbox prepare --offline``).
Run: python -m bench.build [--rounds 5] [--students 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import statistics
import tarfile
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiodocker

from bench.common import line, percentile
from bench.log_flood import dockerd_pid
from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.clock import utcnow
from moussaillon.core.store import Store
from moussaillon.sandbox.build.cgroups import ROOT, remove_caps
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.executor.build import label_line
from moussaillon.sandbox.reaper import Reaper
from moussaillon.sandbox.service import SandboxService

BASE_USER = 8_900_000
PARENT = f"mbench-build-{os.getpid()}"
FIVE = (
    "FROM alpine\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /a\n"
    'RUN wc -c /a\nCMD ["cat", "/a"]\n'
)
PRIME_C = (
    "#include <stdio.h>\n/* student {user} */\nint main(void) {{ int n = 0;"
    " for (int i = 2; i < 2000; i++) {{ int p = 1; for (int d = 2; d * d <= i; d++)"
    ' if (i % d == 0) {{ p = 0; break; }} n += p; }} printf("%d\\n", n); return 0; }}\n'
)
GCC = (
    "FROM gcc AS build\nWORKDIR /src\nCOPY prime.c .\nRUN gcc -static -O2 -o /prime prime.c\n"
    'FROM scratch\nCOPY --from=build /prime /prime\nCMD ["/prime"]\n'
)
BUSYBOX = (
    "FROM busybox AS build\nCOPY prime.c /src/prime.c\nRUN cp /src/prime.c /prime\n"
    'FROM alpine\nCOPY --from=build /prime /prime\nCMD ["cat", "/prime"]\n'
)


class Files:
    def __init__(self) -> None:
        self.trees: dict[int, dict[str, bytes]] = {}

    async def snapshot(self, user_id: int) -> dict[str, bytes]:
        return self.trees.get(user_id, {})


def tar_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def limited_params(settings: Settings, parent: str) -> dict[str, str | list[str]]:
    memory = str(settings.build_memory_mb * 1024 * 1024)
    ulimits = [{"Name": "nofile", "Soft": 1024, "Hard": 1024}]
    return {
        "version": "1",
        "networkmode": "none",
        "memory": memory,
        "memswap": memory,
        "cpuperiod": "100000",
        "cpuquota": str(int(settings.build_cpus * 100000)),
        "shmsize": str(settings.build_shm_mb * 1024 * 1024),
        "ulimits": json.dumps(ulimits),
        "cgroupparent": parent,
        "forcerm": "1",
        "rm": "1",
        "nocache": "1",
    }


async def raw_build(engine: Engine, tar: bytes, params: dict[str, str | list[str]]) -> str:
    """The same build as bare API calls; the image id (removed by the caller)."""
    final = ""
    async for message in engine.build(tar, params, 300):
        if "error" in message:
            raise RuntimeError(message["error"])
        final = (message.get("aux") or {}).get("ID", final)
    return final


async def remove_images(engine: Engine, ids: list[str]) -> None:
    for image_id in ids:
        with contextlib.suppress(aiodocker.DockerError):
            await engine.delete(f"images/{image_id}")


def dockerd_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def overhead(service: SandboxService, files: Files, rounds: int) -> None:
    engine = service.engine
    user = BASE_USER
    samples: dict[str, list[float]] = {"pipeline": [], "raw same limits": [], "raw no limits": []}
    made: list[str] = []
    await service.builds.cgroups.ready(engine)
    parent = service.builds.cgroups.parent(0)
    for index in range(rounds):
        context = {"Dockerfile": FIVE.encode(), "hello.txt": f"round {index}\n".encode()}
        files.trees[user] = context
        raw_tar = tar_of(context)
        labelled = FIVE + label_line({"moussaillon.sandbox": "1", "moussaillon.owner": f"u{user}"})
        limited_tar = tar_of({**context, "Dockerfile": labelled.encode()})
        order = ["pipeline", "raw same limits", "raw no limits"]
        for kind in order[index % 3 :] + order[: index % 3]:
            start = time.perf_counter()
            if kind == "pipeline":
                result = await service.run_command(user, "docker build --no-cache -t five .")
                assert result.exit_code == 0, result
            elif kind == "raw same limits":
                made.append(
                    await raw_build(engine, limited_tar, limited_params(service.settings, parent))
                )
            else:
                made.append(
                    await raw_build(engine, raw_tar, {"version": "1", "nocache": "1", "rm": "1"})
                )
            samples[kind].append(time.perf_counter() - start)
    medians = {kind: statistics.median(values) for kind, values in samples.items()}
    for kind, value in medians.items():
        line(f"5-step build, {kind}", f"median {value:.2f} s over {rounds}")
    line("pipeline / raw same limits", f"{medians['pipeline'] / medians['raw same limits']:.2f}x")
    line("pipeline / raw no limits", f"{medians['pipeline'] / medians['raw no limits']:.2f}x")
    start = time.perf_counter()
    warm = await service.run_command(user, "docker build -t five .")
    assert warm.exit_code == 0 and "Using cache" in warm.output, warm
    line("warm rebuild (cache)", f"{time.perf_counter() - start:.2f} s")
    await remove_images(engine, made)
    await service.reset(user)


async def class_build(
    service: SandboxService, files: Files, students: int, dockerfile: str
) -> None:
    engine = service.engine
    users = [BASE_USER + 100 + i for i in range(students)]
    waits: list[float] = []
    durations: list[float] = []
    outputs: list[str] = []
    codes: list[int | None] = []

    async def one(user: int) -> None:
        files.trees[user] = {
            "Dockerfile": dockerfile.encode(),
            "prime.c": PRIME_C.format(user=user).encode(),
        }
        start = time.perf_counter()
        first: list[float] = []

        async def hear(_text: str) -> None:
            if not first:
                first.append(time.perf_counter() - start)

        result = await service.run_command(user, "docker build -t prime:multi .", on_output=hear)
        durations.append(time.perf_counter() - start)
        waits.append(first[0] if first else durations[-1])
        codes.append(result.exit_code)
        outputs.append(result.output)

    pid = dockerd_pid()
    cpu_before, wall_before = dockerd_seconds(pid), time.perf_counter()
    await asyncio.gather(*(one(user) for user in users))
    cpu, wall = dockerd_seconds(pid) - cpu_before, time.perf_counter() - wall_before
    ok = sum(1 for code in codes if code == 0)
    line(f"{students} students, multi-stage build", f"{ok}/{students} exit 0 in {wall:.1f} s")
    line(
        "wait for a build slot",
        f"p50 {percentile(waits, 50):.1f} s p95 {percentile(waits, 95):.1f} s",
    )
    line(
        "build, submit to result",
        f"p50 {percentile(durations, 50):.1f} s p95 {percentile(durations, 95):.1f} s",
    )
    line("dockerd CPU during the class", f"{cpu:.1f} s ({100 * cpu / wall:.0f} % of one core)")
    failed = [o for o, c in zip(outputs, codes, strict=True) if c != 0]
    if failed:
        print(failed[0][-2000:])
    reaper = Reaper(
        engine,
        service.store,
        idle_ttl_min=service.settings.sandbox_idle_ttl_min,
        clock=lambda: utcnow() + timedelta(hours=2),
        scope=lambda owner: owner in {f"u{u}" for u in users},
    )
    report = await reaper.reap_idle()
    shown = {
        word for text in outputs for word in text.split() if len(word) == 12 and word.isalnum()
    }
    present = {i["Id"][7:19] for i in await engine.get("images/json", params={"all": "1"})}
    bases = set()
    for ref in service.settings.sandbox_images.values():
        with contextlib.suppress(aiodocker.DockerError):
            bases.add((await engine.get(f"images/{ref}/json"))["Id"][7:19])
    left = (shown & present) - bases
    line("after the reaper", f"{report.images} images removed, {len(left)} of the build's left")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--students", type=int, default=30, help="0: no class build")
    args = parser.parse_args()
    docker = aiodocker.Docker()
    engine = Engine(docker)
    try:
        await engine.get("images/gcc:latest/json")
        dockerfile, images = GCC, "alpine,busybox,gcc=gcc:latest"
        line("class build image", "gcc (multi-stage, static, FROM scratch)")
    except aiodocker.DockerError:
        dockerfile, images = BUSYBOX, "alpine,busybox"
        line("class build image", "busybox two-stage (no gcc image here)")
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            sandbox_images=images,
            sandbox_commands_per_minute=6000,
            sandbox_burst=1000,
            build_cgroup_parent=PARENT,
        )
        store = Store(Path(folder) / "bench.db", migrations())
        files = Files()
        service = SandboxService(settings, store, docker, files=files)
        try:
            await overhead(service, files, args.rounds)
            if args.students:
                await class_build(service, files, args.students, dockerfile)
        finally:
            await service.close()
            store.close()
            await docker.close()
            remove_caps(ROOT, "1", PARENT, settings.build_concurrency)


if __name__ == "__main__":
    asyncio.run(main())
