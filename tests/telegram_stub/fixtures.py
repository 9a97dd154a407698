"""Reusable context managers for fixtures: a running stub, and a PTB application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application

from .stub import TelegramStub


@asynccontextmanager
async def running_stub(**options: Any) -> AsyncIterator[TelegramStub]:
    """A started ``TelegramStub(**options)``, always closed afterwards."""
    stub = TelegramStub(**options)
    await stub.start()
    try:
        yield stub
    finally:
        await stub.close()


@asynccontextmanager
async def running_bot(application: Application[Any, Any, Any, Any, Any, Any],
                      ) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """PTB's manual lifecycle around a test: initialize, start, poll; then stop in order."""
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
