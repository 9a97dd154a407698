"""Both ways of one hijacked stream, between the student's CLI and the engine, with its bounds.

The relay adds no semantics of its own: the client's bytes go to the engine's stdin, the
client's half-close becomes the engine's (the engine then closes the process's stdin, or ends
a TTY's attach, as it does for its own clients, and so the CLI's client-side detach keys work),
and the stream ends when the engine's output ends. What it adds are bounds: stdin at most
``terminal_stdin_kb_s`` (a token bucket of one second's worth; a faster client is read more
slowly, not cut), output at most ``terminal_stream_output_mb``, an idle time-out when nothing
passed either way, a maximum life, and the endpoint's shutdown. A stream it ends gets one
line saying why, raw for a TTY, a stderr frame otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Literal

import aiohttp

from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.sandbox.api.bodies import STREAM_FRAME
from moussaillon.sandbox.api.hijack import Hijack
from moussaillon.terminal.connection import ClientGone, Connection

log = logging.getLogger(__name__)
EndReason = Literal["exited", "client", "idle", "max_life", "output", "shutdown"]
STDERR = 2


@dataclass(frozen=True)
class Bounds:
    idle_s: float
    max_s: float
    output_bytes: int
    stdin_bytes_s: int

    @classmethod
    def of(cls, settings: Settings) -> Bounds:
        return cls(
            idle_s=settings.terminal_stream_idle_s,
            max_s=settings.terminal_stream_max_s,
            output_bytes=settings.terminal_stream_output_mb * 1024 * 1024,
            stdin_bytes_s=settings.terminal_stdin_kb_s * 1024,
        )


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


class Relay:
    def __init__(self, conn: Connection, hijack: Hijack, bounds: Bounds) -> None:
        self.conn = conn
        self.hijack = hijack
        self.bounds = bounds
        self.reason: EndReason | None = None
        self._loop = asyncio.get_running_loop()
        self._started = self._last = self._loop.time()
        self._ending = asyncio.Event()
        self.done = asyncio.Event()

    def stop(self, reason: EndReason) -> None:
        if self.reason is None:
            self.reason = reason
        self._ending.set()

    async def run(self) -> EndReason:
        tasks = [
            asyncio.create_task(self._output()),
            asyncio.create_task(self._input()),
            asyncio.create_task(self._watch()),
        ]
        try:
            await self._ending.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            note = self._note()
            if note:
                with contextlib.suppress(ClientGone, ConnectionError, OSError):
                    await self.conn.write_raw(note)
            with contextlib.suppress(Exception):
                await self.hijack.close()
            if self.reason in ("idle", "max_life", "shutdown", "output") and self.hijack.abandon:
                with contextlib.suppress(Exception):
                    await self.hijack.abandon()
            self.done.set()
        return self.reason or "exited"

    def _note(self) -> bytes:
        reason, b = self.reason, self.bounds
        if reason == "idle":
            text = t("terminal.stream.idle", minutes=_minutes(b.idle_s))
        elif reason == "max_life":
            text = t("terminal.stream.max_life", minutes=_minutes(b.max_s))
        elif reason == "output":
            text = t("terminal.stream.output", mb=b.output_bytes // (1024 * 1024))
        elif reason == "shutdown":
            text = t("terminal.stream.shutdown")
        else:
            return b""
        if self.hijack.tty:
            return f"\r\n{text}\r\n".encode()
        data = f"\n{text}\n".encode()
        return STREAM_FRAME.pack(STDERR, len(data)) + data

    async def _output(self) -> None:
        sent = 0
        try:
            while True:
                data = await self.hijack.read()
                if data is None:
                    self.stop("exited")
                    return
                self._last = self._loop.time()
                sent += len(data)
                if sent > self.bounds.output_bytes:
                    self.stop("output")
                    return
                await self.conn.write_raw(data)
        except ClientGone:
            self.stop("client")
        except (ConnectionError, OSError, RuntimeError, aiohttp.ClientError):
            self.stop("exited")
        except Exception:
            log.exception("terminal: a stream failed")
            self.stop("exited")

    async def _input(self) -> None:
        rate = self.bounds.stdin_bytes_s
        credit = float(rate)
        refilled = self._loop.time()
        data = self.conn.leftover()
        try:
            while True:
                if not data:
                    data = await self.conn.read_raw()
                if not data:  # the client's half-close
                    if self.hijack.stdin:
                        self.hijack.close_stdin()
                    return
                self._last = now = self._loop.time()
                credit = min(float(rate), credit + (now - refilled) * rate) - len(data)
                refilled = now
                if self.hijack.stdin:
                    await self.hijack.write(data)
                data = b""
                if credit < 0:
                    await asyncio.sleep(-credit / rate)
        except ClientGone:
            self.stop("client")
        except (ConnectionError, OSError, RuntimeError, aiohttp.ClientError):
            self.stop("exited")
        except Exception:
            log.exception("terminal: a stream failed")
            self.stop("exited")

    async def _watch(self) -> None:
        while True:
            now = self._loop.time()
            end_of_life = self._started + self.bounds.max_s
            idle_end = self._last + self.bounds.idle_s
            if now >= end_of_life:
                self.stop("max_life")
                return
            if now >= idle_end:
                self.stop("idle")
                return
            await asyncio.sleep(min(end_of_life, idle_end) - now)
