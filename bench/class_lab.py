"""The class benchmark's scenario and its bookkeeping, kept free of I/O so it can be tested.

A command counts as a success only when the sandbox ran it, it exited with the code the lab
expects and its output shows what a student would look for; anything else is a failure of a
named kind (``exit 1``, ``wrong output``, ``refused``, ``rate_limited``, ``timed_out``,
``error``, ``not run``), so a daemon error can never pass for "ran".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from bench.common import percentile

OK = "ok"
NOT_RUN = "not run (phase timeout)"
TEXT_LIMIT = 160
ENGINE_ID = re.compile(r"\b[0-9a-f]{64}\b")
SHORT_ID = re.compile(r"\b[0-9a-f]{12}\b")


@dataclass(frozen=True)
class Step:
    """One command of the lab: what a student types, and what tells them it worked."""

    kind: str
    command: str
    expect_exit: int = 0
    looks_right: Callable[[str], bool] = lambda _output: True
    shows: str = "any output"


def _is_engine_id(output: str) -> bool:
    return bool(ENGINE_ID.fullmatch(output.strip()))


LAB: tuple[Step, ...] = (
    Step("run echo", "docker run --rm alpine echo hi", 0, lambda o: o.strip() == "hi", "hi"),
    Step("network create 1", "docker network create net1", 0, _is_engine_id, "an id"),
    Step("network create 2", "docker network create net2", 0, _is_engine_id, "an id"),
    Step(
        "run -d web",
        "docker run -d --name web --network net1 nginx",
        0,
        _is_engine_id,
        "an id",
    ),
    Step(
        "ps",
        "docker ps",
        0,
        lambda o: re.search(r"\sweb\s*$", o, re.M) is not None,
        "a line for web",
    ),
    Step(
        "curl web",
        "docker run --rm --network net1 alpine/curl -s http://web",
        0,
        lambda o: "Welcome to nginx" in o,
        "the nginx page",
    ),
    # the stand-in logs "url:/", the real nginx "GET / HTTP/1.1": either shows the curl arrived
    Step("logs web", "docker logs web", 0, lambda o: "url:/" in o or "GET /" in o, "the request"),
    Step("rm -f web", "docker rm -f web", 0, lambda o: o.strip() == "web", "web"),
)


def first_line(text: str) -> str:
    """The part of an answer worth quoting: its first non-empty line, ids masked, bounded."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = SHORT_ID.sub("<id>", ENGINE_ID.sub("<id>", line))
    return line if len(line) <= TEXT_LIMIT else line[: TEXT_LIMIT - 1] + "…"


def judge(step: Step, verdict: str, exit_code: int | None, output: str) -> str:
    """``ok`` or the failure kind of one answer (``verdict`` is ``CommandResult.verdict``)."""
    if verdict != "ran":
        return verdict
    if exit_code != step.expect_exit:
        return f"exit {exit_code}"
    return OK if step.looks_right(output) else "wrong output"


class Row(NamedTuple):
    kind: str
    ok: int
    answered: int
    ok_p50: float
    ok_p95: float
    ok_max: float
    all_p50: float


@dataclass
class Tally:
    """Every answer of one class run, by step kind and by failure kind."""

    expected: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    ok_latencies: dict[str, list[float]] = field(default_factory=dict)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    texts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, step: Step, outcome: str, latency_ms: float, text: str = "") -> None:
        self.latencies.setdefault(step.kind, []).append(latency_ms)
        self.outcomes.setdefault(step.kind, Counter())[outcome] += 1
        if outcome == OK:
            self.ok_latencies.setdefault(step.kind, []).append(latency_ms)
        else:
            quoted = first_line(text) or f"(no output; expected {step.shows})"
            self.texts.setdefault(outcome, Counter())[f"[{step.kind}] {quoted}"] += 1

    @property
    def answered(self) -> int:
        return sum(sum(c.values()) for c in self.outcomes.values())

    @property
    def successes(self) -> int:
        return sum(c[OK] for c in self.outcomes.values())

    def failures(self) -> Counter[str]:
        """Failure kind -> count, including commands the phase timeout never let run."""
        total: Counter[str] = Counter()
        for counts in self.outcomes.values():
            total.update({kind: n for kind, n in counts.items() if kind != OK})
        if self.expected > self.answered:
            total[NOT_RUN] = self.expected - self.answered
        return total

    def examples(self, kind: str, few: int = 6) -> list[tuple[str, int]]:
        return self.texts.get(kind, Counter()).most_common(few)

    def rows(self, order: Iterable[Step]) -> list[Row]:
        """One row per step, in lab order: successes' latencies, since a failure that comes
        back at once would otherwise make a broken engine look fast."""
        table = []
        for step in order:
            good = self.ok_latencies.get(step.kind, [])
            counts = self.outcomes.get(step.kind, Counter())
            table.append(
                Row(
                    step.kind,
                    counts[OK],
                    sum(counts.values()),
                    percentile(good, 50),
                    percentile(good, 95),
                    max(good, default=float("nan")),
                    percentile(self.latencies.get(step.kind, []), 50),
                )
            )
        return table


def limited_by_design(commands: int, think_min_s: float, per_minute: float, burst: int) -> bool:
    """Whether a student sending ``commands`` commands ``think_min_s`` apart (the fastest the
    scenario allows, ignoring latency) would hit the token bucket even when all goes well."""
    rate = per_minute / 60.0
    tokens = float(burst)
    for index in range(commands):
        if index:
            tokens = min(float(burst), tokens + think_min_s * rate)
        if tokens < 1.0 - 1e-9:
            return True
        tokens -= 1.0
    return False


def subnet_sizes(networks: Iterable[dict]) -> Counter[str]:
    """Prefix length -> count over the IPv4 subnets of engine networks (``/16``, ``/20`` …)."""
    sizes: Counter[str] = Counter()
    for network in networks:
        for config in (network.get("IPAM") or {}).get("Config") or []:
            subnet = config.get("Subnet") or ""
            if "." in subnet and "/" in subnet:
                sizes["/" + subnet.rsplit("/", 1)[1]] += 1
    return sizes


def parse_sizes(text: str, most: int = 5000) -> list[int]:
    """``"60,200,500"`` -> [60, 200, 500]; each size bounded, at most 10 sizes."""
    sizes = [int(part) for part in text.split(",") if part.strip()]
    if not sizes or len(sizes) > 10 or any(not 1 <= size <= most for size in sizes):
        raise ValueError(f"class sizes must be 1 to 10 numbers between 1 and {most}")
    return sizes
