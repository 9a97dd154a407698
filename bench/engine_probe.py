"""What the class benchmark reads from the machine: engine CPU, this process's memory, the
engine's networks; and the sweep that removes whatever the benchmark created.

Everything here only reads ``/proc`` and the engine's list endpoints, except ``sweep``, which
removes objects whose owner label falls in the benchmark's own range (or that carry its label).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import aiodocker

from bench.class_lab import subnet_sizes
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.reaper import list_stock, remove

BENCH_LABEL = "moussaillon.bench"  # on the raw baseline containers, which have no owner
BENCH_NAME = "sandbox_class"


def loopback_engine(host: str | None) -> bool:
    """Whether the engine address is this machine's (unix socket or a loopback TCP address):
    the benchmark floods the engine it talks to and must not reach anyone else's."""
    if host is None or host.startswith("unix://"):
        return True
    try:
        parts = urlsplit(host)
        name = parts.hostname
    except ValueError:
        return False
    return parts.scheme in {"tcp", "http", "https"} and name in {"localhost", "127.0.0.1", "::1"}


def pid_of(program: str) -> int | None:
    """The oldest process of that name (``pidof``), or None; we only ever read its /proc."""
    try:
        found = subprocess.run(["pidof", program], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    pids = [int(p) for p in found.stdout.split()]
    return min(pids) if pids else None


def cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat)."""
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def reset_peak_rss() -> bool:
    """Start a new VmHWM for this process (Linux ``clear_refs`` 5); False if not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    """VmHWM of this process (since the last reset), else ru_maxrss (its whole life)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Meter:
    """CPU of the engine's daemons and of this process between ``start`` and ``stop``."""

    pids: dict[str, int | None] = field(
        default_factory=lambda: {name: pid_of(name) for name in ("dockerd", "containerd")}
    )
    began: dict[str, float | None] = field(default_factory=dict)
    used: dict[str, float | None] = field(default_factory=dict)
    wall_s: float = 0.0
    _t0: float = 0.0

    def start(self) -> None:
        self._t0 = time.perf_counter()
        self.began = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.began["app"] = own_cpu_seconds()

    def stop(self) -> None:
        self.wall_s = time.perf_counter() - self._t0
        now = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        now["app"] = own_cpu_seconds()
        self.used = {
            name: None
            if value is None or self.began.get(name) is None
            else value - self.began[name]
            for name, value in now.items()
        }

    def describe(self, name: str) -> str:
        value = self.used.get(name)
        if value is None:
            return "unreadable"
        share = 100 * value / self.wall_s if self.wall_s else float("nan")
        return f"{value:.1f} s CPU in {self.wall_s:.1f} s = {share:.0f}% of one core"


@dataclass
class NetworkPeak:
    """The most sandbox-labelled networks seen on the engine, and their subnets then."""

    sandbox: int = 0
    mine: int = 0
    engine_total: int = 0
    sizes: Counter[str] = field(default_factory=Counter)
    errors: int = 0

    async def sample(self, docker: aiodocker.Docker, mine: Callable[[str | None], bool]) -> None:
        try:
            async with asyncio.timeout(10):
                networks = await docker.networks.list()
        except (aiodocker.DockerError, TimeoutError):
            self.errors += 1
            return
        labelled = [n for n in networks if (n.get("Labels") or {}).get(labels.SANDBOX) == "1"]
        if len(labelled) >= self.sandbox:
            self.sandbox = len(labelled)
            self.mine = sum(1 for n in labelled if mine((n.get("Labels") or {}).get(labels.OWNER)))
            self.engine_total = len(networks)
            self.sizes = subnet_sizes(labelled)

    async def watch(
        self, docker: aiodocker.Docker, mine: Callable[[str | None], bool], every_s: float
    ) -> None:
        while True:
            await self.sample(docker, mine)
            await asyncio.sleep(every_s)


def owner_range(first: int, count: int) -> Callable[[str | None], bool]:
    """Whether an owner label (``u<id>``) is one of ``count`` user ids from ``first``."""

    def mine(owner: str | None) -> bool:
        if not owner or not owner.startswith("u") or not owner[1:].isdigit():
            return False
        return first <= int(owner[1:]) < first + count

    return mine


async def _bench_containers(docker: aiodocker.Docker) -> list[dict]:
    wanted = {"label": [f"{BENCH_LABEL}={BENCH_NAME}"]}
    return await docker._query_json(
        "containers/json", params={"all": True, "filters": json.dumps(wanted)}
    )


async def leftovers(docker: aiodocker.Docker, mine: Callable[[str | None], bool]) -> int:
    stock = (await list_stock(Engine(docker))).only(mine)
    raw = await _bench_containers(docker)
    return len(stock.containers) + len(stock.networks) + len(stock.volumes) + len(raw)


async def sweep(docker: aiodocker.Docker, mine: Callable[[str | None], bool]) -> int:
    """Remove the benchmark's objects until two passes a second apart find none (a create cut
    short by cancellation may still land on the engine after the first pass); how many."""
    removed = 0
    quiet = 0
    for _ in range(10):
        stock = (await list_stock(Engine(docker))).only(mine)
        raw = await _bench_containers(docker)
        for item in raw:
            with contextlib.suppress(aiodocker.DockerError):
                await docker.containers.container(item["Id"]).delete(force=True)
                removed += 1
        report = await remove(Engine(docker), stock)
        removed += report.removed
        quiet = quiet + 1 if not raw and not report.removed and not report.errors else 0
        if quiet >= 2:
            break
        await asyncio.sleep(1)
    return removed
