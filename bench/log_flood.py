"""dockerd's CPU while sandbox containers flood their logs, without and with the log watch.

Starts N ``docker run -d alpine yes`` through the sandbox (one student), then samples dockerd's
utime+stime from ``/proc/<pid>/stat`` (read only) every ``--step`` seconds for ``--seconds``,
and prints the series and the mean over the last 10 s. ``--watch`` runs the sandbox's log
watch (``sandbox/logwatch.py``, default rule) from the start, as the app does.

The engine is shared: run ``--baseline`` first for its idle figure on the same machine.
Run: python -m bench.log_flood [--watch] [-n 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import aiodocker

from bench.common import line
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import labels
from moussaillon.sandbox.logwatch import LogWatch
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.sandbox.service import SandboxService

USER = 8_870_000
TICKS = os.sysconf("SC_CLK_TCK")


def dockerd_pid() -> int:
    """The engine's dockerd (parent pid 1), not a dockerd running inside some container."""
    for pid in os.popen("pidof dockerd").read().split():
        if "PPid:\t1\n" in Path(f"/proc/{pid}/status").read_text():
            return int(pid)
    raise SystemExit("no dockerd found")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def sample(pid: int, seconds: float, step: float) -> list[float]:
    """dockerd's CPU (% of one core) over each ``step`` for ``seconds``."""
    series = []
    for _ in range(int(seconds / step)):
        before, started = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(step)
        series.append((cpu_seconds(pid) - before) / (time.monotonic() - started) * 100)
    return series


async def main(args: argparse.Namespace) -> None:
    pid = dockerd_pid()
    images = "alpine=alpine:latest,busybox=busybox:latest"
    settings = Settings(
        sandbox_images=images,
        sandbox_max_containers=args.n,
        sandbox_burst=1000,
        sandbox_commands_per_minute=6000,
    )
    docker = aiodocker.Docker()
    store = Store(Path(tempfile.mkdtemp()) / "bench.db")
    service = SandboxService(settings, store, docker)
    owner = labels.owner_key(USER)
    service.logwatch = LogWatch(
        service.engine, selector=(f"{labels.SANDBOX}=1", f"{labels.OWNER}={owner}")
    )
    watch = asyncio.create_task(service.logwatch.run_forever()) if args.watch else None
    try:
        if args.baseline:
            series = await sample(pid, 10, args.step)
            line("dockerd idle (10 s)", f"{sum(series) / len(series):.1f} %")
            return
        started = time.monotonic()
        for i in range(args.n):
            result = await service.run_command(
                USER, f"docker run -d --network none --name flood{i} alpine yes", "en"
            )
            assert result.exit_code == 0, result
        line(f"{args.n} floods started", f"in {time.monotonic() - started:.1f} s")
        series = await sample(pid, args.seconds, args.step)
        line("dockerd % per step", " ".join(f"{v:.0f}" for v in series))
        tail = series[-int(10 / args.step) :]
        line("dockerd, last 10 s", f"{sum(tail) / len(tail):.1f} %")
        mine = await docker._query_json(
            "containers/json", params={"filters": f'{{"label": ["{labels.OWNER}={owner}"]}}'}
        )
        line("still running", str(len(mine)))
    finally:
        if watch is not None:
            watch.cancel()
        await purge_owner(service.engine, owner)
        await docker.close()
        store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--watch", action="store_true")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--step", type=float, default=2)
    asyncio.run(main(parser.parse_args()))
