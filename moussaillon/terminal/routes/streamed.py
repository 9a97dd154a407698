"""A streamed answer (``logs -f``, ``events``, ``stats``): chunked, as the engine sends them.

The body goes on while the sandbox's iterator yields; it stops early when the client leaves
(the CLI killed, Ctrl-C), even while nothing comes, so an idle stream holds nothing for long.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar

from moussaillon.terminal.connection import ClientGone
from moussaillon.terminal.routes.exchange import Exchange

T = TypeVar("T")


async def pour(ex: Exchange, chunks: AsyncIterator[bytes], content_type: str) -> None:
    closed = asyncio.ensure_future(ex.conn.client_closed())
    try:
        await ex.conn.start_stream(200, [("Content-Type", content_type), *ex.headers])
        while True:
            coming = asyncio.ensure_future(anext(chunks))
            done, _ = await asyncio.wait({coming, closed}, return_when=asyncio.FIRST_COMPLETED)
            if coming not in done:
                coming.cancel()
                with contextlib.suppress(BaseException):
                    await coming
                raise ClientGone
            try:
                chunk = coming.result()
            except StopAsyncIteration:
                break
            await ex.conn.stream_data(chunk)
        await ex.conn.stream_end(b"")
    finally:
        closed.cancel()
        with contextlib.suppress(BaseException):
            await closed
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()


async def unless_gone(ex: Exchange, awaited: Awaitable[T]) -> T:
    """``awaited``'s result, or ``ClientGone`` (``awaited`` cancelled) once the client left: a
    ``docker run -d`` sends a ``wait`` and exits, which must not hold a connection until the
    container ends."""
    work = asyncio.ensure_future(awaited)
    closed = asyncio.ensure_future(ex.conn.client_closed())
    try:
        done, _ = await asyncio.wait({work, closed}, return_when=asyncio.FIRST_COMPLETED)
        if work in done:
            return work.result()
        raise ClientGone
    finally:
        for task in (work, closed):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
