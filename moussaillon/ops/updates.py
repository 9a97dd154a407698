"""One log line and two metrics per Telegram update, from outside the handlers.

PTB runs handler groups in order for each update: ``begin`` sits in the first group, ``end`` in
the last, and an extra error handler marks the update failed in between. Keyed by update id
because PTB builds a fresh context for its error handlers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from telegram import Update
from telegram.ext import Application, CallbackContext, TypeHandler

from moussaillon.ops.logging import event
from moussaillon.ops.metrics import Metrics

log = logging.getLogger("moussaillon.updates")

FIRST_GROUP = -100
LAST_GROUP = 1000
FORGET_AFTER_S = 300.0  # an update whose end never ran (a handler stopped the chain)


def update_kind(update: Update, commands: frozenset[str]) -> str:
    """A small closed set of names: the known command, or the update's type; never user text."""
    message = update.effective_message
    if update.callback_query is not None:
        return "button"
    if update.poll_answer is not None:
        return "poll_answer"
    if message is not None and message.text and message.text.startswith("/"):
        name = (
            message.text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower()
            if len(message.text) > 1
            else ""
        )
        return f"/{name}" if name in commands else "/other"
    if message is not None and message.text:
        return "text"
    return "other"


class UpdateObserver:
    def __init__(self, metrics: Metrics, commands: Iterable[str]) -> None:
        self.metrics = metrics
        self.commands = frozenset(commands)
        self._started: dict[int, float] = {}
        self._failed: set[int] = set()

    def install(self, application: Application) -> None:
        application.add_handler(TypeHandler(Update, self.begin, block=True), group=FIRST_GROUP)
        application.add_handler(TypeHandler(Update, self.end, block=True), group=LAST_GROUP)
        application.add_error_handler(self.failed, block=True)

    async def begin(self, update: Update, context: CallbackContext) -> None:
        now = time.monotonic()
        stale = [uid for uid, at in self._started.items() if now - at > FORGET_AFTER_S]
        for uid in stale:
            self._started.pop(uid, None)
            self._failed.discard(uid)
        self._started[update.update_id] = now

    async def failed(self, update: object, context: CallbackContext) -> None:
        if isinstance(update, Update):
            self._failed.add(update.update_id)

    async def end(self, update: Update, context: CallbackContext) -> None:
        started = self._started.pop(update.update_id, None)
        if started is None:
            return
        seconds = time.monotonic() - started
        outcome = "error" if update.update_id in self._failed else "ok"
        self._failed.discard(update.update_id)
        kind = update_kind(update, self.commands)
        self.metrics.updates.labels(kind=kind, outcome=outcome).inc()
        self.metrics.update_seconds.observe(seconds)
        user = update.effective_user.id if update.effective_user else None
        event(
            log,
            "update handled",
            user=user,
            action=kind,
            duration_ms=round(seconds * 1000),
            outcome=outcome,
            update_id=update.update_id,
            level=logging.WARNING if outcome == "error" else logging.INFO,
        )
