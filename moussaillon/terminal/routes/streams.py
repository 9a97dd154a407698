"""Hijacked streams: ``POST /containers/{id}/attach`` (``exec`` joins it here)."""

from __future__ import annotations

from moussaillon.terminal.routes.containers import ID
from moussaillon.terminal.routes.exchange import Exchange, route


async def attach(ex: Exchange, ref: str) -> None:
    """Output only for now: stdin the client sends is read and dropped."""
    chunks, _tty = await ex.api.attach(ex.user_id, ref, ex.request.query)
    await ex.hijack()
    async for chunk in chunks:
        await ex.conn.write_raw(chunk)


ROUTES = [
    route("POST", ID + r"/attach", attach),
]
