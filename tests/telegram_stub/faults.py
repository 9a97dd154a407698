"""Failures Telegram inflicts on bots, on demand: injected errors, blocked users, flood limits."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus

from .models import ApiError

SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument", "sendpoll"})
# Telegram counts an edit against the chat's flood limits as it counts a message: a bot editing
# a message several times a second, or a group's messages more than 20 times a minute, gets 429s.
EDIT_METHODS = frozenset({"editmessagetext", "editmessagecaption", "editmessagereplymarkup"})
LIMITED_METHODS = SEND_METHODS | EDIT_METHODS
_DEFAULT_TEXT = {
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
}


@dataclass
class _Rule:
    method: str
    code: int
    retry_after: int | None
    chat_id: int | None
    remaining: int
    description: str | None

    def error(self) -> ApiError:
        template = self.description or _DEFAULT_TEXT.get(self.code)
        if template is None:
            template = HTTPStatus(self.code).phrase if self.code in HTTPStatus._value2member_map_ \
                else f"Error {self.code}"
        text = template.format(retry_after=self.retry_after)
        return ApiError(self.code, text, retry_after=self.retry_after if self.code == 429 else None)


class _Window:
    """Timestamps of accepted sends within a sliding window."""

    def __init__(self, limit: float, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return None
        return max(1, math.ceil(self.times[0] + self.seconds - now))


@dataclass(frozen=True)
class RateLimits:
    global_per_second: float = 30
    per_chat_per_second: float = 1
    group_per_minute: float = 20


class Faults:
    def __init__(self) -> None:
        self.rules: list[_Rule] = []
        self.blocked: set[int] = set()
        self.limits: RateLimits | None = None
        self._global = _Window(0, 1.0)
        self._chats: dict[int, _Window] = {}
        self._groups: dict[int, _Window] = {}

    def fail_next(
        self, method: str, *, code: int = 429, retry_after: int | None = 1,
        chat_id: int | None = None, count: int = 1, description: str | None = None,
    ) -> None:
        self.rules.append(_Rule(method.lower(), code, retry_after, chat_id, count, description))

    def enforce(self, limits: RateLimits | None) -> None:
        self.limits = limits
        if limits is not None:
            self._global = _Window(limits.global_per_second, 1.0)
            self._chats.clear()
            self._groups.clear()

    def check(self, method: str, chat_id: int | None) -> None:
        """Raise the failure this call deserves, if any, before the method runs."""
        for rule in self.rules:
            if rule.method == method and (rule.chat_id is None or rule.chat_id == chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.rules.remove(rule)
                raise rule.error()
        if chat_id is not None and chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.limits is not None and method in LIMITED_METHODS and chat_id is not None:
            now = time.monotonic()
            for window in self._windows(chat_id):
                wait = window.retry_after(now)
                if wait is not None:
                    raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def record_send(self, method: str, chat_id: int | None) -> None:
        if self.limits is None or method not in LIMITED_METHODS or chat_id is None:
            return
        now = time.monotonic()
        for window in self._windows(chat_id):
            window.times.append(now)

    def _windows(self, chat_id: int) -> list[_Window]:
        assert self.limits is not None
        chat = self._chats.setdefault(chat_id, _Window(self.limits.per_chat_per_second, 1.0))
        windows = [self._global, chat]
        if chat_id < 0:
            windows.append(
                self._groups.setdefault(chat_id, _Window(self.limits.group_per_minute, 60.0))
            )
        return windows
