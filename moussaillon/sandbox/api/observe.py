"""Looking at a container: ``top``, ``stats`` (one-shot or streamed), ``diff``, ``logs -f``.

The answers keep the engine's shapes (the CLI renders them) with the chat's rules: ``ps``
options checked by the policy, the sandbox's own changes (its tmpfs mount points, the init)
left out of ``diff``, names the student's own and host paths scrubbed. A stream is resolved
and charged through the pipeline first, then read from the engine without a queue slot (it
holds a container, not the engine): it ends with the container, at the terminal's byte cap
(``logs -f``) or after ``terminal_stream_max_s``, whichever comes first.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import aiodocker
import aiohttp

from moussaillon.core.i18n import t
from moussaillon.sandbox.api.bodies import STREAM_FRAME
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor.common import Context, call, hide_internal
from moussaillon.sandbox.executor.disk import _students_changes
from moussaillon.sandbox.requests import TopRequest
from moussaillon.sandbox.scope import Scope
from moussaillon.sandbox.scrub import scrub_paths

MAX_PS_ARGS = 16
MAX_FRAME = 1024 * 1024  # the engine frames logs in 32 KiB at most; more is not a log frame
CHUNK = 64 * 1024
TIMESTAMP = re.compile(r"-?\d{1,12}(?:\.\d{1,9})?|\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)")
TAIL = re.compile(r"all|\d{1,9}")
LOG_QUERY = ("stdout", "stderr", "tail", "timestamps", "since", "until", "details")


def check_time(name: str, value: str | None) -> None:
    """``since``/``until`` as the CLI sends them (a Unix time, already converted from ``1m``)."""
    if value and not TIMESTAMP.fullmatch(value):
        raise ApiError(400, t("terminal.bad_time", name=name, value=value[:40]))


class Deadline:
    """A stream's whole life: reads wait at most what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.end = asyncio.get_running_loop().time() + seconds

    def left(self) -> float:
        return self.end - asyncio.get_running_loop().time()


async def read_within(deadline: Deadline, reading: Any) -> Any:
    """``reading`` awaited before the deadline; None once it passed."""
    left = deadline.left()
    if left <= 0:
        reading.close()
        return None
    try:
        async with asyncio.timeout(left):
            return await reading
    except TimeoutError:
        return None


class ObserveApi(ApiBase):
    async def top(self, user_id: int, ref: str, ps_args: str | None) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            args = (ps_args or "").split()
            if len(args) > MAX_PS_ARGS:
                raise ApiError(400, t("terminal.top_too_many", ctx.lang, limit=MAX_PS_ARGS))
            request = await self.service._check(
                ctx, TopRequest(raw="api top", container=ref, ps_args=args)
            )
            container_id = await self._id(ctx, ref)
            params = {"ps_args": " ".join(request.ps_args)} if request.ps_args else None
            found = await call(ctx, f"containers/{container_id}/top", params=params)
            return {
                "Titles": found.get("Titles") or [],
                "Processes": [
                    [hide_internal(ctx, str(cell)) for cell in row]
                    for row in found.get("Processes") or []
                ],
            }

        return await self._pipeline(user_id, "top", work)

    async def changes(self, user_id: int, ref: str) -> list[dict[str, Any]]:
        async def work(ctx: Context) -> list[dict[str, Any]]:
            container_id = await self._id(ctx, ref)
            found = await call(ctx, f"containers/{container_id}/changes") or []
            return _students_changes(found)

        return await self._pipeline(user_id, "diff", work)

    async def stats(self, user_id: int, ref: str, *, stream: bool) -> AsyncIterator[bytes]:
        """One JSON object per line: once (``stream=0``), or each second the engine measures,
        until the container stops or the stream's life ends."""

        async def work(ctx: Context) -> str:
            return await self._id(ctx, ref)

        container_id = await self._pipeline(user_id, "stats", work)
        return self._stats_lines(user_id, container_id, stream)

    async def _stats_lines(
        self, user_id: int, container_id: str, stream: bool
    ) -> AsyncIterator[bytes]:
        ctx = self.service.context(user_id)
        max_s = self.service.settings.terminal_stream_max_s
        deadline = Deadline(max_s if stream else 30)
        params = {"stream": "1" if stream else "0"}
        try:
            async with self.service.engine.stream(
                f"containers/{container_id}/stats", params=params
            ) as response:
                while True:
                    line = await read_within(deadline, response.content.readline())
                    if not line:
                        return
                    text = hide_internal(ctx, line.decode("utf-8", "replace").strip())
                    yield (text + "\n").encode()
        except (aiodocker.DockerError, aiohttp.ClientError, ValueError):
            return

    async def follow(
        self, user_id: int, ref: str, params: dict[str, str]
    ) -> tuple[AsyncIterator[bytes], bool]:
        """``logs -f``: the engine's stream as it comes (raw for a TTY, re-framed otherwise),
        each payload scrubbed; it ends when the container stops, past the byte cap or the
        stream's life."""
        for name in ("since", "until"):
            check_time(name, params.get(name))
        tail = params.get("tail")
        if tail and not TAIL.fullmatch(tail):  # checked here: once streaming, no error can follow
            raise ApiError(400, t("terminal.bad_tail", value=tail[:40]))

        async def work(ctx: Context) -> tuple[str, bool]:
            container_id = await self._id(ctx, ref)
            inspect = await call(ctx, f"containers/{container_id}/json")
            return container_id, bool((inspect.get("Config") or {}).get("Tty"))

        container_id, tty = await self._pipeline(user_id, "logs", work)
        query = {k: v for k, v in params.items() if k in LOG_QUERY}
        query["follow"] = "1"
        settings = self.service.settings
        cap = settings.terminal_follow_max_mb * 1024 * 1024
        prefix = Scope.for_user(user_id).prefix
        chunks = self._follow(container_id, query, tty, prefix, cap, settings.terminal_stream_max_s)
        return chunks, tty

    async def _follow(
        self,
        container_id: str,
        query: dict[str, str],
        tty: bool,
        prefix: str,
        cap: int,
        max_s: float,
    ) -> AsyncIterator[bytes]:
        deadline = Deadline(max_s)
        sent = 0
        try:
            async with self.service.engine.stream(
                f"containers/{container_id}/logs", params=query
            ) as response:
                while sent < cap:
                    if tty:
                        raw = await read_within(deadline, response.content.readany())
                        if not raw:
                            return
                        data = scrub_paths(raw.decode("utf-8", "replace"), prefix).encode()
                        out = data
                    else:
                        head = await read_within(deadline, response.content.readexactly(8))
                        if head is None:
                            return
                        kind, size = STREAM_FRAME.unpack(head)
                        if size > MAX_FRAME:
                            return
                        payload = await read_within(deadline, response.content.readexactly(size))
                        if payload is None:
                            return
                        data = scrub_paths(payload.decode("utf-8", "replace"), prefix).encode()
                        out = STREAM_FRAME.pack(kind, len(data)) + data
                    sent += len(data)
                    yield out
        except (aiodocker.DockerError, aiohttp.ClientError, asyncio.IncompleteReadError):
            return
