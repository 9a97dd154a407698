"""A Telegram Bot API stand-in for tests and benchmarks: a real HTTP server PTB talks to.

Tests play Telegram's users through ``TelegramStub`` and read what the bot sent; a bot in
another process can be driven through the small ``/_stub`` HTTP control API.
"""

from .fixtures import running_bot, running_stub
from .models import ApiCall, ApiError, FakeChat, FakeUser, Injected, StoredFile, StubMessage
from .stub import DEFAULT_TOKEN, TelegramStub

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "FakeChat",
    "FakeUser",
    "Injected",
    "StoredFile",
    "StubMessage",
    "TelegramStub",
    "running_bot",
    "running_stub",
]
