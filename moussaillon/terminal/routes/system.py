"""``/version`` and ``/info`` (``/_ping`` answers before authentication, in ``server.py``)."""

from __future__ import annotations

from moussaillon.terminal.routes.exchange import Exchange, route


async def version(ex: Exchange) -> None:
    await ex.json(200, await ex.api.version())


async def info(ex: Exchange) -> None:
    await ex.json(200, await ex.api.info(ex.user_id))


ROUTES = [
    route("GET", r"/version", version),
    route("GET", r"/info", info),
]
