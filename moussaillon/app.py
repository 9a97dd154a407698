"""The app factory: services are built once here and handed to both transports.

``serve`` runs the Telegram bot (PTB's manual lifecycle, long polling) and the REST API
(uvicorn) in one event loop, and shuts both down cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Literal

import uvicorn
from starlette.types import ASGIApp

from moussaillon import areas
from moussaillon.classes.hub import ClassesHub
from moussaillon.config import Settings
from moussaillon.content.deck import load_course
from moussaillon.content.progress import ProgressService
from moussaillon.content.service import CourseService
from moussaillon.core.errors import CourseError
from moussaillon.core.store import Store
from moussaillon.core.tokens import TokenService
from moussaillon.core.users import UserService
from moussaillon.labs.loader import load_labs
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService
from moussaillon.ops.metrics import Metrics
from moussaillon.ops.sandbox import CommandMetrics, watch_sandbox
from moussaillon.quiz.service import build_quiz
from moussaillon.services import Services
from moussaillon.workspace import WorkspaceService

if TYPE_CHECKING:
    from moussaillon.sandbox.service import SandboxService
    from moussaillon.terminal.server import TerminalServer

log = logging.getLogger("moussaillon")


def load_course_or_fail(settings: Settings) -> CourseService:
    result = load_course(settings.course_path)
    errors = [p for p in result.problems if p.severity == "error"]
    for problem in errors:
        log.warning("course: %s:%s: %s", problem.source, problem.line, problem.message)
    if not result.course.chapters:
        raise CourseError("content.course_missing", path=str(settings.course_path))
    embeddings = None
    if settings.search_semantic:
        embeddings = settings.search_cache_path or settings.db_path
    return CourseService(result.course, embeddings=embeddings)


@contextlib.asynccontextmanager
async def build_services(settings: Settings, *, sandbox: bool = True) -> AsyncIterator[Services]:
    """Build every service once; close the DB and the Docker client on the way out."""
    areas.register_messages()
    course = load_course_or_fail(settings)
    lab_set = load_labs()
    async with contextlib.AsyncExitStack() as stack:
        store = Store(settings.db_path, areas.migrations())
        stack.callback(store.close)
        metrics = Metrics()
        workspace = WorkspaceService(settings, store)
        await workspace.start()  # the TTL purge, every hour
        stack.push_async_callback(workspace.close)
        engine: SandboxService | None = None
        if sandbox:
            from moussaillon.sandbox.engine import create_docker
            from moussaillon.sandbox.errors import IsolationUnavailable
            from moussaillon.sandbox.service import SandboxService

            docker = create_docker(settings)
            stack.push_async_callback(docker.close)
            candidate = SandboxService(
                settings, store, docker, observers=[CommandMetrics(metrics)], files=workspace
            )
            try:
                await candidate.start()
            except IsolationUnavailable as exc:
                log.error("%s", exc.message("en"))  # commands answer "no sandbox here"
            else:
                engine = candidate
                watch_sandbox(engine, metrics)
                stack.push_async_callback(engine.close)
        classes = ClassesHub(settings, store, course.course, lab_set)
        await classes.start()
        stack.push_async_callback(classes.close)
        # A lab's correction shows once an instructor released it to the student's class.
        labs = LabService(
            store,
            lab_set,
            corrections_always=settings.labs_corrections_always,
            released=classes.released,
            workspace=workspace,  # starter files and corrections land in the student's files
        )
        terminal = None
        if settings.terminal_port is not None:
            from moussaillon.terminal.ca import Authority
            from moussaillon.terminal.certs import TerminalCerts

            authority = await asyncio.to_thread(
                Authority, settings.terminal_dir, [settings.terminal_host, "127.0.0.1"]
            )
            terminal = TerminalCerts(
                store, authority, host=settings.terminal_host, port=settings.terminal_port
            )
        yield Services(
            settings=settings,
            store=store,
            course=course,
            users=UserService(store, default_language=settings.default_language),
            progress=ProgressService(store, course.course),
            tokens=TokenService(store, instructors=frozenset(settings.instructors)),
            classes=classes,
            labs=labs,
            practice=PracticeService(engine, labs, OutputJournal(store)),
            quiz=build_quiz(
                store,
                settings.quiz_path,
                streak_bonus=settings.quiz_streak_bonus,
                solo_seconds=settings.quiz_solo_seconds,
                live_seconds=settings.quiz_live_seconds,
                # A group linked to a class: its students play the first question.
                roster=classes.classes.group_roster,
            ),
            workspace=workspace,
            sandbox=engine,
            terminal=terminal,
            metrics=metrics,
        )


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ``serve`` owns the signals for both parts."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


# h11 answers 400 once it holds this much of a request line and headers still incomplete
# (its default, made explicit). Headers that arrive whole in one socket read (asyncio reads
# 256 KiB at most) pass even above it, so the real bound on headers is about 256 KiB.
MAX_HEADER_BYTES = 16 * 1024
KEEP_ALIVE_S = 5  # an idle keep-alive connection is closed after this
MAX_WS_FRAME_BYTES = 64 * 1024  # a shell's input line is 4 KiB at most; uvicorn's default is 16 MiB


def http_server(
    app: ASGIApp,
    settings: Settings,
    host: str,
    port: int,
    *,
    lifespan: Literal["auto", "on", "off"],
) -> uvicorn.Server:
    """One uvicorn listener with the limits that bound what a client can hold: header size,
    connections and requests at once (beyond, uvicorn answers 503 rather than running out of
    file descriptors and memory), idle keep-alive time. Bodies are capped by the app."""
    return _Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_config=None,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            limit_concurrency=settings.http_max_connections,
            timeout_keep_alive=KEEP_ALIVE_S,
            lifespan=lifespan,
            ws="websockets-sansio",  # the shells' WebSocket (``routes/shell.py``)
            ws_max_size=MAX_WS_FRAME_BYTES,
        )
    )


async def serve(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    from moussaillon.bot.application import create_telegram_app, polling
    from moussaillon.bot.lifecycle import BotRunner
    from moussaillon.handlers.rest.app import create_api
    from moussaillon.handlers.rest.routes.metrics import create_metrics_app

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    async with build_services(settings) as services:
        services.course.warm_up_in_background()
        servers = [
            http_server(
                create_api(services),
                settings,
                settings.http_host,
                settings.http_port,
                lifespan="on",
            )
        ]
        if settings.metrics_port is not None:
            servers.append(
                http_server(
                    create_metrics_app(services),
                    settings,
                    settings.metrics_host,
                    settings.metrics_port,
                    lifespan="off",
                )
            )
            log.info(
                "Prometheus metrics on http://%s:%s/metrics",
                settings.metrics_host,
                settings.metrics_port,
            )
        bot = BotRunner(create_telegram_app(services), polling) if settings.token else None
        if bot is None:
            log.warning(
                "No MOUSSAILLON_TELEGRAM_TOKEN: the Telegram bot is off, only the REST API runs."
            )
        web = [asyncio.create_task(s.serve(), name=f"uvicorn-{i}") for i, s in enumerate(servers)]
        endpoint = await _terminal(services)
        try:
            if bot is not None:
                bot.start()  # retried with back-off: an unreachable Telegram spares the REST API
            await _wait(stop, web, services)
        finally:
            if bot is not None:
                await bot.stop()
            if endpoint is not None:
                await endpoint.close()
            for server in servers:
                server.should_exit = True
            await asyncio.gather(*web, return_exceptions=True)
    log.info("Moussaillon stopped cleanly.")


async def _terminal(services: Services) -> TerminalServer | None:
    """The student's own terminal, when its port is set and a sandbox runs."""
    settings = services.settings
    if services.terminal is None or services.sandbox is None:
        if settings.terminal_port is not None:
            log.warning("MOUSSAILLON_TERMINAL_PORT is set but there is no sandbox: no terminal.")
        return None
    from moussaillon.terminal.metrics import TerminalMetrics
    from moussaillon.terminal.server import TerminalServer

    server = TerminalServer(
        services.sandbox.engine_api(),
        services.terminal,
        host=settings.terminal_bind,
        port=settings.terminal_port or 0,
        max_connections=settings.terminal_max_connections,
        remember=services.practice.remember,  # lab steps checked on what the CLI printed
        max_open=settings.terminal_max_open,
        metrics=TerminalMetrics(services.metrics.registry),
    )
    await server.start()
    return server


async def _wait(stop: asyncio.Event, web: list[asyncio.Task], services: Services) -> None:
    """Until a signal, or until a listener ends (a port taken, say): then stop everything."""
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({stopper, *web}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    for task in web:
        if task.done() and (error := task.exception()) is not None:
            raise error
    if services.sandbox is not None:
        # Before the transports stop, so students still queued get told, not dropped.
        from moussaillon.sandbox.service import DRAIN_TIMEOUT_S

        await services.sandbox.drain(DRAIN_TIMEOUT_S)
