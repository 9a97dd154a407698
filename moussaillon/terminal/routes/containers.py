"""``/containers/…``: list, create, start, wait, logs, inspect, remove."""

from __future__ import annotations

import asyncio
import contextlib
import json

from moussaillon.sandbox import ApiError
from moussaillon.terminal.connection import ClientGone
from moussaillon.terminal.routes.exchange import Exchange, route, truthy

ID = r"/containers/([^/]+)"


async def containers_json(ex: Exchange) -> None:
    query = ex.request.query
    listed = await ex.api.containers(
        ex.user_id, all=truthy(query.get("all")), raw_filters=query.get("filters")
    )
    await ex.json(200, listed)


async def containers_create(ex: Exchange) -> None:
    name = ex.request.query.get("name")
    await ex.json(201, await ex.api.create(ex.user_id, name, ex.body()))


async def start(ex: Exchange, ref: str) -> None:
    await ex.api.start(ex.user_id, ref)
    await ex.empty()


async def wait(ex: Exchange, ref: str) -> None:
    """Headers at once, the body at the exit: the CLI starts the container once it has them."""
    result = await ex.api.wait(ex.user_id, ref, ex.request.query.get("condition"))
    await ex.conn.start_stream(200, [("Content-Type", "application/json"), *ex.headers])
    # A client that leaves (``run -d`` drops its wait) stops the wait, and its time limit's kill.
    answer = asyncio.ensure_future(result())
    left = asyncio.ensure_future(ex.conn.client_left())
    try:
        await asyncio.wait({answer, left}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        # Awaited, not only cancelled: its pending read must be gone before the connection
        # reads the next request (a second reader is an error in asyncio's streams).
        for task in (left, answer):
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ClientGone):
                await task
    if answer.cancelled():
        raise ClientGone
    await ex.conn.stream_end((json.dumps(answer.result()) + "\n").encode())


async def logs(ex: Exchange, ref: str) -> None:
    if truthy(ex.request.query.get("follow")):
        raise ApiError(501, "docker logs -f is not available in this terminal yet: use docker logs")
    body, tty = await ex.api.logs(ex.user_id, ref, ex.request.query)
    kind = (
        "application/vnd.docker.raw-stream" if tty else "application/vnd.docker.multiplexed-stream"
    )
    await ex.conn.send(200, body, [("Content-Type", kind), *ex.headers])


async def inspect(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.inspect(ex.user_id, ref))


async def remove(ex: Exchange, ref: str) -> None:
    await ex.api.remove(ex.user_id, ref, force=truthy(ex.request.query.get("force")))
    await ex.empty()


ROUTES = [
    route("GET", r"/containers/json", containers_json),
    route("POST", r"/containers/create", containers_create),
    route("POST", ID + r"/start", start),
    route("POST", ID + r"/wait", wait),
    route("GET", ID + r"/logs", logs),
    route("GET", ID + r"/json", inspect),
    route("DELETE", ID, remove),
]
