"""Hijacked streams: ``attach``, ``exec`` (create, start, inspect) and a TTY's ``resize``."""

from __future__ import annotations

from moussaillon.sandbox import ApiError
from moussaillon.sandbox.api.hijack import Hijack
from moussaillon.terminal.open_streams import Slot
from moussaillon.terminal.relay import Bounds, Relay
from moussaillon.terminal.routes.containers import ID
from moussaillon.terminal.routes.exchange import Exchange, route

EXEC = r"/exec/([^/]+)"


async def _relay(ex: Exchange, slot: Slot, hijack: Hijack) -> None:
    try:
        await ex.hijack()
    except BaseException:
        await hijack.close()
        raise
    slot.relay = Relay(ex.conn, hijack, Bounds.of(ex.api.service.settings))
    await slot.relay.run()


async def attach(ex: Exchange, ref: str) -> None:
    if ex.streams is None:
        raise ApiError(501, "streams are not served here")
    with ex.streams.hold(ex.user_id) as slot:
        hijack = await ex.api.attach(ex.user_id, ref, ex.request.query)
        await _relay(ex, slot, hijack)


async def resize(ex: Exchange, ref: str) -> None:
    await ex.api.resize(ex.user_id, ref, ex.request.query)
    await ex.empty(200)


async def exec_create(ex: Exchange, ref: str) -> None:
    body = ex.body()
    if ex.streams is not None and not body.get("Detach"):
        ex.streams.check(ex.user_id)
    await ex.json(201, await ex.api.exec_create(ex.user_id, ref, body))


async def exec_start(ex: Exchange, exec_id: str) -> None:
    body = ex.body()
    if body.get("Detach"):
        await ex.api.exec_start(ex.user_id, exec_id, body)
        await ex.empty(200)
        return
    if ex.streams is None:
        raise ApiError(501, "streams are not served here")
    with ex.streams.hold(ex.user_id) as slot:
        hijack = await ex.api.exec_start(ex.user_id, exec_id, body)
        assert hijack is not None
        await _relay(ex, slot, hijack)


async def exec_inspect(ex: Exchange, exec_id: str) -> None:
    await ex.json(200, await ex.api.exec_inspect(ex.user_id, exec_id))


async def exec_resize(ex: Exchange, exec_id: str) -> None:
    await ex.api.exec_resize(ex.user_id, exec_id, ex.request.query)
    await ex.empty(200)


ROUTES = [
    route("POST", ID + r"/attach", attach),
    route("POST", ID + r"/resize", resize),
    route("POST", ID + r"/exec", exec_create),
    route("POST", EXEC + r"/start", exec_start),
    route("GET", EXEC + r"/json", exec_inspect),
    route("POST", EXEC + r"/resize", exec_resize),
]
