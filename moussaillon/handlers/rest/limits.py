"""A cap on request bodies, applied before anything reads them.

FastAPI reads a route's whole body before it resolves the dependencies, so without this a
300 MB upload was held in memory before the token check could answer 401. This pure ASGI
middleware sits outside every route: a declared ``Content-Length`` over the cap is answered
413 without calling the app at all; a streamed (chunked) body is counted as it arrives and
answered 413 the moment the count passes the cap. The 413 carries ``Connection: close`` so
uvicorn drops the connection instead of draining the rest of the body.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import lang_of

CODE = "api.too_large"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _declared_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None  # h11 has already refused a malformed length


class BodyLimit:
    """Answer 413 to any HTTP request whose body exceeds ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        await _Guard(self, scope, receive, send).run()

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang = lang_of(_header(scope, b"accept-language"))
        message = t(CODE, lang, limit_kb=self.max_bytes // 1024)
        response = JSONResponse(
            {"error": {"code": CODE, "message": message}},
            status_code=413,
            headers={"connection": "close"},
        )
        await response(scope, receive, send)


class _Guard:
    """One request: counts the body bytes the app receives, and answers 413 in its place
    once they pass the cap. The app then only sees a disconnect, and what it tries to send
    afterwards is dropped (the client already has its answer)."""

    def __init__(self, limit: BodyLimit, scope: Scope, receive: Receive, send: Send) -> None:
        self.limit, self.scope, self._receive, self._send = limit, scope, receive, send
        self.received = 0
        self.started = False  # the app began its own response
        self.refused = False

    async def run(self) -> None:
        await self.limit.app(self.scope, self.receive, self.send)

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit.max_bytes:
                self.refused = True
                if not self.started:
                    await self.limit._refuse(self.scope, self._receive, self._send)
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused and not self.started:
            return
        self.started = True
        await self._send(message)
