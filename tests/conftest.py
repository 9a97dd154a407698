"""Fixtures that build real things: a temp SQLite file, the services, the REST app, the bot
talking to the Bot API stand-in over real HTTP. Each one cleans up after itself."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from moussaillon.app import Services, build_services
from moussaillon.config import Settings

TOKEN = "123456:TEST-TOKEN"


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "db_path": tmp_path / "moussaillon.db",
        "telegram_rate_limiter": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    async with build_services(settings, sandbox=False) as built:
        yield built


@pytest.fixture
async def api(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    from moussaillon.handlers.rest.app import create_api

    transport = httpx.ASGITransport(app=create_api(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://moussaillon") as client:
        yield client


@contextlib.asynccontextmanager
async def running_bot(services: Services, stub) -> AsyncIterator[object]:
    """The real PTB Application, polling the stand-in, with PTB's manual lifecycle."""
    from moussaillon.handlers.telegram.app import create_telegram_app

    application = create_telegram_app(services)
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
