"""The sandbox's one entry point for every transport (Telegram, REST, CLI) and every area.

``run_command`` is the whole pipeline: rate limit (per student, every line) → parse → policy →
fair queue slot (global concurrency) → execute in the student's scope (``executor/``, whose
every engine call goes through ``engine.Engine``) → journal in SQLite → the observers given at
construction (metrics, logs). It always returns a ``CommandResult``: a student's mistake is a
result to show, never an exception.

The rest of the app reads a student's sandbox only through ``inventory`` and ``read_file``
(plain models, the student's own names) and the operators' numbers through ``engine_counts``:
labels, scopes and engine calls stay in here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import aiodocker

from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import labels, netguard, sessions
from moussaillon.sandbox.api import EngineApi
from moussaillon.sandbox.build import records
from moussaillon.sandbox.build.slots import BuildSlots
from moussaillon.sandbox.build.source import FileSource
from moussaillon.sandbox.engine import Engine, unreachable
from moussaillon.sandbox.errors import (
    BuildUnavailable,
    CommandSyntaxError,
    EngineUnavailable,
    SandboxError,
    SandboxRefused,
)
from moussaillon.sandbox.executor import Context, Outcome, execute
from moussaillon.sandbox.executor.common import OnOutput, call, hide_internal
from moussaillon.sandbox.fairqueue import FairScheduler
from moussaillon.sandbox.inventory import Inventory, read_file, read_inventory
from moussaillon.sandbox.logwatch import LogWatch, stop_watch
from moussaillon.sandbox.observers import CommandObserver, command_action
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.parser.usage import docker_text, explanation
from moussaillon.sandbox.policy import Policy, normalize_image
from moussaillon.sandbox.ratelimit import RateLimiter
from moussaillon.sandbox.reaper import Reaper
from moussaillon.sandbox.requests import RunRequest, TagRequest
from moussaillon.sandbox.results import CommandResult, EngineCounts, SandboxStatus
from moussaillon.sandbox.rootfs import ROOT_VERBS, RootFs
from moussaillon.sandbox.scope import KEEPER, KIND, Scope
from moussaillon.sandbox.scrub import scrub_paths
from moussaillon.sandbox.shell.classify import opens_session
from moussaillon.sandbox.shell.opening import open_session
from moussaillon.sandbox.shell.registry import ShellRegistry
from moussaillon.sandbox.shell.session import ShellSession
from moussaillon.sandbox.subnets import SubnetAllocator

log = logging.getLogger(__name__)

REAP_INTERVAL_S = 60.0
DRAIN_TIMEOUT_S = 30.0
SCRUB_INLINE_CHARS = 8192
READ_TIMEOUT_S = 30.0  # reading a student's objects or one file for a lab check
READ_FILE_MAX = 1024 * 1024

OnWait = Callable[[int], Awaitable[None]]
T = TypeVar("T")


class SandboxService:
    """Built once by the app factory; ``await start()`` before use, ``await close()`` after."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        docker: aiodocker.Docker,
        *,
        observers: Iterable[CommandObserver] = (),
        files: FileSource | None = None,
    ) -> None:
        """``docker`` is the client the caller opened (``engine.create_docker``) and closes;
        every ``observer`` hears of every command (``observers.py``); ``files`` are the
        students' workspaces (a build's context; without it, builds are unavailable)."""
        self.settings = settings
        self.store = store
        self.engine = Engine(docker)
        self.observers = list(observers)
        self.files = files
        self.builds = BuildSlots(settings)
        self.policy = Policy.from_settings(settings)
        self.limiter = RateLimiter(settings.sandbox_commands_per_minute, settings.sandbox_burst)
        self.scheduler = FairScheduler(settings.sandbox_concurrency)
        self.reaper = Reaper(self.engine, store, idle_ttl_min=settings.sandbox_idle_ttl_min)
        self.logwatch = LogWatch(self.engine)
        self._reaper_task: asyncio.Task[None] | None = None
        self._logwatch_task: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self.subnets = SubnetAllocator.from_settings(settings)
        self.rootfs = RootFs(settings)
        self.shells = ShellRegistry(settings.sandbox_shells_per_user)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Check that students' networks cannot reach the host (``IsolationUnavailable`` when
        they can: the app then runs without a sandbox), set up the builds' pids cap (builds
        alone are refused without it), clear what a previous run left behind, then reap idle
        sandboxes in the background."""
        await netguard.guard(self.engine, self.settings, self.subnets)
        await self.rootfs.ensure(self.engine)  # writable roots where the engine bounds them
        if self.files is not None:  # the builds' pids cap, made (or found missing) now
            try:
                await self.builds.cgroups.ready(self.engine)
            except Exception:
                log.exception("sandbox: preparing the builds' cgroups failed")
        try:
            await self.reaper.reap_orphans()
        except Exception:
            log.exception("sandbox: reaping orphans at start-up failed")
        try:  # a shell's container left by a crash: nobody streams it any more
            owners = await sessions.live_owners(self.store, self.settings.sandbox_idle_ttl_min)
            await self.shells.reap(self.engine, owners)
        except Exception:
            log.exception("sandbox: ending the shells of a previous run failed")
        self._reaper_task = asyncio.create_task(
            self.reaper.run_forever(REAP_INTERVAL_S), name="sandbox-reaper"
        )
        self._logwatch_task = asyncio.create_task(
            self.logwatch.run_forever(), name="sandbox-logwatch"
        )

    async def close(self) -> None:
        await self.shells.close_all("shutdown")
        await stop_watch(self._logwatch_task)
        self._logwatch_task = None
        if self._reaper_task is not None:
            self._reaper_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper_task
            self._reaper_task = None
        await self.drain(DRAIN_TIMEOUT_S)

    async def drain(self, timeout: float) -> int:  # noqa: ASYNC109 (shutdown budget)
        """Refuse new commands, let queued and running ones finish for ``timeout`` seconds, then
        tell the students still queued that the sandbox is closing; how many were told.

        Called on shutdown before the transports stop, so their handlers can answer."""
        await self.shells.close_all("shutdown")  # students read why, while the bot still runs
        told = 0
        if not await self.scheduler.drain(timeout):
            told = self.scheduler.abandon()
            log.warning("sandbox: shutdown drain timed out; %d queued command(s) refused", told)
        pending = [task for task in self._inflight if not task.done()]
        if pending:  # finishing their journal line after leaving the queue
            await asyncio.wait(pending, timeout=5)
        return told

    # -- commands -----------------------------------------------------------------------------

    def context(self, user_id: int, lang: str = "fr", on_output: OnOutput | None = None) -> Context:
        scope = Scope.for_user(user_id)
        ctx = Context(
            self.engine,
            self.settings,
            scope,
            lang,
            self._locks,
            self.subnets,
            user_id=user_id,
            store=self.store,
            files=self.files,
            on_output=on_output,
        )
        ctx.checker = lambda request: self._check(ctx, request)
        ctx.build_slot = lambda: self.builds.hold(self.engine, scope.owner)
        return ctx

    async def run_command(
        self,
        user_id: int,
        line: str,
        lang: str = "fr",
        on_wait: OnWait | None = None,
        on_output: OnOutput | None = None,
    ) -> CommandResult:
        """The pipeline; ``on_wait`` hears the student's place while they wait in the queue,
        ``on_output`` each new chunk of output as it comes (builds stream; other commands
        answer at once and may never call it)."""
        started = time.monotonic()
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        verb: str | None = None
        try:
            result, verb = await self._run(user_id, line, lang, on_wait, on_output)
        finally:
            if task is not None:
                self._inflight.discard(task)
        result.duration_ms = int((time.monotonic() - started) * 1000)
        await self._journal(user_id, line, verb, result)
        self._tell(user_id, line, result)
        return result

    async def _journal(
        self, user_id: int, line: str, verb: str | None, result: CommandResult
    ) -> None:
        try:
            await sessions.record_command(
                self.store,
                user_id=user_id,
                command=line,
                verb=verb,
                verdict=result.verdict,  # type: ignore[arg-type]  # a str here; checked there
                exit_code=result.exit_code,
                duration_ms=result.duration_ms,
                output_bytes=len(result.output.encode()),
            )
        except Exception:
            log.exception("sandbox: journaling a command failed")

    def _tell(self, user_id: int, line: str, result: CommandResult) -> None:
        action = command_action(line)
        for observer in self.observers:
            try:
                observer.on_command(user_id, action, result)
            except Exception:
                log.exception("sandbox: a command observer failed")

    async def _run(
        self,
        user_id: int,
        line: str,
        lang: str,
        on_wait: OnWait | None,
        on_output: OnOutput | None,
    ) -> tuple[CommandResult, str | None]:
        """Every line spends a token first (help, typos and refusals too: each is parsed,
        journaled and answered), then the pure checks, and only then the engine."""
        ctx = self.context(user_id, lang, on_output)
        verb: str | None = None
        try:
            self.limiter.check(ctx.scope.owner)
            request = parse(line)
            verb = request.verb
            request = await self._check(ctx, request)
            if opens_session(request):  # a transport with no terminal (REST run, the CLI)
                raise SandboxRefused("sandbox.shell.needs_terminal")
            if verb != "help":
                await sessions.touch(self.store, user_id)
            if verb.startswith(ROOT_VERBS):
                await self.rootfs.ensure(self.engine)
            ctx.root_mb = self.rootfs.root_mb
            async with self._slots(ctx, verb, on_wait):
                outcome = await execute(ctx, request)
            outcome.output = await _scrubbed(outcome.output, ctx.scope.prefix)
            outcome.notes += self.logwatch.notes_for(ctx.scope.owner, request, lang)
            outcome.notes += await self.rootfs.notes_for(
                self.engine, ctx.scope, request, outcome.output, lang
            )
            return _result(outcome), verb
        except CommandSyntaxError as exc:
            return _usage_error(exc, lang), verb
        except SandboxError as exc:
            return _refusal(exc, lang), verb
        except DaemonError as exc:
            return _result(Outcome(output=exc.text, exit_code=exc.exit_code)), verb
        except aiodocker.DockerError as exc:
            if unreachable(exc):
                return _refusal(EngineUnavailable("sandbox.engine.unavailable"), lang), verb
            text = "Error response from daemon: " + hide_internal(ctx, str(exc.message))
            return _result(Outcome(output=text, exit_code=1)), verb
        except Exception:
            log.exception("sandbox: command failed: %s", verb)
            return _refusal(SandboxError("sandbox.engine.internal_error"), lang), verb

    # -- interactive shells -------------------------------------------------------------------

    def wants_shell(self, line: str) -> bool:
        """The line opens a session (``run -it IMAGE sh``, ``exec -it NAME bash``, ``attach``)
        rather than running once; a line that does not parse does not (``run_command`` says
        what is wrong with it)."""
        try:
            return opens_session(parse(line))
        except SandboxError:
            return False

    def shell_of(self, user_id: int, origin: str = "telegram") -> ShellSession | None:
        """The student's open shell their next message from ``origin`` goes to (a shell opened
        over a WebSocket never takes the chat's messages)."""
        return self.shells.current(user_id, origin)

    async def close_shells(self) -> None:
        """End every open shell, as a shutdown does (the students are told why)."""
        await self.shells.close_all("shutdown")

    def shell_ended_by_restart(self, user_id: int) -> bool:
        """Once per student: a restart ended their shell (worth saying on their next message)."""
        return self.shells.ended_by_restart(user_id)

    async def open_shell(
        self, user_id: int, line: str, lang: str = "fr", *, origin: str = "telegram"
    ) -> ShellSession | CommandResult:
        """Open the session the line asks for, through the same rate limit, policy, quotas
        and forced limits as ``run_command``; what could not open comes back as the result
        ``run_command`` would give (a refusal, docker's error), journaled and observed.
        ``origin`` names the transport (``shell_of`` finds the session by it); the limit
        counts the student's shells from every transport."""
        started = time.monotonic()
        ctx = self.context(user_id, lang)
        verb: str | None = None
        outcome: ShellSession | CommandResult
        try:
            self.limiter.check(ctx.scope.owner)
            request = parse(line)
            verb = request.verb
            if not opens_session(request):
                raise SandboxRefused("sandbox.shell.not_a_shell")
            request = await self._check(ctx, request)
            await sessions.touch(self.store, user_id)
            self.shells.reserve(user_id)
            try:
                async with (
                    self.scheduler.slot(ctx.scope.owner),
                    asyncio.timeout(self.settings.sandbox_timeout_s),
                ):
                    session = await open_session(ctx, request)
            finally:
                self.shells.release(user_id)
            session.origin = origin
            self.shells.add(session)
            outcome = session
            result = _result(Outcome())
        except SandboxError as exc:
            result = outcome = _refusal(exc, lang)
        except DaemonError as exc:
            result = outcome = _result(Outcome(output=exc.text, exit_code=exc.exit_code))
        except TimeoutError:
            result = outcome = _refusal(EngineUnavailable("sandbox.engine.unavailable"), lang)
        except aiodocker.DockerError as exc:
            if unreachable(exc):
                result = outcome = _refusal(EngineUnavailable("sandbox.engine.unavailable"), lang)
            else:
                text = "Error response from daemon: " + hide_internal(ctx, str(exc.message))
                result = outcome = _result(Outcome(output=text, exit_code=1))
        except Exception:
            log.exception("sandbox: opening a shell failed: %s", verb)
            result = outcome = _refusal(SandboxError("sandbox.engine.internal_error"), lang)
        result.duration_ms = int((time.monotonic() - started) * 1000)
        await self._journal(user_id, line, verb, result)
        self._tell(user_id, line, result)
        return outcome

    @contextlib.asynccontextmanager
    async def _slots(self, ctx: Context, verb: str, on_wait: OnWait | None) -> AsyncIterator[None]:
        """A slot of the fair queue; a build takes its build slot first (``build/slots.py``),
        so builds waiting their turn never hold the slots other commands need."""
        if verb != "image.build":
            async with self.scheduler.slot(ctx.scope.owner, on_wait=on_wait):
                yield
            return
        if self.files is None:  # refused before any engine work
            raise BuildUnavailable("sandbox.build.unavailable.files")
        async with self.builds.hold(self.engine, ctx.scope.owner, on_wait) as parent:
            ctx.cgroup_parent = parent
            async with self.scheduler.slot(ctx.scope.owner, on_wait=on_wait):
                yield

    async def _check(self, ctx: Context, request: Any) -> Any:
        """The policy; the engine is asked whether an image off the allowlist is the student's
        own tag (``myapp:v1`` → ``m-u42/myapp:v1``) only once every other check passed."""
        field = "image" if isinstance(request, RunRequest) else None
        field = "source" if isinstance(request, TagRequest) else field
        if field is None:
            return self.policy.check(request)
        image = getattr(request, field)
        key = normalize_image(image)
        if key is None or key in self.policy.images:
            return self.policy.check(request)
        stand_in = next(iter(self.settings.sandbox_images), "alpine")
        checked = self.policy.check(request.model_copy(update={field: stand_in}))
        own = await self._own_tag(ctx, key)
        if own is None:
            return self.policy.check(request)  # raises: the image is not on the allowlist
        ref_field = "image_ref" if field == "image" else "source_ref"
        return checked.model_copy(update={field: image, ref_field: own})

    async def _own_tag(self, ctx: Context, key: tuple[str, str]) -> str | None:
        ref = f"{ctx.scope.image_repo}{key[0]}:{key[1]}"
        try:
            await call(ctx, f"images/{ref}/json")
        except DaemonError:
            return None
        return ref

    def engine_api(self) -> EngineApi:
        """The Engine-API entry points of the student's own terminal, on this pipeline."""
        return EngineApi(self)

    # -- student-level operations ------------------------------------------------------------

    async def reset(self, user_id: int) -> int:
        """Remove everything the student has on the engine (their session stays); the count."""
        scope = Scope.for_user(user_id)
        report = await self.reaper.reset(scope.owner)
        return report.removed + await records.purge_images(self.engine, self.store, scope.owner)

    async def status(self, user_id: int, lang: str = "fr") -> SandboxStatus:
        scope = Scope.for_user(user_id)
        containers = await scope.containers(self.engine)
        volumes = await scope.volumes(self.engine)
        networks = [
            n for n in await scope.networks(self.engine) if n["Name"] != scope.internal("bridge")
        ]
        last_used = await self.store.read(
            lambda db: next(
                db.query("SELECT last_used FROM sandbox_sessions WHERE user_id = ?", [user_id]),
                None,
            )
        )
        expires = None
        if last_used:
            stamp = datetime.fromisoformat(last_used["last_used"].replace("Z", "+00:00"))
            expires = stamp + timedelta(minutes=self.settings.sandbox_idle_ttl_min)
        remaining = getattr(self.limiter, "remaining", None)
        left = int(remaining(scope.owner)) if callable(remaining) else None
        return SandboxStatus(
            containers=len(containers),
            max_containers=self.settings.sandbox_max_containers,
            running=sum(1 for c in containers if c.get("State") == "running"),
            volumes=len(volumes),
            max_volumes=self.settings.sandbox_max_volumes,
            networks=len(networks),
            max_networks=self.settings.sandbox_max_networks,
            names=sorted(
                (c.get("Names") or ["/"])[0].lstrip("/").removeprefix(scope.prefix)
                for c in containers
            ),
            commands_left=left,
            expires_at=expires,
        )

    async def inventory(self, user_id: int, *, removed_since: datetime | None = None) -> Inventory:
        """The student's containers, volumes, networks and images, in their own names, and the
        containers they removed since ``removed_since`` (none read without it); nobody else's.

        Raises ``EngineUnavailable`` when the engine cannot answer."""
        scope = Scope.for_user(user_id)
        images = self.settings.sandbox_images
        return await self._read(
            user_id,
            read_inventory(self.engine, scope, images=images, removed_since=removed_since),
        )

    async def read_file(self, user_id: int, container: str, path: str, limit: int) -> str | None:
        """The first ``limit`` bytes (at most ``READ_FILE_MAX``) of one regular file of the
        student's container named ``container``; None when there is no such container or file.

        Nothing is written on the host. Raises ``EngineUnavailable`` as ``inventory`` does."""
        if not 0 < limit <= READ_FILE_MAX:
            raise ValueError(f"limit must be within 1..{READ_FILE_MAX} bytes, not {limit}")
        scope = Scope.for_user(user_id)
        return await self._read(user_id, read_file(self.engine, scope, container, path, limit))

    async def _read(self, user_id: int, reading: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(READ_TIMEOUT_S):
                return await reading
        except (aiodocker.DockerError, OSError, TimeoutError) as exc:
            log.warning("sandbox: reading the sandbox of %s failed: %s", user_id, exc)
            raise EngineUnavailable("sandbox.engine.unavailable") from exc

    # -- operators ---------------------------------------------------------------------------

    @property
    def queue_length(self) -> int:
        """Students' commands waiting for a slot in the fair queue."""
        return self.scheduler.queue_length

    @property
    def active_operations(self) -> int:
        return self.scheduler.active

    async def engine_counts(self) -> EngineCounts:
        """Every student's containers by state; the caller bounds the time (a scrape's)."""
        params = {"all": "1", "filters": json.dumps({"label": [f"{labels.SANDBOX}=1"]})}
        found = await self.engine.get("containers/json", params=params)
        states = Counter(
            c.get("State", "unknown") for c in found if (c.get("Labels") or {}).get(KIND) != KEEPER
        )
        return EngineCounts(containers=dict(states))


async def _scrubbed(output: str, prefix: str) -> str:
    """What the containers printed, without engine paths (``/proc/self/mountinfo`` names the
    host's layer directories); a long output is scrubbed off the event loop."""
    if len(output) < SCRUB_INLINE_CHARS:
        return scrub_paths(output, prefix)
    return await asyncio.to_thread(scrub_paths, output, prefix)


def _result(outcome: Outcome) -> CommandResult:
    return CommandResult(
        exit_code=outcome.exit_code,
        output=outcome.output,
        refused=False,
        reason=None,
        duration_ms=0,
        verdict="timed_out" if outcome.timed_out else "ran",
        truncated=outcome.truncated,
        notes=list(outcome.notes),
    )


def _usage_error(exc: CommandSyntaxError, lang: str) -> CommandResult:
    """A line docker's own parser rejects answers as docker does (its text, its exit code), the
    sandbox's explanation as a note; a line no shell would pass to docker stays a refusal."""
    shown = docker_text(exc)
    if shown is None:
        return _refusal(exc, lang)
    text, code = shown
    note = explanation(exc, lang)
    return CommandResult(
        exit_code=code,
        output=text,
        refused=False,
        reason=None,
        duration_ms=0,
        verdict=exc.verdict,
        notes=[note] if note else [],
        error_type=type(exc).__name__,
    )


def _refusal(exc: SandboxError, lang: str) -> CommandResult:
    return CommandResult(
        exit_code=None,
        output="",
        refused=True,
        reason=exc.message(lang),
        duration_ms=0,
        verdict=exc.verdict,
        retry_after=getattr(exc, "retry_after", None),
        error_type=type(exc).__name__,
    )


__all__ = [
    "CommandResult",
    "EngineCounts",
    "OnOutput",
    "OnWait",
    "SandboxService",
    "SandboxStatus",
    "ShellSession",
]
