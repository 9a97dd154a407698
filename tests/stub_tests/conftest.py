"""Fixtures for the stand-in's own tests: a running stub, an HTTP client on it, a PTB Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot

from tests.telegram_stub import TelegramStub, running_stub


@pytest.fixture
async def stub() -> AsyncIterator[TelegramStub]:
    async with running_stub() as running:
        yield running


@pytest.fixture
async def http(stub: TelegramStub) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stub.url) as client:
        yield client


@pytest.fixture
async def bot(stub: TelegramStub) -> AsyncIterator[Bot]:
    async with Bot(stub.token, base_url=stub.base_url, base_file_url=stub.base_file_url) as b:
        yield b
