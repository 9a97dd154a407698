"""``POST /containers/{id}/stop`` for Compose's ``down`` (see ``sandbox/api/compose_stop.py``)."""

from __future__ import annotations

from moussaillon.terminal.routes.containers import ID
from moussaillon.terminal.routes.exchange import Exchange, route


async def stop(ex: Exchange, ref: str) -> None:
    await ex.api.stop_for_compose(ex.user_id, ref, ex.request.query.get("t"))
    await ex.empty()


ROUTES = [
    route("POST", ID + r"/stop", stop),
]
