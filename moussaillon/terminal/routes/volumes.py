"""``/volumes/…``: list, inspect, create, remove, prune."""

from __future__ import annotations

from moussaillon.terminal.routes.exchange import Exchange, route, truthy

NAME = r"/volumes/([^/]+)"


async def volumes_json(ex: Exchange) -> None:
    await ex.json(200, await ex.api.volumes(ex.user_id, ex.request.query.get("filters")))


async def create(ex: Exchange) -> None:
    await ex.json(201, await ex.api.create_volume(ex.user_id, ex.body()))


async def prune(ex: Exchange) -> None:
    await ex.json(200, await ex.api.prune_volumes(ex.user_id, ex.request.query.get("filters")))


async def inspect(ex: Exchange, name: str) -> None:
    await ex.json(200, await ex.api.volume(ex.user_id, name))


async def remove(ex: Exchange, name: str) -> None:
    await ex.api.remove_volume(ex.user_id, name, force=truthy(ex.request.query.get("force")))
    await ex.empty()


ROUTES = [
    route("GET", r"/volumes", volumes_json),
    route("POST", r"/volumes/create", create),
    route("POST", r"/volumes/prune", prune),
    route("GET", NAME, inspect),
    route("DELETE", NAME, remove),
]
