"""``POST /build`` (the classic builder) and BuildKit's ``/session`` and ``/grpc``, refused.

The build's body is the context tar, capped at the build context's own bound before it is read
(``max_body``: a ``Content-Length`` over it is refused at once, a chunked body cut off as it
passes it). The answer is a stream of the engine's JSON messages, begun with the first one: a
refusal before it is a plain HTTP error, one after it the stream's last message.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from moussaillon.core.i18n import t
from moussaillon.sandbox import ApiError, EngineApi
from moussaillon.sandbox.api.build import buildkit, error_message
from moussaillon.terminal.connection import ClientGone
from moussaillon.terminal.routes.exchange import Exchange, route


def context_cap(api: EngineApi) -> int:
    return api.context_limits().max_archive


async def build(ex: Exchange) -> None:
    query = parse_qsl(urlsplit(ex.request.target).query, keep_blank_values=True)
    if buildkit(query):
        raise ApiError(400, t("terminal.buildkit"))
    started = gone = False

    async def send(message: dict[str, Any]) -> None:
        """A client gone mid-build stops hearing it; the build ends under its own limits."""
        nonlocal started, gone
        if gone:
            return
        try:
            if not started:
                started = True
                headers = [("Content-Type", "application/json"), *ex.headers]
                await ex.conn.start_stream(200, headers)
            await ex.conn.stream_data((json.dumps(message) + "\r\n").encode())
        except ClientGone:
            gone = True

    try:
        await ex.api.build(ex.user_id, query, ex.request.body, send)
    except ApiError as exc:
        if not started:
            raise
        await send(error_message(exc.message))
    if not started:
        await send({"stream": ""})
    if gone:
        raise ClientGone
    await ex.conn.stream_end(b"")


async def buildkit_refused(ex: Exchange) -> None:
    raise ApiError(400, t("terminal.buildkit"))


ROUTES = [
    route("POST", r"/build", build, max_body=context_cap),
    route("POST", r"/session", buildkit_refused),
    route("POST", r"/grpc", buildkit_refused),
]
