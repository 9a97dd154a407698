"""``/images/…``: the student's images and the course's (read-only), and ``pull``.

An image's name may hold slashes (``me/app:1``), so the name is everything between
``/images/`` and the action; ``/images/json`` (the list) and ``/images/prune`` and
``/images/create`` come first in the table.
"""

from __future__ import annotations

import json

from moussaillon.core.i18n import t
from moussaillon.sandbox import ApiError
from moussaillon.terminal.routes.exchange import Exchange, route, truthy

NAME = r"/images/(.+)"


async def images_json(ex: Exchange) -> None:
    await ex.json(200, await ex.api.images(ex.user_id, ex.request.query.get("filters")))


async def inspect(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.image_inspect(ex.user_id, ref))


async def history(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.image_history(ex.user_id, ref))


async def tag(ex: Exchange, ref: str) -> None:
    query = ex.request.query
    await ex.api.image_tag(ex.user_id, ref, query.get("repo", ""), query.get("tag", ""))
    await ex.empty(201)


async def remove(ex: Exchange, ref: str) -> None:
    force = truthy(ex.request.query.get("force"))
    await ex.json(200, await ex.api.image_remove(ex.user_id, ref, force=force))


async def prune(ex: Exchange) -> None:
    await ex.json(200, await ex.api.images_prune(ex.user_id, ex.request.query.get("filters", "")))


async def create(ex: Exchange) -> None:
    """``docker pull`` (``fromImage``); an import (``fromSrc``) has nothing to read from."""
    query = ex.request.query
    image = query.get("fromImage", "")
    if not image:
        text = t("terminal.not_in_slice", method="POST", path="/images/create?fromSrc")
        raise ApiError(404, text)
    messages = await ex.api.pull(ex.user_id, image, query.get("tag", ""))
    body = "".join(json.dumps(m) + "\r\n" for m in messages).encode()
    await ex.conn.send(200, body, [("Content-Type", "application/json"), *ex.headers])


ROUTES = [
    route("GET", r"/images/json", images_json),
    route("POST", r"/images/prune", prune),
    route("POST", r"/images/create", create),
    route("GET", NAME + r"/json", inspect),
    route("GET", NAME + r"/history", history),
    route("POST", NAME + r"/tag", tag),
    route("DELETE", NAME, remove),
]
