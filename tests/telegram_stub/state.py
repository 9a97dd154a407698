"""The stand-in's world: chats and their messages, pending updates, and the waits on them.

Everything is indexed by chat and ordered by ``seq`` (one counter for injected updates and
bot messages alike), so finding "the bot's messages in chat C after marker M" is a bisect,
not a scan, and waiters are woken per chat instead of all at once.
"""

# ruff: noqa: ASYNC109 - a timeout here is an answer (False), not an error
from __future__ import annotations

import asyncio
import bisect
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .models import ApiCall, StoredFile, StubMessage

DEFAULT_UPDATE_TYPES = frozenset({
    "message", "edited_message", "channel_post", "edited_channel_post", "inline_query",
    "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
    "poll", "poll_answer", "my_chat_member", "chat_join_request",
})


class Signal:
    """Wakes every waiter at the next change; waiting costs nothing while nothing happens."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float
    ) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


@dataclass
class ChatLog:
    chat: dict[str, Any]
    current: dict[int, StubMessage] = field(default_factory=dict)
    sent_seqs: list[int] = field(default_factory=list)
    sent: list[StubMessage] = field(default_factory=list)
    deleted: list[StubMessage] = field(default_factory=list)
    next_message_id: int = 1
    read_cursor: int = 0
    signal: Signal = field(default_factory=Signal)

    def sent_after(self, marker: int) -> list[StubMessage]:
        return self.sent[bisect.bisect_right(self.sent_seqs, marker):]


@dataclass
class PollState:
    chat_id: int
    message_id: int
    poll: dict[str, Any]


class World:
    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self.last_seq = 0
        self.chats: dict[int, ChatLog] = {}
        self.updates: deque[dict[str, Any]] = deque()
        self.next_update_id = 100_001
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self.updates_signal = Signal()
        self.poll_generation = 0
        self.closing = False
        self.all_sent_seqs: list[int] = []
        self.all_sent: list[StubMessage] = []
        self.sent_signal = Signal()
        self.files: dict[str, StoredFile] = {}
        self.polls: dict[str, PollState] = {}
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.answered_callbacks: list[dict[str, Any]] = []
        self.answer_signal = Signal()
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.chat_actions: list[dict[str, Any]] = []
        self.requests: list[ApiCall] = []

    def next_seq(self) -> int:
        self.last_seq = next(self._seq)
        return self.last_seq

    def add_chat(self, chat: dict[str, Any]) -> ChatLog:
        log = self.chats.get(chat["id"])
        if log is None:
            log = self.chats[chat["id"]] = ChatLog(chat=chat)
        return log

    def log(self, chat_id: int) -> ChatLog | None:
        return self.chats.get(chat_id)

    def new_message_id(self, chat_id: int) -> int:
        log = self.chats[chat_id]
        log.next_message_id += 1
        return log.next_message_id - 1

    def store(self, message: StubMessage) -> StubMessage:
        """Record a new message; a bot message also becomes visible to ``wait_for``."""
        log = self.chats[message.chat_id]
        log.current[message.message_id] = message
        if message.from_bot:
            log.sent_seqs.append(message.seq)
            log.sent.append(message)
            self.all_sent_seqs.append(message.seq)
            self.all_sent.append(message)
            log.signal.notify()
            self.sent_signal.notify()
        return message

    def find(self, chat_id: int, message_id: int) -> StubMessage | None:
        log = self.chats.get(chat_id)
        return log.current.get(message_id) if log else None

    def replace(self, old: StubMessage, **changes: Any) -> StubMessage:
        new = replace(old, version=old.version + 1, seq=self.next_seq(), **changes)
        log = self.chats[old.chat_id]
        log.current[old.message_id] = new
        log.signal.notify()
        return new

    def delete(self, message: StubMessage) -> None:
        log = self.chats[message.chat_id]
        del log.current[message.message_id]
        log.deleted.append(message)
        log.signal.notify()

    def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.next_update_id, **payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.next_seq()
        self.updates_signal.notify()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates below ``offset``; a negative offset keeps only the last ``-offset``."""
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def deliverable(self, limit: int) -> list[dict[str, Any]]:
        chosen = []
        for update in self.updates:
            if any(key in self.allowed_updates for key in update if key != "update_id"):
                chosen.append(update)
                if len(chosen) >= limit:
                    break
        return chosen
