"""The Prometheus metrics of one Moussaillon process, in their own registry.

One ``Metrics`` is built per app (no module-level registry, so tests and two apps in one
process never share counters). Areas still being built increment the objects here directly:
``metrics.quiz_answers_live.set(n)``, ``metrics.broadcast_deliveries.labels("sent").inc()``.
Label values are small closed sets (verdicts, update kinds), never user ids or commands.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Seconds. A Telegram update is mostly one Bot API round trip; a sandbox command can wait in
# the fair queue and run up to the sandbox timeout (20 s by default).
UPDATE_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
SANDBOX_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60)

Refresh = Callable[[], Awaitable[None]]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "moussaillon_telegram_updates",
            "Telegram updates handled, by kind (command name, button, text…) and outcome.",
            ["kind", "outcome"],
            registry=r,
        )
        self.update_seconds = Histogram(
            "moussaillon_telegram_update_seconds",
            "Time from receiving a Telegram update to the end of its handlers.",
            buckets=UPDATE_BUCKETS,
            registry=r,
        )
        self.sandbox_commands = Counter(
            "moussaillon_sandbox_commands",
            "Sandbox commands, by verdict (ran, refused, rate_limited, timed_out, error).",
            ["verdict"],
            registry=r,
        )
        self.sandbox_seconds = Histogram(
            "moussaillon_sandbox_command_seconds",
            "Sandbox command latency, queue wait included.",
            buckets=SANDBOX_BUCKETS,
            registry=r,
        )
        self.sandbox_queue = Gauge(
            "moussaillon_sandbox_queue_length",
            "Commands waiting for an engine slot in the fair queue.",
            registry=r,
        )
        self.sandbox_active = Gauge(
            "moussaillon_sandbox_active_operations",
            "Engine operations running now (at most MOUSSAILLON_SANDBOX_CONCURRENCY).",
            registry=r,
        )
        self.sandbox_containers = Gauge(
            "moussaillon_sandbox_containers",
            "Students' containers on the engine, by state (running, exited…).",
            ["state"],
            registry=r,
        )
        self.quiz_answers_live = Gauge(
            "moussaillon_quiz_live_answers",
            "Answers received for the quiz polls open right now.",
            registry=r,
        )
        self.broadcast_deliveries = Counter(
            "moussaillon_broadcast_deliveries",
            "Broadcast messages to students, by outcome (sent, blocked, failed).",
            ["outcome"],
            registry=r,
        )
        self._refreshers: list[Refresh] = []

    def on_scrape(self, refresh: Refresh) -> None:
        """Run ``refresh`` before each scrape: gauges read from the engine or the database."""
        self._refreshers.append(refresh)

    async def render(self) -> bytes:
        for refresh in self._refreshers:
            await refresh()
        return generate_latest(self.registry)
