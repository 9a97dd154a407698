"""Hijacked streams: ``attach`` (and, next to it, ``exec``), as the engine carries them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiodocker

from moussaillon.sandbox.api.bodies import STREAM_FRAME
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor.common import Context
from moussaillon.sandbox.scrub import scrub_paths

log = logging.getLogger(__name__)
ATTACH_CHUNK = 64 * 1024


class StreamsApi(ApiBase):
    async def attach(
        self, user_id: int, ref: str, params: dict[str, str]
    ) -> tuple[AsyncIterator[bytes], bool]:
        """The container's output as it comes (stdout/stderr only: no stdin yet), raw for a TTY,
        multiplexed otherwise; the iterator ends with the container's streams."""

        async def work(ctx: Context) -> tuple[str, bool, str]:
            c = await ctx.scope.container(ctx.engine, ref)
            inspect = await ctx.engine.get(f"containers/{c['Id']}/json")
            return c["Id"], bool((inspect.get("Config") or {}).get("Tty")), ctx.scope.prefix

        container_id, tty, prefix = await self._pipeline(user_id, "attach", work, queued=False)
        try:
            stream = await self.service.engine.attach_stream(container_id, stdin=False)
        except aiodocker.DockerError as exc:
            raise ApiError(exc.status, str(exc.message)) from None
        limit = self.service.settings.sandbox_output_kb * 1024

        async def chunks() -> AsyncIterator[bytes]:
            sent = 0
            try:
                while sent < limit:
                    message = await stream.read_out()
                    log.debug("attach: %r", message)
                    if message is None:
                        return
                    data = scrub_paths(message.data.decode("utf-8", "replace"), prefix).encode()
                    sent += len(data)
                    yield data if tty else STREAM_FRAME.pack(message.stream, len(data)) + data
            finally:
                await stream.close()

        return chunks(), tty
