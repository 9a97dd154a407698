"""The app factory: services are built once here and handed to both transports.

``serve`` runs the Telegram bot (PTB's manual lifecycle, long polling) and the REST API
(uvicorn) in one event loop, and shuts both down cleanly on SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn

from moussaillon.bot.course import CourseService
from moussaillon.bot.progress import ProgressService
from moussaillon.bot.store import Store
from moussaillon.bot.tokens import TokenService
from moussaillon.bot.users import UserService
from moussaillon.classes.hub import ClassesHub
from moussaillon.config import Settings
from moussaillon.content.deck import load_course
from moussaillon.errors import CourseError
from moussaillon.labs.loader import load_labs
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService, Released, never_released
from moussaillon.ops.metrics import Metrics
from moussaillon.quiz.service import QuizService, build_quiz

log = logging.getLogger("moussaillon")


@dataclass
class Services:
    settings: Settings
    store: Store
    course: CourseService
    users: UserService
    progress: ProgressService
    tokens: TokenService
    sandbox: object | None = None  # SandboxService, when a Docker engine is configured
    labs: LabService | None = None  # built by build_services
    practice: PracticeService | None = None  # students' commands and lab checks on the sandbox
    quiz: QuizService | None = None  # solo and live quizzes, built by build_services
    metrics: Metrics = field(default_factory=Metrics)  # what /metrics shows
    classes: ClassesHub | None = None  # roles, classes, broadcasts, releases, class progress
    extras: dict[str, object] = field(default_factory=dict)

    def is_instructor(self, user_id: int) -> bool:
        if self.classes is not None:  # the role service: configured plus promoted instructors
            return self.classes.roles.is_instructor(user_id)
        return user_id in self.settings.instructors


def lab_release(services: Services) -> Released:
    """Whether an instructor released a lab's correction to this student (their class)."""
    return services.classes.released if services.classes is not None else never_released


def load_course_or_fail(settings: Settings) -> CourseService:
    result = load_course(settings.course_path)
    errors = [p for p in result.problems if p.severity == "error"]
    for problem in errors:
        log.warning("course: %s:%s: %s", problem.source, problem.line, problem.message)
    if not result.course.chapters:
        raise CourseError("content.course_missing", path=str(settings.course_path))
    return CourseService(result.course)


@contextlib.asynccontextmanager
async def build_services(settings: Settings, *, sandbox: bool = True) -> AsyncIterator[Services]:
    """Build every service once; close the DB and the Docker client on the way out."""
    course = load_course_or_fail(settings)
    lab_set = load_labs()
    async with contextlib.AsyncExitStack() as stack:
        store = Store(settings.db_path)
        stack.callback(store.close)
        services = Services(
            settings=settings,
            store=store,
            course=course,
            users=UserService(store, default_language=settings.default_language),
            progress=ProgressService(store, course.course),
            tokens=TokenService(store, instructors=frozenset(settings.instructors)),
        )
        if sandbox:
            from moussaillon.sandbox.engine import create_docker
            from moussaillon.sandbox.service import SandboxService

            docker = create_docker(settings)
            stack.push_async_callback(docker.close)
            services.sandbox = SandboxService(settings, store, docker)
            from moussaillon.ops.sandbox import instrument_sandbox

            instrument_sandbox(services.sandbox, services.metrics)
            await services.sandbox.start()
            stack.push_async_callback(services.sandbox.close)
        services.classes = ClassesHub(settings, store, course.course, lab_set)
        await services.classes.start()
        stack.push_async_callback(services.classes.close)
        services.labs = LabService(
            store,
            lab_set,
            corrections_always=settings.labs_corrections_always,
            released=lab_release(services),
        )
        services.practice = PracticeService(
            services.sandbox,  # type: ignore[arg-type]
            services.labs,
            OutputJournal(store),
            images=settings.sandbox_images,
        )
        services.quiz = build_quiz(
            store,
            settings.quiz_path,
            streak_bonus=settings.quiz_streak_bonus,
            solo_seconds=settings.quiz_solo_seconds,
            live_seconds=settings.quiz_live_seconds,
        )
        yield services


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ``serve`` owns the signals for both parts."""

    def capture_signals(self):  # type: ignore[override]
        return contextlib.nullcontext()


async def serve(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    from moussaillon.handlers.rest.app import create_api
    from moussaillon.handlers.telegram.app import create_telegram_app, polling
    from moussaillon.handlers.telegram.lifecycle import BotRunner

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    async with build_services(settings) as services:
        api = create_api(services)
        server = _Server(
            uvicorn.Config(
                api,
                host=settings.http_host,
                port=settings.http_port,
                log_config=None,
                lifespan="on",
            )
        )
        bot = BotRunner(create_telegram_app(services), polling) if settings.token else None
        if bot is None:
            log.warning(
                "No MOUSSAILLON_TELEGRAM_TOKEN: the Telegram bot is off, only the REST API runs."
            )
        web = asyncio.create_task(server.serve(), name="uvicorn")
        try:
            if bot is not None:
                bot.start()  # retried with back-off: an unreachable Telegram spares the REST API
            await _wait(stop, web, services)
        finally:
            if bot is not None:
                await bot.stop()
            server.should_exit = True
            await web
    log.info("Moussaillon stopped cleanly.")


async def _wait(stop: asyncio.Event, web: asyncio.Task, services: Services) -> None:
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({stopper, web}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if web.done() and web.exception():
        raise web.exception()  # type: ignore[misc]
    if services.sandbox is not None:
        # Before the transports stop, so students still queued get told, not dropped.
        from moussaillon.sandbox.service import DRAIN_TIMEOUT_S

        await services.sandbox.drain(DRAIN_TIMEOUT_S)  # type: ignore[attr-defined]
