"""A class on one engine: 60, 200 and 500 students doing the same network lab at once.

Each student arrives at a random moment of the window and types the lab in ``class_lab.LAB``
(run, two networks, a detached nginx on one, ps, curl it from another container, logs, rm),
thinking a few seconds between commands, through ``SandboxService.run_command`` with the
sandbox's real rate limit and fair queue. So every student holds three networks (their default
one and two of their own) until the reaper takes them: the target is 500 students, 1,500
networks, on one engine.

Printed per class size: successes by exit code and expected output, failures by kind with
their most frequent texts, p50/p95/max latency per step, wall time, the engine's networks and
their subnet sizes at the peak, dockerd's CPU, this process's peak RSS, and the objects left
after the reaper ran as if every student had gone idle (must be 0). A same-run baseline (raw
aiodocker with the sandbox's HostConfig, the engine otherwise idle) gives the ``run`` ratio.

Everything created belongs to user ids in this run's own range (derived from the pid) or
carries the ``moussaillon.bench`` label, and is swept at the end, on Ctrl-C or SIGTERM too;
``--sweep`` removes what a killed run of this benchmark left (any pid).
Needs a running engine and the stand-ins (``moussaillon sandbox prepare --offline``).
Run: uv run python -m bench.sandbox_class [--students 60,200,500] [--window 60]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiodocker

from bench.class_lab import LAB, Tally, judge, limited_by_design, parse_sizes
from bench.common import line
from bench.engine_probe import (
    BENCH_LABEL,
    BENCH_NAME,
    Meter,
    NetworkPeak,
    leftovers,
    loopback_engine,
    owner_range,
    peak_rss_mb,
    reset_peak_rss,
    sweep,
)
from bench.sandbox import raw_run
from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.clock import utcnow
from moussaillon.core.store import Store
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine, create_docker
from moussaillon.sandbox.hostconfig import host_config
from moussaillon.sandbox.reaper import Reaper, purge_owner
from moussaillon.sandbox.service import SandboxService

ALL_RUNS = 7_000_000_000  # every run's user ids fall in [ALL_RUNS, ALL_RUNS + ALL_SPAN)
ALL_SPAN = 1_000_000_000
RUN_SPAN = 100_000
PHASE_SPAN = 10_000  # a phase's students, then its baseline student, within the run's range
MAX_STUDENTS = 5_000
REAP_TIMEOUT_S = 900.0


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    window_s: float
    think_s: tuple[float, float]
    seed: int
    phase_timeout_s: float | None
    baseline_rounds: int
    sample_every_s: float


def ms(value: float) -> str:
    return "-" if value != value else f"{value:,.0f} ms"  # NaN: no sample


def class_settings(db_path: Path, opts: Options) -> tuple[Settings, str]:
    """The sandbox's own settings, unless the lab would hit the rate limit by design."""
    settings = Settings(_env_file=None, db_path=db_path)
    if not loopback_engine(settings.docker_host):
        raise SystemExit(f"refused: {settings.docker_host} is not this machine's engine")
    rate, burst = settings.sandbox_commands_per_minute, settings.sandbox_burst
    if not limited_by_design(len(LAB), opts.think_s[0], rate, burst):
        return settings, f"rate limit {rate:g}/min burst {burst} (the sandbox's own, unchanged)"
    raised = settings.model_copy(update={"sandbox_burst": len(LAB)})
    note = (
        f"rate limit {rate:g}/min, burst RAISED {burst} -> {len(LAB)}: {len(LAB)} commands "
        f"{opts.think_s[0]:g} s apart would be rate-limited by design"
    )
    return raised, note


async def baseline(
    settings: Settings, store: Store, docker: aiodocker.Docker, user: int, rounds: int
) -> tuple[list[float], list[float], str]:
    """Interleaved raw aiodocker and sandbox ``run --rm alpine echo hi``, before the class."""
    alone = SandboxService(
        settings.model_copy(update={"sandbox_commands_per_minute": 6000, "sandbox_burst": 1000}),
        store,
        docker,
    )
    raw: list[float] = []
    sandboxed: list[float] = []
    try:
        warm = await alone.run_command(user, "docker run --rm alpine echo hi", "en")
        network = f"m-{labels.owner_key(user)}-bridge" if warm.output == "hi\n" else "none"
        config = host_config(settings, network=network)
        marks = {BENCH_LABEL: BENCH_NAME}
        await raw_run(docker, config, marks)
        for _ in range(rounds):
            start = time.perf_counter()
            await raw_run(docker, config, marks)
            raw.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            result = await alone.run_command(user, "docker run --rm alpine echo hi", "en")
            if result.output == "hi\n":
                sandboxed.append((time.perf_counter() - start) * 1000)
    finally:
        await alone.close()
        await purge_owner(Engine(docker), labels.owner_key(user))
    return raw, sandboxed, network


