"""What every route gets: the request, the student, the sandbox's API, the engine's headers."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from moussaillon.sandbox import ApiError, EngineApi
from moussaillon.terminal.connection import Connection, Request

__all__ = ["Exchange", "Request", "Route", "route", "truthy"]

Handler = Callable[..., Awaitable[None]]
BodyCap = Callable[[EngineApi], int]


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


@dataclass
class Exchange:
    """One request of one student, with the endpoint's headers to answer with.

    ``hijacked`` is set once a route took the socket over (``attach``, ``exec start``): the
    connection then ends with the stream instead of waiting for the next request."""

    conn: Connection
    request: Request
    api: EngineApi
    user_id: int
    headers: list[tuple[str, str]]
    hijacked: bool = False

    async def json(self, status: int, data: Any) -> None:
        await self.conn.send_json(status, data, self.headers)

    async def empty(self, status: int = 204) -> None:
        await self.conn.send(status, b"", self.headers)

    async def hijack(self) -> None:
        self.hijacked = True
        await self.conn.hijack(self.request.upgrade, self.headers)

    def body(self) -> dict[str, Any]:
        """The request's JSON object body ({} when empty), or the engine's 400."""
        try:
            body = self.request.json()
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "invalid JSON in the request body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "invalid JSON in the request body")
        return body


@dataclass(frozen=True)
class Route:
    """``method`` on paths matching ``pattern`` whole; its groups are the handler's arguments.
    ``max_body``: the route's own cap on the request body (``connection.MAX_BODY`` without)."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    max_body: BodyCap | None = None


def route(method: str, pattern: str, handler: Handler, *, max_body: BodyCap | None = None) -> Route:
    return Route(method, re.compile(pattern), handler, max_body)
