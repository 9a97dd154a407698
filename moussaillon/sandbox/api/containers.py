"""Containers: list, inspect, create, start, wait, logs, remove, in the student's scope."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiodocker

from moussaillon.sandbox.api import filters
from moussaillon.sandbox.api.bodies import create_request, frames
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import containers as container_ops
from moussaillon.sandbox.executor import run as run_ops
from moussaillon.sandbox.executor.common import Context, hide_internal
from moussaillon.sandbox.scrub import scrub_paths


class ContainersApi(ApiBase):
    async def containers(
        self, user_id: int, *, all: bool = False, raw_filters: str | None = None
    ) -> list[dict[str, Any]]:
        """Newest first, as the engine lists them; a ``status``/``exited`` filter lists the
        stopped ones too (the chat's ``ps`` rule)."""

        async def work(ctx: Context) -> list[dict[str, Any]]:
            wanted = filters.parse(raw_filters, filters.CONTAINERS, ctx.lang)
            match = filters.containers(ctx, wanted)
            every = all or any(f.key in ("status", "exited") for f in wanted)
            found = await ctx.scope.containers(ctx.engine, all=every)
            found.sort(key=lambda c: c.get("Created", 0), reverse=True)
            return [self._summary(ctx, c) for c in found if match(c)]

        return await self._pipeline(user_id, "ps", work)

    async def inspect(self, user_id: int, ref: str) -> dict[str, Any]:
        """``docker inspect``'s object, as the chat shows it (paths blanked, names the
        student's own)."""

        async def work(ctx: Context) -> dict[str, Any]:
            found: dict[str, Any] = await container_ops.inspect_one(ctx, ref)
            return found

        # Half: the CLI also inspects before ``logs``, ``attach`` or ``start -a``.
        return await self._pipeline(user_id, "inspect", work, cost=0.5)

    async def create(self, user_id: int, name: str | None, body: dict[str, Any]) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            request = await self.service._check(ctx, create_request(name, body))
            container_id, _, _ = await run_ops.create(ctx, request)
            return {"Id": container_id, "Warnings": []}

        try:
            created = await self._pipeline(user_id, "create", work)
        except ApiError as exc:
            if exc.status == 404 and not exc.message.startswith("No such image"):
                # the engine checks a network at start, so its create 404s only for an image,
                # which the CLI then pulls: anything else missing is a plain refusal
                raise ApiError(400, exc.message) from None
            raise
        self.begun(user_id, created["Id"])  # ``docker run``: its start is the same command
        return created

    async def start(self, user_id: int, ref: str) -> None:
        async def work(ctx: Context) -> None:
            container_id = await self._id(ctx, ref)
            try:
                await ctx.engine.post(f"containers/{container_id}/start")
            except aiodocker.DockerError as exc:
                if exc.status != 304:
                    raise

        await self._pipeline(user_id, "start", work, cost=0 if self.follows(user_id, ref) else 1)

    async def wait(
        self, user_id: int, ref: str, condition: str | None
    ) -> Callable[[], Awaitable[dict[str, Any]]]:
        """Resolve the container now (a refusal is an ``ApiError`` before any answer), then
        the exit code when awaited: the engine answers the headers first and the CLI starts
        the container only once it has them.

        Once the container has run for the sandbox's time limit it is killed, as in chat; the
        limit counts from its start, not from this request (a start can take seconds). An
        interactive one (``run -it``: someone types) has a stream's maximum life instead."""

        async def work(ctx: Context) -> Callable[[], Awaitable[dict[str, Any]]]:
            container_id = await self._id(ctx, ref)
            inspect = await ctx.engine.get(f"containers/{container_id}/json")
            limit = (
                ctx.settings.terminal_stream_max_s
                if (inspect.get("Config") or {}).get("OpenStdin")
                else ctx.settings.sandbox_timeout_s
            )
            return lambda: self._exit(ctx, container_id, condition, limit)

        return await self._pipeline(user_id, "wait", work, queued=False)

    async def _exit(
        self, ctx: Context, container_id: str, condition: str | None, limit: float
    ) -> dict[str, Any]:
        params = {"condition": condition} if condition else None
        waiting = asyncio.ensure_future(
            ctx.engine.post(f"containers/{container_id}/wait", params=params)
        )
        try:
            while True:
                done, _ = await asyncio.wait({waiting}, timeout=limit)
                if done:
                    result: dict[str, Any] = waiting.result()
                    return result
                left = await self._time_left(ctx, container_id, limit)
                if left <= 0:
                    with contextlib.suppress(aiodocker.DockerError):
                        await ctx.engine.post(f"containers/{container_id}/kill")
                    return {"StatusCode": 137, "Error": None}
                limit = left
        except aiodocker.DockerError as exc:
            return {"StatusCode": 0, "Error": {"Message": hide_internal(ctx, str(exc.message))}}
        finally:
            waiting.cancel()

    async def _time_left(self, ctx: Context, container_id: str, limit: float) -> float:
        """Seconds the container may still run (the whole limit while not started yet)."""
        try:
            state = (await ctx.engine.get(f"containers/{container_id}/json")).get("State") or {}
        except aiodocker.DockerError:
            return limit
        if not state.get("Running"):
            return limit
        started = datetime.fromisoformat(
            str(state.get("StartedAt", ""))[:26].rstrip("Z") + "+00:00"
        )
        return limit - (datetime.now(UTC) - started).total_seconds()

    async def logs(self, user_id: int, ref: str, params: dict[str, str]) -> tuple[bytes, bool]:
        """(body, tty): the logs as the engine frames them, scrubbed, capped at the output
        limit; ``follow`` is not served yet (the first slice answers what is there)."""

        async def work(ctx: Context) -> tuple[bytes, bool]:
            c = await ctx.scope.container(ctx.engine, ref)
            inspect = await ctx.engine.get(f"containers/{c['Id']}/json")
            tty = bool((inspect.get("Config") or {}).get("Tty"))
            query = {
                k: v
                for k, v in params.items()
                if k in ("stdout", "stderr", "tail", "timestamps", "since", "until")
            }
            async with (
                asyncio.timeout(30),
                ctx.engine.stream(f"containers/{c['Id']}/logs", params=query) as response,
            ):
                raw = await response.content.read(ctx.output_limit + 8)
            if tty:
                return scrub_paths(raw.decode("utf-8", "replace"), ctx.scope.prefix).encode(), True
            return frames(raw, ctx.scope.prefix), False

        return await self._pipeline(user_id, "logs", work)

    async def remove(self, user_id: int, ref: str, *, force: bool) -> None:
        async def work(ctx: Context) -> None:
            container_id = await self._id(ctx, ref)
            params = {"force": "1" if force else "0", "v": "1"}
            await ctx.engine.delete(f"containers/{container_id}", params=params)

        await self._pipeline(user_id, "rm", work)
