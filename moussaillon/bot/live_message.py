"""One Telegram message that shows a command's output as it comes, like a terminal would.

A build prints for tens of seconds; sending a message per line would flood the chat and hit
Telegram's limits (about one message or edit per second in a chat, 20 a minute in a group).
``LiveMessage`` answers the student's message once, then edits that one message with the
growing tail of the output, at most once per interval, never with an unchanged text, waiting
out a 429's ``retry_after``; its last edit is the result, and a long log follows as a file.

Feeding never waits on Telegram: chunks go into a buffer and a worker task edits from it, so a
slow or throttled chat never slows the command that produces the output.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import time
from datetime import timedelta
from html import escape
from types import TracebackType
from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError

log = logging.getLogger(__name__)

PRIVATE_INTERVAL_S = 1.5  # between two edits of the message in a private chat
GROUP_INTERVAL_S = 3.0  # a group allows 20 messages or edits a minute, all bots' senders shared
FLOOR_S = 1.0  # Telegram's one call per second in a chat: also before the final edit and file
FINAL_ATTEMPTS = 4  # the result must arrive: it waits out this many 429s
MAX_WAIT_S = 60.0  # a longer retry_after than this is not waited for
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted in UTF-16 units of the visible text


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def tail_within(text: str, budget: int) -> str:
    """The end of ``text`` in at most ``budget`` UTF-16 units, cut at a line start when one is
    near, with an ellipsis saying the beginning is gone."""
    if utf16_len(text) <= budget:
        return text
    tail = text[-(budget - 2) :]
    while tail and utf16_len(tail) > budget - 2:
        tail = tail[1:]
    newline = tail.find("\n")
    if 0 <= newline < len(tail) // 4:
        return "…\n" + tail[newline + 1 :]
    return "…" + tail


def _seconds(exc: RetryAfter) -> float:
    wait: Any = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _not_modified(exc: BadRequest) -> bool:
    return "not modified" in exc.message.lower()


class LiveMessage:
    """The answer to ``answering`` (the student's message), live while a command runs.

    Use as ``async with LiveMessage(message, status_html=…) as live:``, hand ``live.feed`` to
    the command as its output callback, then ``await live.finish(result_html, …)``. Without
    any output, ``finish`` simply answers with the result, so one code path serves commands
    that stream and those that do not.
    """

    def __init__(
        self,
        answering: Message,
        *,
        status_html: str = "",
        interval: float | None = None,
    ) -> None:
        """``status_html`` stands under the output while it runs (``⏳ …``); ``interval``
        defaults to what the chat's kind allows."""
        self._answering = answering
        self._bot = answering.get_bot()
        self._chat_id = answering.chat_id
        self._status = status_html
        if interval is None:
            private = answering.chat.type == ChatType.PRIVATE
            interval = PRIVATE_INTERVAL_S if private else GROUP_INTERVAL_S
        self.interval = interval
        self._tail = ""
        self.received = 0  # characters fed
        self.edits = 0  # edits Telegram accepted, the final one included
        self.throttled = 0  # 429s met
        self._posted: Message | None = None
        self._shown: str | None = None
        self._last_call = float("-inf")
        self._not_before = float("-inf")
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._worker: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def message(self) -> Message | None:
        """The live message, once the first output was shown."""
        return self._posted

    async def __aenter__(self) -> LiveMessage:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stop()

    # -- while the command runs ---------------------------------------------------------------

    async def feed(self, chunk: str) -> None:
        """Take a chunk of output; returns at once (the worker edits when the chat allows)."""
        if self._closed or not chunk:
            return
        self.received += len(chunk)
        self._tail = (self._tail + chunk)[-TEXT_LIMIT:]
        self._wake.set()
        if self._worker is None:
            self._worker = asyncio.create_task(self._run(), name="live-message")

    def live_text(self) -> str | None:
        """The HTML the message shows now: the output's tail in a code block, then the status;
        None while nothing visible came."""
        if not self._tail.strip():
            return None
        status = f"\n{self._status}" if self._status else ""
        budget = TEXT_LIMIT - utf16_len(status) - 1
        shown = tail_within(self._tail, budget).rstrip("\n")
        return f"<pre>{escape(shown, quote=False)}</pre>{status}"

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._pause(self.interval)
            text = self.live_text()
            if text is None:
                continue
            async with self._lock:
                try:
                    await self._show(text)
                except BadRequest as exc:  # this tail refused: the next one may pass
                    log.warning("live message: edit refused: %s", exc.message)

    async def _pause(self, gap: float) -> None:
        """Until ``gap`` after the last call and past any 429's ``retry_after``."""
        delay = max(self._last_call + gap, self._not_before) - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
        """One send or edit; True once Telegram holds ``text`` (or held it already)."""
        if text == self._shown and markup is None:
            return True
        try:
            if self._posted is None:
                self._posted = await self._answering.reply_html(text, reply_markup=markup)
            else:
                await self._bot.edit_message_text(
                    text,
                    chat_id=self._chat_id,
                    message_id=self._posted.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
                self.edits += 1
            self._shown = text
            return True
        except RetryAfter as exc:
            self.throttled += 1
            self._not_before = time.monotonic() + _seconds(exc)
            self._wake.set()  # show the newest tail once the wait is over
            return False
        except BadRequest as exc:
            if _not_modified(exc):
                self._shown = text
                return True
            raise
        except TelegramError as exc:  # a network hiccup: the next edit carries the newer tail
            log.warning("live message: %s", exc)
            self._wake.set()
            return False
        finally:
            self._last_call = time.monotonic()

    async def _stop(self) -> None:
        """Stop editing, never in the middle of a call (its message id would be lost)."""
        self._closed = True
        worker, self._worker = self._worker, None
        if worker is None:
            return
        async with self._lock:
            worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker  # the worker catches Telegram's answers itself

    # -- the result ---------------------------------------------------------------------------

    async def finish(
        self,
        text_html: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        document: bytes | None = None,
        filename: str = "output.txt",
    ) -> Message:
        """The result in place of the live output (or as the answer, if nothing streamed), then
        ``document`` as a file; the message holding the result."""
        await self._stop()
        try:
            shown = await self._final(text_html, reply_markup)
        except BadRequest as exc:  # the live message is gone (deleted by the student)
            log.warning("live message: final edit refused (%s); answering anew", exc.message)
            self._posted = None
            shown = await self._final(text_html, reply_markup)
        message = self._posted
        if not shown or message is None:
            raise RuntimeError("Telegram kept refusing the result of a command")
        if document is not None:
            await self._send_file(document, filename)
        return message

    async def _final(self, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        for _ in range(FINAL_ATTEMPTS):
            if self._not_before - time.monotonic() > MAX_WAIT_S:
                break
            await self._pause(FLOOR_S if self._posted is not None else 0.0)
            if await self._show(text, markup):
                return True
        return False

    async def _send_file(self, content: bytes, filename: str) -> None:
        for _ in range(FINAL_ATTEMPTS):
            if self._not_before - time.monotonic() > MAX_WAIT_S:
                break
            await self._pause(FLOOR_S)
            try:
                await self._answering.reply_document(io.BytesIO(content), filename=filename)
                return
            except RetryAfter as exc:
                self.throttled += 1
                self._not_before = time.monotonic() + _seconds(exc)
            finally:
                self._last_call = time.monotonic()
        log.warning("live message: the log file could not be sent (flood limits)")
