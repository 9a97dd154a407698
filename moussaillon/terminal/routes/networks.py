"""``/networks/…``: list, inspect, create, remove, connect, disconnect, prune."""

from __future__ import annotations

from moussaillon.terminal.routes.exchange import Exchange, route

ID = r"/networks/([^/]+)"


async def networks_json(ex: Exchange) -> None:
    await ex.json(200, await ex.api.networks(ex.user_id, ex.request.query.get("filters")))


async def create(ex: Exchange) -> None:
    await ex.json(201, await ex.api.create_network(ex.user_id, ex.body()))


async def prune(ex: Exchange) -> None:
    await ex.json(200, await ex.api.prune_networks(ex.user_id, ex.request.query.get("filters")))


async def inspect(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.network(ex.user_id, ref))


async def remove(ex: Exchange, ref: str) -> None:
    await ex.api.remove_network(ex.user_id, ref)
    await ex.empty()


async def connect(ex: Exchange, ref: str) -> None:
    await ex.api.connect(ex.user_id, ref, ex.body())
    await ex.empty(200)


async def disconnect(ex: Exchange, ref: str) -> None:
    await ex.api.disconnect(ex.user_id, ref, ex.body())
    await ex.empty(200)


ROUTES = [
    route("GET", r"/networks", networks_json),
    route("POST", r"/networks/create", create),
    route("POST", r"/networks/prune", prune),
    route("GET", ID, inspect),
    route("DELETE", ID, remove),
    route("POST", ID + r"/connect", connect),
    route("POST", ID + r"/disconnect", disconnect),
]
