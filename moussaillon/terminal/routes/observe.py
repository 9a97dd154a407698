"""``top``, ``stats``, ``changes`` (``docker diff``) and ``/events`` (``logs -f`` is beside
``logs``, in ``containers.py``)."""

from __future__ import annotations

from moussaillon.terminal.routes.containers import ID
from moussaillon.terminal.routes.exchange import Exchange, route, truthy
from moussaillon.terminal.routes.streamed import pour


async def top(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.top(ex.user_id, ref, ex.request.query.get("ps_args")))


async def changes(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.changes(ex.user_id, ref))


async def stats(ex: Exchange, ref: str) -> None:
    """``stream`` is on unless said otherwise, as the engine has it."""
    stream = truthy(ex.request.query.get("stream", "1"))
    lines = await ex.api.stats(ex.user_id, ref, stream=stream)
    if stream:
        await pour(ex, lines, "application/json")
        return
    body = b"".join([line async for line in lines])
    await ex.conn.send(200, body, [("Content-Type", "application/json"), *ex.headers])


async def events(ex: Exchange) -> None:
    await pour(ex, await ex.api.events(ex.user_id, ex.request.query), "application/json")


ROUTES = [
    route("GET", ID + r"/top", top),
    route("GET", ID + r"/changes", changes),
    route("GET", ID + r"/stats", stats),
    route("GET", r"/events", events),
]
