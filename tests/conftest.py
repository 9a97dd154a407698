"""Fixtures that build real things: a temp SQLite file, the services, the REST app, the bot
talking to the Bot API stand-in over real HTTP. Each one cleans up after itself."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.areas import register_messages
from moussaillon.config import Settings
from moussaillon.services import Services
from tests.sandbox.conftest import (  # noqa: F401 (fixtures)
    clean_user_id,
    make_user_id,
    standin_images,
)
from tests.sandbox.engine_support import worker_subnets
from tests.telegram_stub import TelegramStub, running_stub

# PTB 22 warns (an error here) unless retry_after values are timedeltas, as PTB 23 will make them.
os.environ.setdefault("PTB_TIMEDELTA", "true")

TOKEN = "123456:TEST-TOKEN"
# One embeddings cache for every test that turns the semantic search on: the course is
# embedded once per machine, not once per temp database.
SEARCH_CACHE = Path(tempfile.gettempdir()) / "moussaillon-tests-search-embeddings.db"

# The app factory registers the areas' texts; tests that render texts without one need them too.
register_messages()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "db_path": tmp_path / "moussaillon.db",
        "telegram_rate_limiter": False,
        "sandbox_subnets": worker_subnets(),  # this test process's own share of the range
        # Off unless a test asks: most tests never search, and loading the 120 MB model in each
        # would slow the suite; the semantic path has its own tests (tests/content/,
        # tests/handlers/*/test_semantic_search.py) with search_semantic=True.
        "search_semantic": False,
        "search_cache_path": SEARCH_CACHE,
        # A stop of a shell waits its whole grace period (no init): 1 s, not docker's 10 s.
        "sandbox_stop_s": 1,
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


@dataclass
class Bot:
    """A running bot: the stand-in Telegram, the services behind the bot, and PTB itself."""

    stub: TelegramStub
    services: Services
    application: object


@contextlib.asynccontextmanager
async def start_bot(
    tmp_path: Path, *, sandbox: bool = False, **overrides: object
) -> AsyncIterator[Bot]:
    from moussaillon.bot.application import create_telegram_app, polling

    async with running_stub(token=TOKEN) as stub:
        settings = make_settings(
            tmp_path,
            telegram_token=TOKEN,
            telegram_base_url=stub.base_url,
            telegram_base_file_url=stub.base_file_url,
            instructors=[1000],
            **overrides,
        )
        async with build_services(settings, sandbox=sandbox) as built:
            async with polling(create_telegram_app(built)) as application:
                yield Bot(stub, built, application)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with start_bot(tmp_path) as running:
        yield running


@pytest.fixture
async def sandbox_bot(tmp_path: Path, standin_images) -> AsyncIterator[Bot]:  # noqa: F811
    """The bot with a real Docker sandbox behind it (fails, never skips, without an engine)."""
    async with start_bot(tmp_path, sandbox=True, sandbox_timeout_s=5) as running:
        yield running
