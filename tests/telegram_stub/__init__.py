"""A Telegram Bot API stand-in for tests and benchmarks: a real HTTP server PTB talks to.

Tests play Telegram's users through ``TelegramStub`` and read what the bot sent; a bot in
another process can be driven through the small ``/_stub`` HTTP control API
(``python -m tests.telegram_stub`` runs it alone). Typical use::

    async with running_stub() as stub, running_bot(build(stub.application_builder())):
        alice = stub.user(first_name="Alice", language_code="fr")
        [menu] = await stub.wait_for(stub.send_text(alice, "/cours"))
        stub.click(alice, menu, text="Chapitre 1")
        page = await stub.wait_for_edit(menu)
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
