"""The Engine-API paths the endpoint serves, each one call to the sandbox's ``EngineApi``.

Paths come versioned (``/v1.41/containers/json``) or not; the version is checked as the engine
checks it before anything else, then the student is known (the server sets ``user_id`` from the
certificate) and the route calls the sandbox, which applies the policy, scope, limits and
journal. Nothing here decides what a student may do. Each area's paths are in their own module
(``containers.py``, ``streams.py``, ``images.py``, ``system.py``) as a ``ROUTES`` table.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from moussaillon.core.i18n import t
from moussaillon.sandbox import EngineApi
from moussaillon.terminal.connection import MAX_BODY, TOO_LARGE
from moussaillon.terminal.routes import (
    archive,
    build,
    containers,
    disk,
    images,
    lifecycle,
    networks,
    observe,
    streams,
    system,
    volumes,
)
from moussaillon.terminal.routes.exchange import Exchange, Request, Route

__all__ = [
    "Exchange",
    "Request",
    "Route",
    "body_limit",
    "dispatch",
    "find",
    "split",
    "too_new",
    "too_old",
]

VERSIONED = re.compile(r"^/v(\d+)\.(\d+)(/.*)$")
# The oldest API whose request shapes are the ones served: from 1.24 the whole HostConfig comes
# with create (never with start), networks and volumes have their own paths, and filters are the
# JSON served here. The engine itself goes down to 1.12; clients below 1.24 would send shapes
# this endpoint would read wrong, so they get the engine's own "too old" answer. Compose v1
# (docker-py) negotiates, or pins what COMPOSE_API_VERSION says (1.38, say).
MIN_API = (1, 24)
TABLE: list[Route] = [
    *system.ROUTES,
    *containers.ROUTES,
    *streams.ROUTES,
    *images.ROUTES,
    *build.ROUTES,
    *disk.ROUTES,
]
TABLE += [*networks.ROUTES, *volumes.ROUTES]
TABLE += [*lifecycle.ROUTES, *observe.ROUTES, *archive.ROUTES]


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


def find(method: str, path: str) -> tuple[Route, tuple[str, ...]] | None:
    """The route serving ``method path`` and the path's captured parts, or None."""
    for route in TABLE:
        if route.method != method:
            continue
        match = route.pattern.fullmatch(path)
        if match is not None:
            return route, match.groups()
    return None


def body_limit(api: EngineApi, method: str, target: str) -> tuple[int, str]:
    """The body cap of the route ``method target`` goes to, read before its body, and the
    refusal past it (the route's own sentence, given the cap in KiB)."""
    path = split(target)[0]
    own = archive.body_limit(api, method, path)  # ``docker cp``'s tar: the copy's bound
    if own is not None:
        return own
    found = find(method, path)
    if found is None or found[0].max_body is None:
        return MAX_BODY, TOO_LARGE
    cap = found[0].max_body(api)
    key = found[0].too_large
    return cap, t(key, limit=cap // 1024) if key else TOO_LARGE


async def dispatch(ex: Exchange, path: str) -> bool:
    """Answer ``path`` if a route serves it; False for a path the endpoint does not know."""
    found = find(ex.request.method, path)
    if found is None:
        return False
    route, parts = found
    await route.handler(ex, *parts)
    return True

