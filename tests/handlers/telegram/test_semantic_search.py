"""With the semantic model on, the bot and the API answer by meaning, in one ranking."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from moussaillon.core.i18n import t
from tests.conftest import Bot, start_bot

QUESTION = "how to see container logs"


def section_ids(reply) -> list[str]:
    return [button["callback_data"].split(":")[1] for button in reply.buttons]


@pytest.fixture
async def semantic_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with start_bot(tmp_path, search_semantic=True) as running:
        semantic = running.services.course.index.semantic
        assert semantic is not None
        # Model and vectors loaded before the first message: the stand-in waits 5 s per reply.
        await asyncio.to_thread(semantic.warm_up)
        yield running


async def test_english_questions_are_answered_and_told_the_course_is_french(semantic_bot):
    stub = semantic_bot.stub
    bob = stub.user(first_name="Bob", language_code="en")
    expected = [h.section_id for h in await semantic_bot.services.course.search(QUESTION, 3)]
    assert expected[0] == "lire-les-logs-docker-logs"
    [free] = await stub.wait_for(stub.send_text(bob, QUESTION))
    [command] = await stub.wait_for(stub.send_text(bob, f"/chercher {QUESTION}"))
    assert section_ids(free) == section_ids(command) == expected
    assert t("content.search_in_french", "en") in free.text
    alice = stub.user(first_name="Alice", language_code="fr")
    [french] = await stub.wait_for(stub.send_text(alice, QUESTION))
    assert t("content.search_in_french", "fr") in french.text
    [plain] = await stub.wait_for(stub.send_text(alice, "comment voir les logs"))
    assert t("content.search_in_french", "fr") not in plain.text


async def test_the_api_ranks_as_the_bot_does_and_says_the_course_is_french(semantic_bot):
    from moussaillon.handlers.rest.app import create_api

    services = semantic_bot.services
    transport = httpx.ASGITransport(app=create_api(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://moussaillon") as client:
        body = (await client.get("/api/v1/search", params={"q": QUESTION, "limit": 3})).json()
        french = (await client.get("/api/v1/search", params={"q": "comment voir les logs"})).json()
    expected = [h.section_id for h in await services.course.search(QUESTION, 3)]
    assert [hit["section_id"] for hit in body["hits"]] == expected
    assert body["course_language"] == "fr"
    assert body["note"] == t("content.search_in_french", "en")
    assert french["note"] is None


def test_serve_loads_the_model_beside_start_up_and_answers_by_meaning(tmp_path: Path):
    from tests.conftest import SEARCH_CACHE
    from tests.handlers.rest.served import serving

    with serving(
        tmp_path,
        MOUSSAILLON_SEARCH_SEMANTIC="true",
        MOUSSAILLON_SEARCH_CACHE_PATH=str(SEARCH_CACHE),
    ) as server:
        body = httpx.get(f"{server.url}/api/v1/search", params={"q": QUESTION}, timeout=120).json()
    assert body["hits"][0]["section_id"] == "lire-les-logs-docker-logs"
    assert body["note"] == t("content.search_in_french", "en")
