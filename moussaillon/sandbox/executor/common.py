"""What every executor family shares: the call context, the outcome, engine calls and formats."""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiodocker
import re2

from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.core.store import Store
from moussaillon.sandbox import gotemplate
from moussaillon.sandbox.build.source import FileSource
from moussaillon.sandbox.engine import Engine, Method, unreachable
from moussaillon.sandbox.errors import CommandSyntaxError, EngineUnavailable
from moussaillon.sandbox.output import DaemonError, keep_tail, table
from moussaillon.sandbox.scope import Scope
from moussaillon.sandbox.scrub import blank_engine_fields, scrub_paths
from moussaillon.sandbox.subnets import SubnetAllocator

_T = TypeVar("_T")

ENGINE_CALL_TIMEOUT = 30.0  # one management call (create, list, inspect …), not a student's run

OnOutput = Callable[[str], Awaitable[None]]
Checker = Callable[[Any], Awaitable[Any]]  # the service's policy check of one typed request
BuildSlot = Callable[[], AbstractAsyncContextManager[str]]  # a build slot: its cgroup parent


@dataclass
class Context:
    engine: Engine
    settings: Settings
    scope: Scope
    lang: str = "fr"
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)  # shared by the service
    subnets: SubnetAllocator | None = None  # the service's; None: a fresh one per network
    user_id: int | None = None
    store: Store | None = None  # the service's (builds record the images they make)
    files: FileSource | None = None  # the student's files (a build's context)
    on_output: OnOutput | None = None  # hears output as it comes (builds stream)
    cgroup_parent: str | None = None  # a build's slot cgroup, set once the slot is held
    root_mb: int | None = None  # a writable root of this size (rootfs.py); None: read-only
    checker: Checker | None = None  # compose: each object's request through the policy
    build_slot: BuildSlot | None = None  # compose: a build slot for a ``build:`` service
    on_error: OnOutput | None = None  # a build's error apart from its output (the Engine API)

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


_RENDER_LOCK = "\0gotemplate"  # one render at a time per service (see ``_off_loop``)


async def _off_loop(ctx: Context, work: Callable[[gotemplate.Budget], _T]) -> _T:
    """Run a render in a worker thread, within one budget, one render at a time.

    The event loop only waits: other students, ``/api/v1/health`` and SIGTERM keep going. The
    budget bounds the thread (steps, wall time), so it always ends; one at a time because a
    CPU-bound thread competes with the loop for the GIL and several would starve it (renders
    gain nothing from running together anyway). A cancelled command stops its render early.
    """
    budget = gotemplate.Budget(max_output=ctx.output_limit)
    async with ctx.locks.setdefault(_RENDER_LOCK, asyncio.Lock()):
        try:
            return await asyncio.to_thread(work, budget)
        except asyncio.CancelledError:
            budget.cancel()
            raise


def _format_rows(
    template: str,
    items: list[dict[str, Any]],
    headers: Mapping[str, str],
    budget: gotemplate.Budget,
) -> str:
    if template.strip() in ("json", "{{json .}}"):
        return "\n".join(json.dumps(item, separators=(",", ":")) for item in items)
    tabular, body = gotemplate.is_table(template)
    blocks = gotemplate.parse(body.replace("\\t", "\t").replace("\\n", "\n"))
    rendered = [gotemplate.execute(blocks, item, budget) for item in items]
    if tabular:
        rendered.insert(0, gotemplate.execute(blocks, dict(headers), budget))
        return table([], [line.split("\t") for line in rendered])
    return "\n".join(rendered)


async def render_format(
    ctx: Context,
    template: str,
    items: list[dict[str, Any]],
    headers: Mapping[str, str],
) -> str:
    """``--format``: a Go template per item; a ``table`` template gets docker's header row.

    The header row is the template rendered over the column titles, docker's own trick. The
    template is parsed once and every row shares one budget: a command costs what it costs,
    however many rows it lists.
    """
    return await _off_loop(ctx, lambda budget: _format_rows(template, items, headers, budget))


async def render_each(ctx: Context, template: str, items: list[Any]) -> list[str]:
    """``inspect -f`` / ``version --format``: the template once per object, one shared budget."""

    if not items:
        return []

    def work(budget: gotemplate.Budget) -> list[str]:
        blocks = gotemplate.parse(template)
        return [gotemplate.execute(blocks, item, budget) for item in items]

    return await _off_loop(ctx, work)


def filter_values(filters: list[Any], key: str) -> list[str]:
    return [f.value for f in filters if f.key == key]


MAX_FILTER_PATTERN = 256
"""Docker's ``name=`` filters are Go regexps; real ones are a name or ``^web``. RE2 runs in
linear time whatever the pattern, and 256 characters keep its compiled program (and the cost
of compiling one per command) small."""

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # an invalid pattern is the student's error, not a log line
_RE2_OPTIONS.max_mem = 1 << 20  # bytes for RE2's compiled program and DFA cache


def name_matcher(filters: list[Any], key: str = "name") -> Callable[[str], bool]:
    """Docker's ``filters.Match``: a value matches when it equals a pattern or a pattern's Go
    regexp finds it. RE2 (Go's syntax, linear time) replaces Python's ``re``, whose
    backtracking lets ``(a+)+$`` freeze the service; every pattern is bounded and compiled
    before anything is matched, and an invalid one is the student's error (docker ignores it
    silently, which only hides the mistake). No pattern at all matches everything."""
    patterns = filter_values(filters, key)
    compiled = []
    for pattern in patterns:
        if len(pattern) > MAX_FILTER_PATTERN:
            raise CommandSyntaxError(
                "sandbox.filter.pattern_too_long",
                key=key,
                length=len(pattern),
                limit=MAX_FILTER_PATTERN,
            )
        try:
            compiled.append(re2.compile(pattern, _RE2_OPTIONS))
        except re2.error as exc:
            raise CommandSyntaxError(
                "sandbox.filter.bad_pattern", key=key, pattern=pattern, reason=_re2_reason(exc)
            ) from None
    if not patterns:
        return lambda _value: True
    exact = set(patterns)
    return lambda value: value in exact or any(p.search(value) for p in compiled)


def _re2_reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


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
