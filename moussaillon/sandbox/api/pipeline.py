"""The one way in for the endpoint's calls: the chat's rate limit, fair queue, journal, observers.

Each area's calls (``containers.py``, ``streams.py``, ``images.py``…) are a mixin over
``ApiBase``; they never touch the engine outside ``_pipeline``'s ``work``, so a call is charged,
queued, journaled and translated exactly like a chat command.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import aiodocker

from moussaillon.sandbox import sessions
from moussaillon.sandbox.api.errors import ApiError, daemon_status
from moussaillon.sandbox.engine import unreachable
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.executor import run as run_ops
from moussaillon.sandbox.executor.common import (
    Context,
    hide_internal,
    student_json,
    visible_labels,
)
from moussaillon.sandbox.executor.containers import recorded_ports
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.results import CommandResult
from moussaillon.sandbox.scope import IMAGE

if TYPE_CHECKING:
    from moussaillon.sandbox.service import SandboxService

log = logging.getLogger(__name__)
T = TypeVar("T")
DAEMON = "Error response from daemon: "
FOLLOW_S = 30.0
BEGUN_KEPT = 4096


class ApiBase:
    """The endpoint's view of one ``SandboxService``: every method takes the student's id."""

    def __init__(self, service: SandboxService) -> None:
        self.service = service
        # Objects a charged request just made, whose next step the CLI sends on its own
        # (``run``'s start after its create): that step is part of the same command.
        self._begun: OrderedDict[tuple[int, str], float] = OrderedDict()
        self._journaling: set[asyncio.Task[None]] = set()

    def begun(self, user_id: int, key: str) -> None:
        self._begun[(user_id, key)] = time.monotonic()
        while len(self._begun) > BEGUN_KEPT:
            self._begun.popitem(last=False)

    def follows(self, user_id: int, key: str) -> bool:
        """Whether ``key`` was begun by this student within ``FOLLOW_S`` (once only)."""
        at = self._begun.pop((user_id, key), None)
        return at is not None and time.monotonic() - at <= FOLLOW_S

    async def flush(self) -> None:
        """Wait for the journal rows still being written (the endpoint calls it on close)."""
        while self._journaling:
            await asyncio.gather(*self._journaling, return_exceptions=True)

    def _journal_later(self, user_id: int, action: str, result: CommandResult) -> None:
        """The row goes to the store's one writer thread in call order, after the answer: a
        ``docker ps`` no longer waits for a SQLite commit (``_journal`` logs its own errors)."""
        line = f"api {action}"
        task = asyncio.ensure_future(self.service._journal(user_id, line, f"api.{action}", result))
        self._journaling.add(task)
        task.add_done_callback(self._journaling.discard)

    # -- the pipeline -------------------------------------------------------------------------

    async def _pipeline(
        self,
        user_id: int,
        action: str,
        work: Callable[[Context], Awaitable[T]],
        *,
        queued: bool = True,
        cost: float = 1.0,
    ) -> T:
        """``queued=False`` (``wait``, ``attach``): no fair-queue slot and no token, since the
        CLI sends them only as parts of a ``run`` or ``start`` already charged, and they hold
        a container, not the engine. ``cost``: the tokens of the rate limit this request
        spends, so one CLI command costs what the same command costs in the chat (one)."""
        service = self.service
        ctx = service.context(user_id, "fr")
        started = time.monotonic()
        verdict, code = "ran", 0
        try:
            if queued and cost > 0:
                service.limiter.check(ctx.scope.owner, cost)
            await sessions.touch(service.store, user_id)
            if queued:
                async with service.scheduler.slot(ctx.scope.owner):
                    return await work(ctx)
            return await work(ctx)
        except SandboxError as exc:
            verdict, code = exc.verdict, 1
            raise ApiError(exc.status, exc.message(ctx.lang)) from None
        except ApiError:
            verdict, code = "refused", 1  # the endpoint's own (a filter, a body field)
            raise
        except DaemonError as exc:
            verdict, code = "ran", exc.exit_code
            text = exc.text.removeprefix(DAEMON).removeprefix(run_ops.RUN_ERROR)
            text = text.removeprefix(DAEMON)
            raise ApiError(daemon_status(text), text) from None
        except aiodocker.DockerError as exc:
            verdict, code = "error", 1
            if unreachable(exc):
                raise ApiError(503, "Cannot reach the sandbox's engine") from None
            raise ApiError(exc.status, hide_internal(ctx, str(exc.message))) from None
        finally:
            result = CommandResult(
                exit_code=code,
                output="",
                refused=verdict != "ran",
                reason=None,
                duration_ms=int((time.monotonic() - started) * 1000),
                verdict=verdict,
            )
            self._journal_later(user_id, action, result)
            service._tell(user_id, f"docker {action}", result)

    async def _id(self, ctx: Context, ref: str) -> str:
        found: str = (await ctx.scope.container(ctx.engine, ref))["Id"]
        return found

    def _summary(self, ctx: Context, c: dict[str, Any]) -> dict[str, Any]:
        """A ``GET /containers/json`` row in the student's names: networks and volumes
        unprefixed, host paths blanked, ``-p`` mappings shown as docker would (``compose ps``
        reads them), the sandbox's labels gone."""
        name = ctx.scope.student(c.get("Labels"), (c.get("Names") or ["/"])[0].lstrip("/"))
        shown: dict[str, Any] = student_json(ctx, c)
        shown["Names"] = [f"/{name}"]
        shown["Image"] = (c.get("Labels") or {}).get(IMAGE) or c.get("Image", "")
        shown["Labels"] = visible_labels(c.get("Labels"))
        shown["Ports"] = _ports(c)
        return shown


def _ports(c: dict[str, Any]) -> list[dict[str, Any]]:
    """The engine's exposed ports, with the recorded ``-p`` mappings of a running container
    as docker shows them (the sandbox opens none: the chat's ``ps`` shows them the same)."""
    mapped = recorded_ports(c.get("Labels")) if c.get("State") == "running" else []
    rows: list[dict[str, Any]] = [
        {"IP": p.host_ip or "0.0.0.0", "PrivatePort": p.container_port, "Type": p.protocol}
        | ({"PublicPort": p.host_port} if p.host_port else {})
        for p in mapped
    ]
    taken = {(r["PrivatePort"], r["Type"]) for r in rows}
    for port in c.get("Ports") or []:
        if (port.get("PrivatePort"), port.get("Type")) not in taken:
            rows.append({"PrivatePort": port.get("PrivatePort"), "Type": port.get("Type")})
    return rows
