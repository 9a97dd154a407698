"""What every executor family shares: the call context, the outcome, engine calls and formats."""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiodocker

from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.sandbox.engine import Engine, Method, unreachable
from moussaillon.sandbox.errors import EngineUnavailable
from moussaillon.sandbox.output import DaemonError, keep_tail, table
from moussaillon.sandbox.scope import Scope
from moussaillon.sandbox.scrub import blank_engine_fields, scrub_paths
from moussaillon.sandbox.subnets import SubnetAllocator

ENGINE_CALL_TIMEOUT = 30.0  # one management call (create, list, inspect …), not a student's run


@dataclass
class Context:
    engine: Engine
    settings: Settings
    scope: Scope
    lang: str = "fr"
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)  # shared by the service
    subnets: SubnetAllocator | None = None  # the service's; None: a fresh one per network

    def lock(self, *parts: str) -> asyncio.Lock:
        """Serialise get-or-create of one object (the engine's duplicate checks are not atomic)."""
        return self.locks.setdefault(":".join((self.scope.owner, *parts)), asyncio.Lock())

    def note(self, key: str, **params: object) -> str:
        return t(f"sandbox.engine.{key}", self.lang, **params)

    @property
    def output_limit(self) -> int:
        return self.settings.sandbox_output_kb * 1024


@dataclass
class Outcome:
    output: str = ""
    exit_code: int | None = 0
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    timed_out: bool = False


def hide_internal(ctx: Context, text: str) -> str:
    """Students never see internal names (``m-u42-web`` → ``web``, ``m-u42/app`` → ``app``) nor
    the engine's paths (``scrub.py``): every daemon error and inspect output passes here."""
    text = scrub_paths(text, ctx.scope.prefix)
    return text.replace(ctx.scope.prefix, "").replace(ctx.scope.image_repo, "")


def student_json(ctx: Context, data: Any) -> Any:
    """Engine JSON as a student may see it: path fields emptied, names and paths hidden."""
    return json.loads(hide_internal(ctx, json.dumps(blank_engine_fields(data))))


async def call(
    ctx: Context,
    path: str,
    method: Method = "GET",
    *,
    params: Mapping[str, Any] | None = None,
    data: Any = None,
    prefix: str = "Error response from daemon: ",
    exit_code: int = 1,
) -> Any:
    """One engine call; a daemon refusal becomes the text docker would print."""
    try:
        async with asyncio.timeout(ENGINE_CALL_TIMEOUT):
            return await ctx.engine.request(method, path, params=params, data=data)
    except aiodocker.DockerError as exc:
        if unreachable(exc):
            raise EngineUnavailable("sandbox.engine.unavailable") from exc
        raise DaemonError(prefix + hide_internal(ctx, str(exc.message)), exit_code) from None
    except TimeoutError:
        raise EngineUnavailable("sandbox.engine.unavailable") from None


async def read_logs(ctx: Context, container_id: str, **params: Any) -> tuple[bytes, bool]:
    """Both streams, interleaved as written, capped at the output limit (the tail is kept)."""
    query = {"stdout": "1", "stderr": "1", **params}
    async with (
        asyncio.timeout(ENGINE_CALL_TIMEOUT),
        ctx.engine.stream(f"containers/{container_id}/logs", params=query) as response,
    ):
        raw = await response.read()
    return keep_tail(demux(raw), ctx.output_limit)


def demux(raw: bytes) -> bytes:
    """Strip docker's 8-byte stream headers (non-TTY containers) and join the payloads."""
    out = bytearray()
    i = 0
    while i + 8 <= len(raw):
        kind, size = raw[i], struct.unpack(">I", raw[i + 4 : i + 8])[0]
        if kind not in (0, 1, 2) or raw[i + 1 : i + 4] != b"\0\0\0":
            return bytes(out) + raw[i:]
        out += raw[i + 8 : i + 8 + size]
        i += 8 + size
    return bytes(out + raw[i:])


def text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def lines(*rows: str) -> str:
    return "\n".join(rows)


def render_format(
    template: str,
    items: list[dict[str, Any]],
    headers: Mapping[str, str],
) -> str:
    """``--format``: a Go template per item; a ``table`` template gets docker's header row.

    The header row is the template rendered over the column titles, docker's own trick.
    """
    from moussaillon.sandbox import gotemplate

    if template.strip() in ("json", "{{json .}}"):
        return "\n".join(json.dumps(item, separators=(",", ":")) for item in items)
    tabular, body = gotemplate.is_table(template)
    body = body.replace("\\t", "\t").replace("\\n", "\n")
    if tabular:
        rendered = [gotemplate.render(body, dict(headers))]
        rendered += [gotemplate.render(body, item) for item in items]
        return table([], [line.split("\t") for line in rendered])
    return "\n".join(gotemplate.render(body, item) for item in items)


def filter_values(filters: list[Any], key: str) -> list[str]:
    return [f.value for f in filters if f.key == key]


def match_labels(wanted: list[str], found: Mapping[str, str] | None) -> bool:
    found = found or {}
    for item in wanted:
        key, eq, value = item.partition("=")
        if key not in found or (eq and found[key] != value):
            return False
    return True


def visible_labels(found: Mapping[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (found or {}).items() if not k.startswith("moussaillon.")}


async def each(
    refs: list[str], action: Callable[[str], Any], *, echo: bool = True, parallel: bool = False
) -> Outcome:
    """Apply ``action`` to every ref like docker does: print each success, collect failures.

    ``parallel`` runs them together (``stop``/``restart``, as the docker CLI does), so a
    command naming five containers waits one grace period, not five; output keeps their order.
    """

    async def one(ref: str) -> tuple[str | None, str | None]:
        try:
            result = await action(ref)
        except DaemonError as exc:
            return None, exc.text
        if result is not None:
            return str(result), None
        return (ref if echo else None), None

    if parallel:
        done = await asyncio.gather(*(one(ref) for ref in refs))
    else:
        done = [await one(ref) for ref in refs]
    out = [text for text, _ in done if text is not None]
    errors = [error for _, error in done if error is not None]
    return Outcome(output="\n".join(out + errors), exit_code=1 if errors else 0)
