"""``/containers/…``: list, create, start, wait, logs, inspect, remove."""

from __future__ import annotations

import json

from moussaillon.terminal.routes.exchange import Exchange, route, truthy
from moussaillon.terminal.routes.streamed import pour, unless_gone

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
    await ex.conn.stream_end((json.dumps(await unless_gone(ex, result())) + "\n").encode())


def _kind(tty: bool) -> str:
    return (
        "application/vnd.docker.raw-stream" if tty else "application/vnd.docker.multiplexed-stream"
    )


async def logs(ex: Exchange, ref: str) -> None:
    if truthy(ex.request.query.get("follow")):  # streamed until the container stops
        chunks, tty = await ex.api.follow(ex.user_id, ref, ex.request.query)
        await pour(ex, chunks, _kind(tty))
        return
    body, tty = await ex.api.logs(ex.user_id, ref, ex.request.query)
    kind = _kind(tty)
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
