"""Metrics and a log line around every sandbox command, and gauges read at scrape time.

The sandbox service is wrapped from outside (its ``run_command`` on the one instance the app
builds) so the sandbox stays free of operations code; every transport goes through that method.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from moussaillon.ops.logging import event
from moussaillon.ops.metrics import Metrics
from moussaillon.sandbox import labels, scope

if TYPE_CHECKING:
    from moussaillon.sandbox.service import SandboxService

log = logging.getLogger("moussaillon.sandbox.commands")

ENGINE_QUERY_TIMEOUT_S = 3.0
_VERB = re.compile(r"[a-z][a-z-]{0,14}")


def command_action(line: str) -> str:
    """``docker run`` from the student's line: the verb only, never arguments (they may hold
    secrets, e.g. ``-e PASSWORD=…``)."""
    words = line.split(maxsplit=2)
    if words[:1] != ["docker"]:
        return "other"
    verb = words[1] if len(words) > 1 else ""
    return f"docker {verb}" if _VERB.fullmatch(verb) else "docker ?"


def instrument_sandbox(service: SandboxService, metrics: Metrics) -> None:
    inner = service.run_command

    @functools.wraps(inner)
    async def run_command(user_id: int, line: str, *args: Any, **kwargs: Any) -> Any:
        result = await inner(user_id, line, *args, **kwargs)
        metrics.sandbox_commands.labels(verdict=result.verdict).inc()
        metrics.sandbox_seconds.observe(result.duration_ms / 1000)
        event(
            log,
            "sandbox command",
            user=user_id,
            action=command_action(line),
            duration_ms=result.duration_ms,
            outcome=result.verdict,
            exit_code=result.exit_code,
        )
        return result

    service.run_command = run_command  # type: ignore[method-assign]  # this instance only

    async def refresh() -> None:
        metrics.sandbox_queue.set(service.scheduler.queue_length)
        metrics.sandbox_active.set(service.scheduler.active)
        try:
            async with asyncio.timeout(ENGINE_QUERY_TIMEOUT_S):
                params = {"all": "1", "filters": json.dumps({"label": [f"{labels.SANDBOX}=1"]})}
                found = await service.docker._query_json("containers/json", params=params)
        except Exception:
            log.warning("metrics: could not count the sandbox containers", exc_info=True)
            return
        states = Counter(
            c.get("State", "unknown")
            for c in found
            if (c.get("Labels") or {}).get(scope.KIND) != scope.KEEPER
        )
        metrics.sandbox_containers.clear()
        for state in ("running", "exited", "created", *states):
            metrics.sandbox_containers.labels(state=state).set(states.get(state, 0))

    metrics.on_scrape(refresh)
