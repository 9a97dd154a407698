"""``GET /system/df``: what the student's own objects hold (``docker system df``)."""

from __future__ import annotations

from moussaillon.terminal.routes.exchange import Exchange, route


async def system_df(ex: Exchange) -> None:
    await ex.json(200, await ex.api.system_df(ex.user_id))


ROUTES = [
    route("GET", r"/system/df", system_df),
]
