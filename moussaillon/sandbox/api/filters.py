"""The engine's ``filters`` query on lists, applied to what the student may see and nothing else.

The CLI sends ``{"label":{"k=v":true}}``, docker-py (Compose) ``{"label":["k=v"]}``; both
become the chat's ``Filter`` list, so the chat's own matching (RE2 names, labels among the
visible ones) decides. A label filter only ever sees the student's labels: one naming a
``moussaillon.*`` label matches nothing, as if it did not exist. Keys the engine knows but the
sandbox does not serve are refused by name rather than ignored (a silent no-op would list
more than was asked).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moussaillon.core.i18n import t
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.executor.common import (
    MAX_FILTER_PATTERN,
    Context,
    filter_values,
    hide_internal,
    match_labels,
    name_matcher,
    visible_labels,
)
from moussaillon.sandbox.executor.containers import _matches  # the chat's ps matching
from moussaillon.sandbox.requests import ContainerLsRequest, Filter

MAX_FILTERS_CHARS = 4096  # the whole JSON query: a compose project's filters are ~150
MAX_FILTER_VALUES = 32


@dataclass(frozen=True)
class Kind:
    """One list's filter keys: those served, and the rest the engine would accept."""

    served: frozenset[str]
    engine: frozenset[str]


CONTAINERS = Kind(
    frozenset({"ancestor", "exited", "id", "label", "name", "network", "status", "volume"}),
    frozenset({"before", "expose", "health", "isolation", "is-task", "publish", "since"}),
)
NETWORKS = Kind(
    frozenset({"dangling", "driver", "id", "label", "name", "scope", "type"}), frozenset()
)
VOLUMES = Kind(frozenset({"dangling", "driver", "label", "name"}), frozenset())
IMAGES = Kind(frozenset({"dangling", "label", "reference"}), frozenset({"before", "since"}))
PRUNE = Kind(frozenset(), frozenset({"label", "label!", "until", "all"}))


def parse(raw: str | None, kind: Kind, lang: str = "fr") -> list[Filter]:
    """The query's filters, bounded before anything is matched; the engine's words for a
    malformed or unknown one."""
    if not raw:
        return []
    if len(raw) > MAX_FILTERS_CHARS:
        raise ApiError(
            400, t("terminal.filters_too_long", lang, length=len(raw), limit=MAX_FILTERS_CHARS)
        )
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, f"invalid filters: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid filters: a JSON object is expected")
    found: list[Filter] = []
    for key, given in data.items():
        values = [k for k, on in given.items() if on] if isinstance(given, dict) else given
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ApiError(400, f"invalid filters: {key!r} takes a list of strings")
        if not values:
            continue
        if key in kind.engine:
            raise ApiError(400, t("terminal.filter_unserved", lang, key=key[:40]))
        if key not in kind.served:
            raise ApiError(400, f"Invalid filter '{key[:40]}'")
        for value in values:
            if len(value) > MAX_FILTER_PATTERN:
                raise ApiError(
                    400,
                    t(
                        "sandbox.filter.pattern_too_long",
                        lang,
                        key=key,
                        length=len(value),
                        limit=MAX_FILTER_PATTERN,
                    ),
                )
            found.append(Filter(key=key, value=value))
        if len(found) > MAX_FILTER_VALUES:
            raise ApiError(400, t("terminal.filters_too_many", lang, limit=MAX_FILTER_VALUES))
    return found


def truthy(values: list[str]) -> bool | None:
    """A ``dangling=`` filter's wish (None: not asked)."""
    if not values:
        return None
    return values[0].lower() in ("1", "true")


