"""Metrics and a log line for every sandbox command, and gauges read at scrape time.

``CommandMetrics`` is one of the sandbox's command observers: the composition root hands it to
``SandboxService`` (``observers=[…]``), which calls it once per command, so the sandbox stays
free of operations code and nothing wraps its methods. The gauges come from the service's
public numbers (``queue_length``, ``active_operations``, ``engine_counts``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from moussaillon.ops.logging import event
from moussaillon.ops.metrics import Metrics

if TYPE_CHECKING:
    from moussaillon.sandbox import CommandResult, SandboxService

log = logging.getLogger("moussaillon.sandbox.commands")

ENGINE_QUERY_TIMEOUT_S = 3.0


class CommandMetrics:
    """A ``CommandObserver``: a verdict counter, a duration histogram and one log line."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def on_command(self, user_id: int, action: str, result: CommandResult) -> None:
        self.metrics.sandbox_commands.labels(verdict=result.verdict).inc()
        self.metrics.sandbox_seconds.observe(result.duration_ms / 1000)
        event(
            log,
            "sandbox command",
            user=user_id,
            action=action,
            duration_ms=result.duration_ms,
            outcome=result.verdict,
            exit_code=result.exit_code,
        )


def watch_sandbox(service: SandboxService, metrics: Metrics) -> None:
    """Refresh the sandbox's gauges at every scrape."""

    async def refresh() -> None:
        metrics.sandbox_queue.set(service.queue_length)
        metrics.sandbox_active.set(service.active_operations)
        try:
            async with asyncio.timeout(ENGINE_QUERY_TIMEOUT_S):
                counts = await service.engine_counts()
        except Exception:
            log.warning("metrics: could not count the sandbox containers", exc_info=True)
            return
        states = counts.containers
        metrics.sandbox_containers.clear()
        for state in ("running", "exited", "created", *states):
            metrics.sandbox_containers.labels(state=state).set(states.get(state, 0))

    metrics.on_scrape(refresh)
