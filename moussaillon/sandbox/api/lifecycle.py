"""Container lifecycle: stop, restart, kill, pause, unpause, rename, prune, as the chat runs them.

Each call is the typed request the chat's parser makes (``docker stop -t 3 web`` is a
``StopRequest``), through the same policy and the same executor, so the grace period is the
chat's (capped, never unbounded), a new name is checked and stays in the student's scope, and
a prune removes only the student's stopped containers. The executor answers as docker prints
(``Outcome``); a failure becomes the engine's error for the CLI to print.
"""

from __future__ import annotations

import re
from typing import Any

from moussaillon.core.i18n import t
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import containers as container_ops
from moussaillon.sandbox.executor.common import Context, Outcome
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import (
    KillRequest,
    PauseRequest,
    RenameRequest,
    RestartRequest,
    StopRequest,
    UnpauseRequest,
)

# Signal names and numbers as the engine parses them (``SIGTERM``, ``TERM``, ``15``, ``RTMIN+3``).
SIGNAL = re.compile(r"(?i)(?:SIG)?[A-Z]{1,10}(?:[+-]\d{1,2})?|\d{1,2}")


def failed(outcome: Outcome) -> None:
    """The executor's failure (``each`` prints errors instead of raising) as a ``DaemonError``."""
    if outcome.exit_code:
        raise DaemonError(outcome.output.strip().splitlines()[-1] if outcome.output else "")


def seconds(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, f'strconv.Atoi: parsing "{value[:20]}": invalid syntax') from None


class LifecycleApi(ApiBase):
    async def stop(self, user_id: int, ref: str, t: str | None) -> None:
        async def work(ctx: Context) -> None:
            await self._id(ctx, ref)
            request = StopRequest(raw="api stop", containers=[ref], time=seconds(t))
            failed(await container_ops.stop(ctx, await self.service._check(ctx, request)))

        await self._pipeline(user_id, "stop", work)

    async def restart(self, user_id: int, ref: str, t: str | None) -> None:
        async def work(ctx: Context) -> None:
            await self._id(ctx, ref)
            request = RestartRequest(raw="api restart", containers=[ref], time=seconds(t))
            failed(await container_ops.restart(ctx, await self.service._check(ctx, request)))

        await self._pipeline(user_id, "restart", work)

    async def kill(self, user_id: int, ref: str, signal: str | None) -> None:
        """A signal the engine would not parse is refused with its words, before any call."""

        async def work(ctx: Context) -> None:
            if signal and not SIGNAL.fullmatch(signal):
                raise ApiError(400, f"Invalid signal: {signal[:32]}")
            request = KillRequest(raw="api kill", containers=[ref], signal=signal or None)
            failed(await container_ops.kill(ctx, await self.service._check(ctx, request)))

        await self._pipeline(user_id, "kill", work)

    async def pause(self, user_id: int, ref: str) -> None:
        async def work(ctx: Context) -> None:
            request = PauseRequest(raw="api pause", containers=[ref])
            failed(await container_ops.pause(ctx, await self.service._check(ctx, request)))

        await self._pipeline(user_id, "pause", work)

    async def unpause(self, user_id: int, ref: str) -> None:
        async def work(ctx: Context) -> None:
            request = UnpauseRequest(raw="api unpause", containers=[ref])
            failed(await container_ops.unpause(ctx, await self.service._check(ctx, request)))

        await self._pipeline(user_id, "unpause", work)

    async def rename(self, user_id: int, ref: str, name: str) -> None:
        """The new name is checked as the chat checks it and clashes only with the student's
        own containers (the engine holds ``m-u42-web2``); the CLI adds its own summary line."""

        async def work(ctx: Context) -> None:
            request = RenameRequest(raw="api rename", container=ref, new_name=name)
            request = await self.service._check(ctx, request)
            try:
                await container_ops.rename(ctx, request)
            except DaemonError as exc:
                raise DaemonError(exc.text.splitlines()[0]) from None

        await self._pipeline(user_id, "rename", work)

    async def prune(self, user_id: int, filters: str | None) -> dict[str, Any]:
        """Only the student's stopped containers; tmpfs-backed, they free no disk."""

        async def work(ctx: Context) -> dict[str, Any]:
            if filters and filters.strip() not in ("{}", "null"):
                raise ApiError(400, t("terminal.prune_filters", ctx.lang))
            removed = await container_ops.prune_containers(ctx)
            return {"ContainersDeleted": removed or None, "SpaceReclaimed": 0}

        return await self._pipeline(user_id, "prune", work)
