"""Answers in the order of the messages: one person's messages in one chat are handled one after
the other, while different people (and every button press, every poll answer) still run side
by side.

PTB with concurrent updates starts every update at once, so ten commands typed quickly were
answered in whatever order they finished: an instant refusal overtook the container started
before it. PTB starts update tasks in the order it fetched the updates, and each task reaches
``do_process_update`` without yielding (the semaphore is free), so chaining there follows the
order Telegram gave.

A waiting update holds one of PTB's concurrency slots: a person may have at most
``MAX_PENDING`` messages waiting; beyond, their newest messages are dropped (logged) so that one
flood cannot take every slot from the others.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger("moussaillon.telegram.ordering")

MAX_PENDING = 16

Key = tuple[int, int]


def order_key(update: object) -> Key | None:
    """(chat, sender) of a new message; None for what needs no order (buttons, polls …)."""
    if not isinstance(update, Update) or update.message is None:
        return None
    sender = update.message.from_user
    return (update.message.chat_id, sender.id if sender else 0)


class PerSenderOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._tails: dict[Key, asyncio.Future[None]] = {}
        self._pending: dict[Key, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        if key is None:
            await coroutine
            return
        if self._pending.get(key, 0) >= MAX_PENDING:
            log.info("chat %s: sender %s has %d messages waiting; one dropped", *key, MAX_PENDING)
            if inspect.iscoroutine(coroutine):
                coroutine.close()
            return
        previous = self._tails.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = mine
        self._pending[key] = self._pending.get(key, 0) + 1
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)
            started = True
            await coroutine
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting its turn
            mine.set_result(None)
            self._pending[key] -= 1
            if not self._pending[key]:
                del self._pending[key]
            if self._tails.get(key) is mine:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up: the chains live only while their updates run."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for running updates before shutting processors down."""
