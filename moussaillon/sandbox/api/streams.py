"""Hijacked streams: ``attach`` and a TTY's ``resize``, as the engine carries them."""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any

import aiodocker

from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.hijack import Hijack
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor.common import Context

log = logging.getLogger(__name__)
MAX_TTY_SIDE = 1000  # rows or columns: a real terminal is far smaller
DETACH_KEYS = re.compile(r"^[a-z0-9@\[\]\\^_,-]{0,64}$", re.IGNORECASE)


def _flag(params: dict[str, str], key: str) -> bool:
    return (params.get(key) or "").lower() in ("1", "true")


def tty_size(params: dict[str, str]) -> tuple[int, int]:
    """``h`` and ``w`` as the engine reads them, bounded before anything is asked."""
    try:
        h, w = int(params.get("h") or 0), int(params.get("w") or 0)
    except ValueError:
        raise ApiError(400, "invalid tty size: h and w must be integers") from None
    if not (0 <= h <= MAX_TTY_SIDE and 0 <= w <= MAX_TTY_SIDE):
        raise ApiError(400, f"invalid tty size: at most {MAX_TTY_SIDE} rows and columns")
    return h, w


def detach_keys(value: str | None) -> str | None:
    if not value:
        return None
    if not DETACH_KEYS.fullmatch(value):
        raise ApiError(400, "Invalid detach keys provided")
    return value


class StreamsApi(ApiBase):
    async def attach(self, user_id: int, ref: str, params: dict[str, str]) -> Hijack:
        """The container's stdin (when ``stdin=1``) and output as they come, raw for a TTY,
        multiplexed otherwise; the output ends with the container's streams."""
        keys = detach_keys(params.get("detachKeys"))

        async def work(ctx: Context) -> tuple[str, dict[str, Any], str]:
            c = await ctx.scope.container(ctx.engine, ref)
            inspect = await ctx.engine.get(f"containers/{c['Id']}/json")
            return c["Id"], inspect.get("Config") or {}, ctx.scope.prefix

        container_id, config, prefix = await self._pipeline(user_id, "attach", work, queued=False)
        stdin = _flag(params, "stdin")
        try:
            stream = await self.service.engine.attach_stream(
                container_id,
                stdin=stdin,
                stdout=_flag(params, "stdout"),
                stderr=_flag(params, "stderr"),
                logs=_flag(params, "logs"),
                detach_keys=keys,
            )
        except aiodocker.DockerError as exc:
            raise ApiError(exc.status, str(exc.message)) from None
        hijack = Hijack(stream, bool(config.get("Tty")), prefix, stdin)
        if config.get("StdinOnce"):
            hijack.abandon = lambda: self._kill(container_id)
        return hijack

    async def _kill(self, container_id: str) -> None:
        """A foreground ``run -i`` whose stream the endpoint ended: nobody can type into it any
        more, so it ends, and the CLI's ``wait`` answers instead of hanging."""
        with contextlib.suppress(aiodocker.DockerError):
            await self.service.engine.post(f"containers/{container_id}/kill")

    async def resize(self, user_id: int, ref: str, params: dict[str, str]) -> None:
        """A TTY's new size, charged like any call: a window dragged wide sends dozens, and
        the CLI only logs a refused one."""
        h, w = tty_size(params)

        async def work(ctx: Context) -> None:
            container_id = await self._id(ctx, ref)
            await ctx.engine.post(f"containers/{container_id}/resize", params={"h": h, "w": w})

        await self._pipeline(user_id, "resize", work)
