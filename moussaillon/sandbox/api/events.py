"""``GET /events``: the engine's events of the student's own objects, named as the student names
them.

The engine's label filter cannot say "this student's" for every kind (a network or a volume
event carries no labels), so the engine's stream is read whole for the asked window and each
event kept only when it is the student's: a container (or image) event by the owner label
(the hidden volume keepers left out), a network or volume one by the student's prefix, an
image one by the student's repository too. What is kept is shown as the student's: prefixes
gone, the image as typed, the sandbox's labels hidden. The student's ``filters`` are matched
on that view (``container=web``, ``type=container``, ``event=start``, ``label=…``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiodocker
import aiohttp

from moussaillon.sandbox import labels
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.observe import Deadline, check_time, read_within
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor.common import Context, hide_internal, visible_labels
from moussaillon.sandbox.scope import IMAGE, KEEPER, KIND, Scope

FILTER_KEYS = frozenset({"type", "event", "container", "image", "network", "volume", "label"})
MAX_FILTER_VALUES = 32
MAX_LINE = 256 * 1024


def parse_filters(raw: str | None) -> dict[str, list[str]]:
    """The engine's ``filters`` JSON (``{"type":["container"]}`` or the older
    ``{"type":{"container":true}}``), bounded, with its wording for an unknown key."""
    if not raw:
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        raise ApiError(400, "invalid filter: the filters are not valid JSON") from None
    if not isinstance(found, dict):
        raise ApiError(400, "invalid filter: the filters are not a JSON object")
    out: dict[str, list[str]] = {}
    for key, values in found.items():
        if key not in FILTER_KEYS:
            raise ApiError(400, f"invalid filter '{str(key)[:40]}'")
        listed = list(values) if isinstance(values, dict | list) else [values]
        if len(listed) > MAX_FILTER_VALUES:
            raise ApiError(400, f"invalid filter '{key}': too many values")
        out[key] = [str(v)[:256] for v in listed]
    return out


def owned(event: dict[str, Any], scope: Scope) -> bool:
    actor = event.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    kind = event.get("Type")
    if kind == "container":
        return attributes.get(labels.OWNER) == scope.owner and attributes.get(KIND) != KEEPER
    if kind == "network":
        return str(attributes.get("name", "")).startswith(scope.prefix)
    if kind == "volume":
        return str(actor.get("ID", "")).startswith(scope.prefix)
    if kind == "image":
        name = str(attributes.get("name", ""))
        return name.startswith(scope.image_repo) or attributes.get(labels.OWNER) == scope.owner
    return False


def as_students(ctx: Context, event: dict[str, Any]) -> dict[str, Any]:
    actor = dict(event.get("Actor") or {})
    attributes = dict(actor.get("Attributes") or {})
    shown = dict(event)
    if event.get("Type") == "container" and attributes.get(IMAGE):
        attributes["image"] = attributes[IMAGE]
        if "from" in shown:
            shown["from"] = attributes[IMAGE]
    actor["Attributes"] = visible_labels(attributes)
    shown["Actor"] = actor
    found: dict[str, Any] = json.loads(hide_internal(ctx, json.dumps(shown)))
    return found


def has_label(attributes: dict[str, Any], wanted: str) -> bool:
    key, eq, value = wanted.partition("=")
    return key in attributes and (not eq or attributes[key] == value)


def matches(event: dict[str, Any], wanted: dict[str, list[str]]) -> bool:
    """Docker's rule: every key must match, any of its values will do."""
    actor = event.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    kind = event.get("Type", "")
    ident = str(actor.get("ID", ""))
    name = str(attributes.get("name", ""))
    for key, values in wanted.items():
        if key == "type":
            ok = kind in values
        elif key == "event":
            ok = str(event.get("Action", "")).split(":")[0] in values
        elif key == "label":
            ok = any(has_label(attributes, value) for value in values)
        elif key == "image":
            ok = any(v in (attributes.get("image"), name, ident) for v in values)
        else:  # container, network, volume: by name or id (a prefix of it)
            ok = kind == key and any(v == name or (v and ident.startswith(v)) for v in values)
        if not ok:
            return False
    return True


class EventsApi(ApiBase):
    async def events(self, user_id: int, params: dict[str, str]) -> AsyncIterator[bytes]:
        """The stream ends at ``until`` (the engine's end of the window) or after the
        terminal's stream life; each event one JSON line, as the engine sends them."""
        since, until = params.get("since"), params.get("until")
        check_time("since", since)
        check_time("until", until)
        wanted = parse_filters(params.get("filters"))

        async def work(ctx: Context) -> None:
            return None

        await self._pipeline(user_id, "events", work)
        query = {k: v for k, v in (("since", since), ("until", until)) if v}
        return self._events(user_id, query, wanted)

    async def _events(
        self, user_id: int, query: dict[str, str], wanted: dict[str, list[str]]
    ) -> AsyncIterator[bytes]:
        ctx = self.service.context(user_id)
        deadline = Deadline(self.service.settings.terminal_stream_max_s)
        try:
            async with self.service.engine.stream("events", params=query) as response:
                while True:
                    line = await read_within(deadline, response.content.readline())
                    if not line:
                        return
                    if len(line) > MAX_LINE:
                        continue
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if not isinstance(event, dict) or not owned(event, ctx.scope):
                        continue
                    shown = as_students(ctx, event)
                    if matches(shown, wanted):
                        yield (json.dumps(shown, ensure_ascii=False) + "\n").encode()
        except (aiodocker.DockerError, aiohttp.ClientError, ValueError):
            return
