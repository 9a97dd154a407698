"""Small helpers shared by the benchmarks: percentiles and a uniform way to print figures."""

from __future__ import annotations

import statistics


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values_ms: list[float]) -> str:
    return (
        f"n={len(values_ms)} p50={percentile(values_ms, 50):.2f} ms "
        f"p95={percentile(values_ms, 95):.2f} ms max={max(values_ms):.2f} ms "
        f"mean={statistics.fmean(values_ms):.2f} ms"
    )


def line(name: str, text: str) -> None:
    print(f"{name:<38} {text}", flush=True)