async def student(
    service: SandboxService, user: int, arrival: float, thinks: list[float], tally: Tally
) -> None:
    await asyncio.sleep(arrival)
    for step, think in zip(LAB, thinks, strict=True):
        await asyncio.sleep(think)
        start = time.perf_counter()
        result = await service.run_command(user, step.command, "en")
        latency = (time.perf_counter() - start) * 1000
        outcome = judge(step, result.verdict, result.exit_code, result.output)
        tally.add(step, outcome, latency, result.reason or result.output)


async def watch_queue(service: SandboxService, peaks: dict[str, float]) -> None:
    while True:
        scheduler = service.scheduler
        peaks["wait"] = max(peaks["wait"], scheduler.longest_wait)
        peaks["queued"] = max(peaks["queued"], scheduler.queue_length)
        await asyncio.sleep(0.2)


async def phase(
    docker: aiodocker.Docker,
    store: Store,
    settings: Settings,
    first: int,
    size: int,
    opts: Options,
) -> None:
    mine = owner_range(first, size)
    timeout = opts.phase_timeout_s or opts.window_s + 120 + 2 * size
    rng = random.Random(opts.seed + size)
    plans = [
        (rng.uniform(0, opts.window_s), [0.0] + [rng.uniform(*opts.think_s) for _ in LAB[1:]])
        for _ in range(size)
    ]
    before = NetworkPeak()
    await before.sample(docker, mine)
    print(
        f"\n== class of {size} students x {len(LAB)} commands, arrivals over {opts.window_s:g} s, "
        f"{opts.think_s[0]:g}-{opts.think_s[1]:g} s between commands; hard timeout {timeout:g} s",
        flush=True,
    )
    print(
        f"   engine before: {before.engine_total} networks ({before.sandbox} sandbox-labelled, "
        f"subnets {dict(before.sizes)}); engine shared: CPU includes other clients' work",
        flush=True,
    )

    raw, alone, network = await baseline(
        settings, store, docker, first + size, opts.baseline_rounds
    )
    raw_p50 = statistics.median(raw) if raw else float("nan")
    alone_p50 = statistics.median(alone) if alone else float("nan")
    line(
        f"{size}: baseline run --rm echo hi",
        f"raw aiodocker p50 {ms(raw_p50)} (n={len(raw)}, same HostConfig, network "
        f"{'none: no pool left' if network == 'none' else 'the sandbox default'}); "
        f"sandbox alone p50 {ms(alone_p50)} (n={len(alone)})",
    )

    service = SandboxService(settings, store, docker)  # start() not called: it would reap others
    tally = Tally(expected=size * len(LAB))
    peak = NetworkPeak()
    queue = {"wait": 0.0, "queued": 0.0}
    watchers = [
        asyncio.create_task(peak.watch(docker, mine, opts.sample_every_s)),
        asyncio.create_task(watch_queue(service, queue)),
    ]
    rss_reset = reset_peak_rss()
    meter = Meter()
    meter.start()
    cut = False
    try:
        async with asyncio.timeout(timeout):
            await asyncio.gather(
                *(student(service, first + i, *plans[i], tally) for i in range(size))
            )
    except TimeoutError:
        cut = True
    finally:
        meter.stop()
        for task in watchers:
            task.cancel()
        for task in watchers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await service.close()
    await peak.sample(docker, mine)
    rss = peak_rss_mb()

    answered, ok = tally.answered, tally.successes
    line(
        f"{size}: successes",
        f"{ok}/{tally.expected} = {100 * ok / tally.expected:.1f}% "
        f"({answered} answered in {meter.wall_s:.1f} s{', CUT BY THE TIMEOUT' if cut else ''})",
    )
    failures = tally.failures()
    line(
        f"{size}: failures by kind",
        ", ".join(f"{k}: {n}" for k, n in failures.most_common()) or "none",
    )
    for kind, _count in failures.most_common():
        for text, count in tally.examples(kind):
            print(f"   {kind:<16} x{count:<5} {text}", flush=True)
    print(
        f"   {'step':<18} {'ok/answered':>12} {'ok p50':>10} {'ok p95':>10} {'ok max':>10}"
        f" {'all p50':>10}",
        flush=True,
    )
    for row in tally.rows(LAB):
        print(
            f"   {row.kind:<18} {f'{row.ok}/{row.answered}':>12} {ms(row.ok_p50):>10}"
            f" {ms(row.ok_p95):>10} {ms(row.ok_max):>10} {ms(row.all_p50):>10}",
            flush=True,
        )
    run_p50 = tally.rows(LAB[:1])[0].ok_p50
    line(
        f"{size}: run --rm echo hi vs baseline",
        f"class p50 {ms(run_p50)} (successes) / raw p50 {ms(raw_p50)} = {run_p50 / raw_p50:.1f}x",
    )
    line(
        f"{size}: networks at the peak",
        f"{peak.sandbox} sandbox-labelled ({peak.mine} of this class, wanted {3 * size}) of "
        f"{peak.engine_total} on the engine; subnets {dict(peak.sizes.most_common())}",
    )
    line(f"{size}: dockerd", meter.describe("dockerd"))
    line(f"{size}: containerd", meter.describe("containerd"))
    line(
        f"{size}: this process",
        f"{meter.describe('app')}; peak RSS {rss:.0f} MB"
        f"{'' if rss_reset else ' (whole life: VmHWM could not be reset)'}",
    )
    line(
        f"{size}: fair queue",
        f"longest wait {queue['wait']:.1f} s, most queued {queue['queued']:.0f}",
    )
    await reap(docker, store, settings, first, size, mine)


