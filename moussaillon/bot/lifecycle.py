"""Keeps the bot trying to reach Telegram without betting the whole process on it.

A token with no route to Telegram (offline laptop, school proxy, Telegram down) must not take the
REST API down: the bot's start is retried with back-off in a task of its own, each failure is one
log line, and stopping cancels a start still under way (a stopped bot waits for nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application

log = logging.getLogger("moussaillon.telegram")

Starter = Callable[[Application], AbstractAsyncContextManager[Application]]


@dataclass(frozen=True)
class Backoff:
    """Waits between tries: ``first_s``, doubling, never above ``max_s``."""

    first_s: float = 5.0
    max_s: float = 300.0

    def delays(self) -> Iterator[float]:
        delay = self.first_s
        while True:
            yield delay
            delay = min(delay * 2, self.max_s)


class BotRunner:
    """Runs ``start(application)`` (the polling lifecycle) until ``stop``; retries its start."""

    def __init__(
        self, application: Application, start: Starter, *, backoff: Backoff | None = None
    ) -> None:
        self.application = application
        self._start = start
        self._backoff = backoff or Backoff()
        self._stop = asyncio.Event()
        self._polling = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="telegram")

    async def stop(self) -> None:
        """Polling stops in order (handlers finish); a start still trying is cancelled."""
        self._stop.set()
        if self._task is None:
            return
        if not self._polling:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        delays = self._backoff.delays()
        while not self._stop.is_set():
            try:
                async with self._polled():
                    await self._stop.wait()
                return
            except asyncio.CancelledError:
                await self._reset()
                raise
            except (InvalidToken, Forbidden):
                log.error(
                    "Telegram refused MOUSSAILLON_TELEGRAM_TOKEN: the bot is off, the REST API "
                    "keeps running (check the token with @BotFather, then restart)."
                )
                await self._reset()
                return
            except Exception as exc:
                if self._stop.is_set():  # a failure while stopping: nothing left to retry
                    log.warning("Telegram bot stopped with an error: %s", self._safe(exc))
                    await self._reset()
                    return
                delay = self._next_delay(exc, delays)
            await self._reset()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stop.wait()

    @contextlib.asynccontextmanager
    async def _polled(self) -> AsyncIterator[None]:
        async with self._start(self.application):
            self._polling = True
            log.info("Telegram bot polling as @%s", self.application.bot.username)
            try:
                yield
            finally:
                self._polling = False

    def _next_delay(self, exc: Exception, delays: Iterator[float]) -> float:
        """One line per failed try (no traceback for the network's failures) and the wait."""
        delay = next(delays)
        if isinstance(exc, RetryAfter):
            wait = exc.retry_after
            delay = max(delay, wait.total_seconds() if hasattr(wait, "total_seconds") else wait)
            log.warning("Telegram asks to wait: the bot starts in %.0f s.", delay)
        elif isinstance(exc, Conflict):
            log.warning(
                "Another process polls Telegram with this token (%s): next try in %.0f s.",
                self._safe(exc),
                delay,
            )
        elif isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            log.warning(
                "Telegram unreachable (%s): the bot is off for now, the REST API keeps "
                "running; next try in %.0f s.",
                self._safe(exc),
                delay,
            )
        else:  # not the network: a bug, worth its traceback
            log.exception("Telegram bot failed to start; next try in %.0f s.", delay)
        return delay

    def _safe(self, exc: BaseException) -> str:
        """The error's text without the token (some messages quote the URL)."""
        return str(exc).replace(self.application.bot.token, "<token>") or type(exc).__name__

    async def _reset(self) -> None:
        """Leave the application as new, so the next try starts it from scratch.

        PTB's own clean-up skips a bot whose start failed half-way and leaves its HTTP
        sessions open; each step here is idempotent."""
        app = self.application
        steps = []
        if app.updater is not None and app.updater.running:
            steps.append(app.updater.stop)
        if app.running:
            steps.append(app.stop)
        steps += [app.shutdown, app.bot.shutdown]
        for step in steps:
            try:
                await step()
            except Exception as exc:  # clean-up must not stop the retries
                log.debug("telegram clean-up step %s failed: %s", step, self._safe(exc))
