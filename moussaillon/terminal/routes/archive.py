"""``HEAD|GET|PUT /containers/{id}/archive``: ``docker cp`` both ways.

``HEAD`` answers with no body, errors included (the CLI reads the status only); a ``PUT``'s
tar may be as large as the copy's bound, which ``body_limit`` gives the connection.
"""

from __future__ import annotations

import re

from moussaillon.core.i18n import t
from moussaillon.sandbox import ApiError, EngineApi
from moussaillon.terminal.routes.containers import ID
from moussaillon.terminal.routes.exchange import Exchange, route

STAT = "X-Docker-Container-Path-Stat"
PUT_PATH = re.compile(ID + r"/archive")


async def head(ex: Exchange, ref: str) -> None:
    try:
        header = await ex.api.stat(ex.user_id, ref, ex.request.query.get("path"))
    except ApiError as exc:
        await ex.conn.send(exc.status, b"", [("Content-Type", "application/json"), *ex.headers])
        return
    await ex.conn.send(200, b"", [(STAT, header), *ex.headers])


async def get(ex: Exchange, ref: str) -> None:
    tar, header = await ex.api.get_archive(ex.user_id, ref, ex.request.query.get("path"))
    await ex.conn.send(
        200, tar, [("Content-Type", "application/x-tar"), (STAT, header), *ex.headers]
    )


async def put(ex: Exchange, ref: str) -> None:
    await ex.api.put_archive(ex.user_id, ref, ex.request.query, ex.request.body)
    await ex.empty(200)


def body_limit(api: EngineApi, method: str, path: str) -> tuple[int, str] | None:
    if method != "PUT" or PUT_PATH.fullmatch(path) is None:
        return None
    limit = api.transfer_limit()
    return limit, t("sandbox.transfer.upload_too_big", limit=limit // 1024)


ROUTES = [
    route("HEAD", ID + r"/archive", head),
    route("GET", ID + r"/archive", get),
    route("PUT", ID + r"/archive", put),
]
