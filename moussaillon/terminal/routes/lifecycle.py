"""``/containers/{id}/stop|restart|kill|pause|unpause|rename`` and ``/containers/prune``."""

from __future__ import annotations

from moussaillon.terminal.routes.containers import ID
from moussaillon.terminal.routes.exchange import Exchange, route


async def stop(ex: Exchange, ref: str) -> None:
    await ex.api.stop(ex.user_id, ref, ex.request.query.get("t"))
    await ex.empty()


async def restart(ex: Exchange, ref: str) -> None:
    await ex.api.restart(ex.user_id, ref, ex.request.query.get("t"))
    await ex.empty()


async def kill(ex: Exchange, ref: str) -> None:
    await ex.api.kill(ex.user_id, ref, ex.request.query.get("signal"))
    await ex.empty()


async def pause(ex: Exchange, ref: str) -> None:
    await ex.api.pause(ex.user_id, ref)
    await ex.empty()


async def unpause(ex: Exchange, ref: str) -> None:
    await ex.api.unpause(ex.user_id, ref)
    await ex.empty()


async def rename(ex: Exchange, ref: str) -> None:
    await ex.api.rename(ex.user_id, ref, ex.request.query.get("name", ""))
    await ex.empty()


async def prune(ex: Exchange) -> None:
    await ex.json(200, await ex.api.prune(ex.user_id, ex.request.query.get("filters")))


ROUTES = [
    route("POST", ID + r"/stop", stop),
    route("POST", ID + r"/restart", restart),
    route("POST", ID + r"/kill", kill),
    route("POST", ID + r"/pause", pause),
    route("POST", ID + r"/unpause", unpause),
    route("POST", ID + r"/rename", rename),
    route("POST", r"/containers/prune", prune),
]