async def reap(
    docker: aiodocker.Docker,
    store: Store,
    settings: Settings,
    first: int,
    size: int,
    mine: Callable[[str | None], bool],
) -> None:
    """The reaper as if the whole class had gone idle, then ``reset`` for anything it left."""
    held = await leftovers(docker, mine)
    later = Reaper(
        Engine(docker),
        store,
        idle_ttl_min=settings.sandbox_idle_ttl_min,
        clock=lambda: utcnow() + timedelta(days=1),
        scope=mine,
    )
    start = time.perf_counter()
    async with asyncio.timeout(REAP_TIMEOUT_S):
        report = await later.reap_idle()
    took = time.perf_counter() - start
    left = await leftovers(docker, mine)
    if left:
        resetter = SandboxService(settings, store, docker)
        for user in range(first, first + size + 1):
            await resetter.reset(user)
        await resetter.close()
    line(
        f"{size}: after the reaper",
        f"{held} objects held, {report.removed} removed in {took:.1f} s "
        f"({len(report.errors)} errors), {left} left"
        + (f", {await leftovers(docker, mine)} after reset" if left else " (target 0)"),
    )


async def main(opts: Options, sweep_all: bool) -> None:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    run_first = ALL_RUNS + (os.getpid() % (ALL_SPAN // RUN_SPAN)) * RUN_SPAN
    mine = owner_range(ALL_RUNS, ALL_SPAN) if sweep_all else owner_range(run_first, RUN_SPAN)
    folder = Path(tempfile.mkdtemp(prefix="bench-class-"))
    settings, note = class_settings(folder / "bench.db", opts)
    store = Store(settings.db_path, migrations())
    docker = create_docker(settings)
    try:
        if not sweep_all:
            print(
                f"sandbox class benchmark: {note}, concurrency {settings.sandbox_concurrency}, "
                f"{os.cpu_count()} CPUs; user ids from {run_first}",
                flush=True,
            )
            for index, size in enumerate(opts.sizes):
                first = run_first + index * PHASE_SPAN
                await phase(docker, store, settings, first, size, opts)
    finally:
        removed = await sweep(docker, mine)
        left = await leftovers(docker, mine)
        line("final sweep", f"{removed} objects removed, {left} left")
        await docker.close()
        store.close()


def parse_options(argv: list[str] | None = None) -> tuple[Options, bool]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", default="60,200,500", help="class sizes, run one by one")
    parser.add_argument("--window", type=float, default=60.0, help="arrival window, seconds")
    parser.add_argument("--think", default="3,8", help="seconds between commands: min,max")
    parser.add_argument("--seed", type=int, default=60)
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="hard limit per class, seconds (default: window + 120 + 2/student)",
    )
    parser.add_argument("--baseline-rounds", type=int, default=5)
    parser.add_argument(
        "--sample-every",
        type=float,
        default=2.0,
        help="seconds between two listings of the engine's networks",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="only remove what any run of this benchmark left, then exit",
    )
    args = parser.parse_args(argv)
    try:
        sizes = parse_sizes(args.students, MAX_STUDENTS)
        low, high = (float(part) for part in args.think.split(","))
    except ValueError as exc:
        parser.error(str(exc))
    if not (
        0 <= low <= high <= 600
        and 0 < args.window <= 3600
        and 1 <= args.baseline_rounds <= 50
        and 0.2 <= args.sample_every <= 60
        and (args.timeout is None or args.timeout > 0)
    ):
        parser.error("think, window, baseline rounds, sample interval or timeout out of bounds")
    options = Options(
        sizes,
        args.window,
        (low, high),
        args.seed,
        args.timeout,
        args.baseline_rounds,
        args.sample_every,
    )
    return options, args.sweep


if __name__ == "__main__":
    try:
        asyncio.run(main(*parse_options()))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: the class was cut short; see the final sweep above", flush=True)
        sys.exit(130)
