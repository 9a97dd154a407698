"""The Engine-API paths of the first slice, each one call to the sandbox's ``EngineApi``.

Paths come versioned (``/v1.41/containers/json``) or not; the version is checked as the engine
checks it (``versions.py``) before anything else, then the student is known (the server sets
``user_id`` from the certificate) and the route calls the sandbox, which applies the policy,
scope, limits and journal. Nothing here decides what a student may do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from moussaillon.sandbox import ApiError, EngineApi
from moussaillon.terminal.connection import Connection, Request

__all__ = ["Exchange", "Request", "dispatch", "split", "too_new", "too_old"]

VERSIONED = re.compile(r"^/v(\d+)\.(\d+)(/.*)$")
MIN_API = (1, 41)  # the shapes served follow API 1.41, the test engine's
ContainerRoute = Callable[["Exchange", str], Awaitable[None]]


def too_new(asked: tuple[int, int], maximum: str) -> str:
    return (
        f"client version {asked[0]}.{asked[1]} is too new. "
        f"Maximum supported API version is {maximum}"
    )


def too_old(asked: tuple[int, int]) -> str:
    return (
        f"client version {asked[0]}.{asked[1]} is too old. Minimum supported API version is "
        f"{MIN_API[0]}.{MIN_API[1]}, please upgrade your client to a newer version"
    )


def split(target: str) -> tuple[str, dict[str, str], tuple[int, int] | None]:
    parts = urlsplit(target)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    match = VERSIONED.match(parts.path)
    if match is None:
        return parts.path, query, None
    return match.group(3), query, (int(match.group(1)), int(match.group(2)))


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


@dataclass
class Exchange:
    """One request of one student, with the endpoint's headers to answer with."""

    conn: Connection
    request: Request
    api: EngineApi
    user_id: int
    headers: list[tuple[str, str]]

    async def json(self, status: int, data: Any) -> None:
        await self.conn.send_json(status, data, self.headers)

    async def empty(self, status: int = 204) -> None:
        await self.conn.send(status, b"", self.headers)


async def containers_json(ex: Exchange) -> None:
    await ex.json(200, await ex.api.containers(ex.user_id, all=truthy(ex.request.query.get("all"))))


async def containers_create(ex: Exchange) -> None:
    try:
        body = ex.request.json()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid JSON in the request body") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid JSON in the request body")
    name = ex.request.query.get("name")
    await ex.json(201, await ex.api.create(ex.user_id, name, body))


async def images_json(ex: Exchange) -> None:
    await ex.json(200, await ex.api.images(ex.user_id))


async def start(ex: Exchange, ref: str) -> None:
    await ex.api.start(ex.user_id, ref)
    await ex.empty()


async def wait(ex: Exchange, ref: str) -> None:
    """Headers at once, the body at the exit: the CLI starts the container once it has them."""
    result = await ex.api.wait(ex.user_id, ref, ex.request.query.get("condition"))
    await ex.conn.start_stream(200, [("Content-Type", "application/json"), *ex.headers])
    await ex.conn.stream_end((json.dumps(await result()) + "\n").encode())


async def logs(ex: Exchange, ref: str) -> None:
    if truthy(ex.request.query.get("follow")):
        raise ApiError(501, "docker logs -f is not available in this terminal yet: use docker logs")
    body, tty = await ex.api.logs(ex.user_id, ref, ex.request.query)
    kind = (
        "application/vnd.docker.raw-stream" if tty else "application/vnd.docker.multiplexed-stream"
    )
    await ex.conn.send(200, body, [("Content-Type", kind), *ex.headers])


async def inspect(ex: Exchange, ref: str) -> None:
    await ex.json(200, await ex.api.inspect(ex.user_id, ref))


async def remove(ex: Exchange, ref: str) -> None:
    await ex.api.remove(ex.user_id, ref, force=truthy(ex.request.query.get("force")))
    await ex.empty()


async def attach(ex: Exchange, ref: str) -> None:
    """Output only in this slice: stdin the client sends is read and dropped."""
    chunks, _tty = await ex.api.attach(ex.user_id, ref, ex.request.query)
    await ex.conn.hijack(ex.request.upgrade, ex.headers)
    async for chunk in chunks:
        await ex.conn.write_raw(chunk)


PLAIN: dict[tuple[str, str], Callable[[Exchange], Awaitable[None]]] = {
    ("GET", "/containers/json"): containers_json,
    ("POST", "/containers/create"): containers_create,
    ("GET", "/images/json"): images_json,
}
CONTAINER = re.compile(r"^/containers/([^/]+)(?:/(start|wait|logs|attach|json))?$")
ON_CONTAINER: dict[tuple[str, str | None], ContainerRoute] = {
    ("POST", "start"): start,
    ("POST", "wait"): wait,
    ("GET", "logs"): logs,
    ("GET", "json"): inspect,
    ("POST", "attach"): attach,
    ("DELETE", None): remove,
}


async def dispatch(ex: Exchange, path: str) -> bool:
    """Answer ``path`` if the slice serves it; False for a path it does not know."""
    route = PLAIN.get((ex.request.method, path))
    if route is not None:
        await route(ex)
        return True
    match = CONTAINER.match(path)
    if match is not None:
        handler = ON_CONTAINER.get((ex.request.method, match.group(2)))
        if handler is not None:
            await handler(ex, match.group(1))
            return True
    return False