def containers(ctx: Context, filters: list[Filter]) -> Callable[[dict[str, Any]], bool]:
    """``network=`` and ``volume=`` on top of the chat's ``docker ps --filter`` keys; the
    container is the engine's summary, matched by the student's names."""
    request = ContainerLsRequest(filters=filters)
    named = name_matcher(filters)
    networks = filter_values(filters, "network")
    volumes = filter_values(filters, "volume")

    def match(c: dict[str, Any]) -> bool:
        if not _matches(ctx, c, request, named):
            return False
        if networks:
            on = (c.get("NetworkSettings") or {}).get("Networks") or {}
            known = {hide_internal(ctx, n) for n in on} | {
                str(e.get("NetworkID", "")) for e in on.values() if isinstance(e, dict)
            }
            if not any(w in known or _id_prefix(w, known) for w in networks):
                return False
        if volumes:
            mounts = c.get("Mounts") or []
            known = {hide_internal(ctx, str(m.get("Name", ""))) for m in mounts}
            known |= {str(m.get("Destination", "")) for m in mounts}
            if not any(w in known for w in volumes):
                return False
        return True

    return match


def _id_prefix(wanted: str, known: set[str]) -> bool:
    return len(wanted) >= 12 and any(k.startswith(wanted) for k in known if len(k) == 64)


def networks(filters: list[Filter]) -> Callable[[dict[str, Any]], bool]:
    """Over networks as the student sees them (names unprefixed, labels visible only)."""
    named = name_matcher(filters)
    ids = name_matcher(filters, "id")
    drivers = filter_values(filters, "driver")
    wanted_labels = filter_values(filters, "label")
    scopes = filter_values(filters, "scope")
    types = filter_values(filters, "type")
    dangling = truthy(filter_values(filters, "dangling"))
    for kind in types:
        if kind not in ("custom", "builtin"):
            raise ApiError(400, f"invalid filter: 'type'='{kind[:40]}'")

    def match(net: dict[str, Any]) -> bool:
        builtin = net.get("Name") in ("bridge", "host", "none")
        return (
            named(str(net.get("Name", "")))
            and ids(str(net.get("Id", "")))
            and (not drivers or net.get("Driver") in drivers)
            and (not wanted_labels or match_labels(wanted_labels, visible_labels(net["Labels"])))
            and (not scopes or net.get("Scope") in scopes)
            and (not types or ("builtin" if builtin else "custom") in types)
            and (dangling is None or (not builtin and not net.get("Containers")) == dangling)
        )

    return match


def volumes(filters: list[Filter], used: set[str]) -> Callable[[dict[str, Any]], bool]:
    """Over volumes as the student sees them; ``used`` holds the names a container mounts."""
    named = name_matcher(filters)
    drivers = filter_values(filters, "driver")
    wanted_labels = filter_values(filters, "label")
    dangling = truthy(filter_values(filters, "dangling"))

    def match(volume: dict[str, Any]) -> bool:
        name = str(volume.get("Name", ""))
        return (
            named(name)
            and (not drivers or volume.get("Driver") in drivers)
            and (
                not wanted_labels
                or match_labels(wanted_labels, visible_labels(volume.get("Labels")))
            )
            and (dangling is None or (name not in used) == dangling)
        )

    return match


def images(filters: list[Filter]) -> Callable[[dict[str, Any]], bool]:
    """Over the image rows the student is shown; ``reference`` is docker's glob on
    ``repo`` or ``repo:tag``, and every shown image has a tag, so none dangles."""
    references = filter_values(filters, "reference")
    wanted_labels = filter_values(filters, "label")
    dangling = truthy(filter_values(filters, "dangling"))

    def referenced(tags: list[str]) -> bool:
        for tag in tags:
            repo = tag.rsplit(":", 1)[0]
            if any(fnmatch.fnmatchcase(tag, r) or fnmatch.fnmatchcase(repo, r) for r in references):
                return True
        return False

    def match(image: dict[str, Any]) -> bool:
        return (
            (not references or referenced(list(image.get("RepoTags") or [])))
            and (not wanted_labels or match_labels(wanted_labels, image.get("Labels")))
            and not dangling
        )

    return match
