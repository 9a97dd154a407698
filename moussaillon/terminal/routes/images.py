"""``/images/…``: the student's images and the course's."""

from __future__ import annotations

from moussaillon.terminal.routes.exchange import Exchange, route


async def images_json(ex: Exchange) -> None:
    await ex.json(200, await ex.api.images(ex.user_id, ex.request.query.get("filters")))


ROUTES = [
    route("GET", r"/images/json", images_json),
]
