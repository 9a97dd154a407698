"""One open shell: the engine stream of a container or exec, written to line by line and read
in bursts.

A person reads a chat message, not a byte stream, so output is gathered until the program has
been quiet for a moment (``QUIET_S``) or the burst is old enough (``hold``), and sent as one
burst. A program that prints without end must not flood the chat nor the bot's memory: a burst
keeps at most ``sandbox_shell_burst_kb`` (the rest is counted as dropped, and reading slows
down while it drops, so the container waits on its own output), and while the bursts stay full
each one waits twice as long as the one before (up to ``FLOOD_HOLD_S``).

The session ends once, for one reason: the program exited (``exit`` in a shell), the student
left (``/quitter_shell``), nobody typed for ``sandbox_shell_idle_s``, the app shut down, or the
stream broke. ``cleanup`` (given by ``opening``) then does what the kind of session needs: a
``run -it`` container is stopped (and removed with ``--rm``), an attach leaves the container
running, as detaching does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from moussaillon.core.i18n import t
from moussaillon.sandbox.errors import SandboxRefused

log = logging.getLogger(__name__)

QUIET_S = 0.1  # a prompt follows its output within microseconds; a person waits ≥ 100 ms
HOLD_S = 1.0
FLOOD_HOLD_S = 16.0
DROP_PAUSE_S = 0.05
MAX_INPUT_BYTES = 4096
QUEUE_BURSTS = 4
FAREWELL_GAP_S = 0.1

EndReason = Literal["exited", "quit", "idle", "shutdown", "lost"]
Kind = Literal["run", "exec", "attach"]

# CSI (colours, cursor moves, bracketed paste), OSC (window titles) and lone two-byte escapes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    """What a chat can show: no escapes, no carriage returns a terminal would draw over."""
    return _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "")


class Message(Protocol):
    @property
    def data(self) -> bytes: ...


class Stream(Protocol):
    """What ``engine.Engine.exec_stream``/``attach_stream`` return (aiodocker's ``Stream``)."""

    async def read_out(self) -> Message | None: ...
    async def write_in(self, data: bytes) -> None: ...
    async def close(self) -> None: ...


@dataclass(frozen=True)
class Burst:
    raw: str  # as the program printed it, escapes kept (a terminal over the WebSocket)
    text: str  # escapes removed (the chat)
    dropped: int = 0  # bytes of this burst past the bound, not shown


@dataclass(frozen=True)
class ShellEnd:
    reason: EndReason
    exit_code: int | None
    message: str  # for the student, in their language


_END = object()


class ShellSession:
    """Built by ``opening.open_session``; read ``bursts()``, write ``send``, end with ``close``."""

    def __init__(
        self,
        stream: Stream,
        *,
        user_id: int,
        kind: Kind,
        target: str,
        lang: str,
        burst_bytes: int,
        idle_s: float,
        cleanup: Callable[[EndReason], Awaitable[None]],
        exit_code: Callable[[], Awaitable[int | None]],
        stdin: bool = True,
        farewell: tuple[bytes, ...] = (),
    ) -> None:
        self.user_id = user_id
        self.kind = kind
        self.target = target  # the container's name, as the student knows it
        self.origin = "telegram"  # the transport it was opened from (``open_shell``)
        self.lang = lang
        self.stdin = stdin
        self._farewell = farewell  # typed before leaving (an exec's shell outlives its stream)
        self._stream = stream
        self._burst_bytes = burst_bytes
        self._idle_s = idle_s
        self._cleanup = cleanup
        self._exit_code = exit_code
        self.on_closed: Callable[[ShellSession], None] = lambda session: None  # the registry's
        self._pending = bytearray()
        self._dropped = 0
        self._loop = asyncio.get_running_loop()
        self._last_data = 0.0
        self._last_input = self._loop.time()
        self._has_data = asyncio.Event()
        self._eof = asyncio.Event()
        self._queue: asyncio.Queue[Burst | object] = asyncio.Queue(QUEUE_BURSTS)
        self._hold = HOLD_S
        self.ended: ShellEnd | None = None
        self._closing = asyncio.Lock()
        self.closed = asyncio.Event()
        self._pump_task = asyncio.create_task(self._pump(), name=f"shell-pump-{user_id}")
        self._flush_task = asyncio.create_task(self._flush(), name=f"shell-flush-{user_id}")
        self._idle_task = asyncio.create_task(self._watch_idle(), name=f"shell-idle-{user_id}")
        self._closers: set[asyncio.Task[ShellEnd]] = set()

    # -- the student's side -----------------------------------------------------------------

    async def send(self, text: str) -> None:
        """One message to the program's stdin, as a typed line (a newline is added)."""
        if self.ended is not None:
            raise SandboxRefused("sandbox.shell.closed")
        if not self.stdin:
            raise SandboxRefused("sandbox.shell.no_stdin")
        data = text.replace("\r\n", "\n").encode()
        if not data.endswith(b"\n"):
            data += b"\n"
        if len(data) > MAX_INPUT_BYTES:
            raise SandboxRefused("sandbox.shell.input_too_long", limit=MAX_INPUT_BYTES)
        self._last_input = self._loop.time()
        try:
            await self._stream.write_in(data)
        except (OSError, RuntimeError) as exc:
            log.info("shell: writing to %s failed: %s", self.target, exc)
            raise SandboxRefused("sandbox.shell.closed") from exc

    async def bursts(self) -> AsyncIterator[Burst]:
        """The output, burst by burst, until the session ends (then ``ended`` says why)."""
        while True:
            item = await self._queue.get()
            if item is _END:
                await self.closed.wait()
                return
            assert isinstance(item, Burst)
            yield item

    async def close(self, reason: EndReason = "quit") -> ShellEnd:
        """End the session (idempotent: the first reason stays)."""
        async with self._closing:
            if self.ended is not None:
                return self.ended
            code: int | None = None
            for task in (self._pump_task, self._idle_task):
                if task is not asyncio.current_task():
                    task.cancel()
            if self._farewell and reason != "exited":
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1):
                        for chunk in self._farewell:  # apart: Ctrl-C flushes typed-ahead input
                            await self._stream.write_in(chunk)
                            await asyncio.sleep(FAREWELL_GAP_S)
            with contextlib.suppress(Exception):
                await self._stream.close()
            if reason == "exited":  # read before the cleanup may remove the container
                with contextlib.suppress(Exception):
                    code = await self._exit_code()
            try:
                await self._cleanup(reason)
            except Exception:
                log.exception("shell: cleaning up %s failed", self.target)
            self.ended = ShellEnd(reason, code, self._end_message(reason, code))
            self._eof.set()
            self._has_data.set()
            self.on_closed(self)
        self.closed.set()
        return self.ended

    def abandon(self) -> None:
        """Stop the output side even if nobody reads it (after ``close``, at shutdown): what was
        not read is dropped and a reader still there sees the end."""
        self._flush_task.cancel()
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_END)

    def _close_later(self, reason: EndReason) -> None:
        task = asyncio.create_task(self.close(reason), name=f"shell-close-{self.user_id}")
        self._closers.add(task)
        task.add_done_callback(self._closers.discard)

    def _end_message(self, reason: EndReason, code: int | None) -> str:
        key = f"sandbox.shell.end.{reason}"
        if reason == "exited" and code is not None:
            key += "_code"
        minutes = max(1, round(self._idle_s / 60))
        return t(key, self.lang, name=self.target, code=code, minutes=minutes)

    # -- the program's side -----------------------------------------------------------------

    async def _pump(self) -> None:
        reason: EndReason = "exited"
        try:
            while (message := await self._stream.read_out()) is not None:
                data = message.data
                room = self._burst_bytes - len(self._pending)
                if room > 0:
                    self._pending += data[:room]
                if len(data) > room:
                    self._dropped += len(data) - max(room, 0)
                    await asyncio.sleep(DROP_PAUSE_S)
                self._last_data = self._loop.time()
                self._has_data.set()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("shell: the stream of %s broke: %s", self.target, exc)
            reason = "lost"
        self._eof.set()
        self._has_data.set()
        self._close_later(reason)

    async def _flush(self) -> None:
        while True:
            await self._has_data.wait()
            started = self._loop.time()
            while not self._eof.is_set():
                now = self._loop.time()
                wait = min(self._last_data + QUIET_S - now, started + self._hold - now)
                if wait <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._eof.wait(), wait)
            self._has_data.clear()
            if self._pending or self._dropped:
                full = len(self._pending) >= self._burst_bytes
                self._hold = min(self._hold * 2, FLOOD_HOLD_S) if full else HOLD_S
                raw = self._pending.decode("utf-8", errors="replace")
                burst = Burst(raw=raw, text=strip_ansi(raw), dropped=self._dropped)
                self._pending = bytearray()
                self._dropped = 0
                await self._queue.put(burst)
            if self._eof.is_set() and not self._pending:
                await self._queue.put(_END)
                return

    async def _watch_idle(self) -> None:
        while True:
            left = self._last_input + self._idle_s - self._loop.time()
            if left <= 0:
                self._close_later("idle")
                return
            await asyncio.sleep(left)
