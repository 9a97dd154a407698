"""Telegram's flood limits, kept on our side so a broadcast rarely sees a 429.

Telegram counts what it *receives*; we count what we *start*. Requests do not all take the same
time on the wire, so every window is stretched by a small ``margin``: two bursts that start one
stretched window apart cannot land inside one real window.
"""

from __future__ import annotations

import time
from collections import deque

from pydantic import BaseModel, Field


class BroadcastLimits(BaseModel):
    per_second: float = Field(default=30, gt=0)
    per_chat_per_second: float = Field(default=1, gt=0)
    group_per_minute: float = Field(default=20, gt=0)
    max_attempts: int = Field(default=4, ge=1)
    backoff_s: float = Field(default=1.0, ge=0)
    margin: float = Field(default=0.05, ge=0)


class Window:
    """At most ``limit`` events in any ``seconds``-long sliding window."""

    def __init__(self, limit: float, seconds: float) -> None:
        self.limit = max(1, int(limit))
        self.seconds = seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.seconds - now

    def add(self, now: float) -> None:
        self.times.append(now)


class Pacer:
    """One global window, one per chat, one per group; plus pauses Telegram asked for."""

    def __init__(self, limits: BroadcastLimits) -> None:
        stretch = 1 + limits.margin
        self._limits = limits
        self._stretch = stretch
        self.global_window = Window(limits.per_second, stretch)
        self._chats: dict[int, Window] = {}
        self._groups: dict[int, Window] = {}
        self._paused_until = 0.0
        self._chat_paused: dict[int, float] = {}

    def _windows(self, chat_id: int) -> list[Window]:
        chat = self._chats.setdefault(
            chat_id, Window(1, self._stretch / self._limits.per_chat_per_second)
        )
        if chat_id >= 0:
            return [chat]
        group = self._groups.setdefault(
            chat_id, Window(self._limits.group_per_minute, 60 * self._stretch)
        )
        return [chat, group]

    def chat_wait(self, chat_id: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        paused = self._chat_paused.get(chat_id, 0.0) - now
        return max([paused, 0.0, *(w.wait(now) for w in self._windows(chat_id))])

    def global_wait(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        return max(self._paused_until - now, self.global_window.wait(now), 0.0)

    def record(self, chat_id: int, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.global_window.add(now)
        for window in self._windows(chat_id):
            window.add(now)

    def pause(self, chat_id: int, seconds: float) -> None:
        """A 429: a group's own limit pauses that group; anything else pauses every send."""
        until = time.monotonic() + seconds
        if chat_id < 0:
            self._chat_paused[chat_id] = max(self._chat_paused.get(chat_id, 0.0), until)
        else:
            self._paused_until = max(self._paused_until, until)
