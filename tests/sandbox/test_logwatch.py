"""The log watch on the real engine: a flood is stopped and explained, normal output is not.

The watch is narrowed to the test's student (other test runs share the engine) and checks
every second instead of every three; the rule itself is the default one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiodocker
import pytest

from moussaillon.sandbox import labels
from moussaillon.sandbox.logwatch import LogRule, LogWatch
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker

RULE = LogRule(interval_s=1.0)
FLOOD = "docker run -d --network none --name flood alpine yes"
CHATTY = (
    "docker run -d --network none --name chatty alpine sh -c 'while true; do date; sleep 1; done'"
)
BURST = "docker run -d --network none --name burst alpine sh -c 'seq 1 5000; sleep 300'"


@pytest.fixture
async def watched(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> AsyncIterator[SandboxService]:
    owner = labels.owner_key(clean_user_id)
    service.logwatch = LogWatch(
        service.engine, RULE, selector=(f"{labels.SANDBOX}=1", f"{labels.OWNER}={owner}")
    )
    task = asyncio.create_task(service.logwatch.run_forever())
    try:
        yield service
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _running(docker: aiodocker.Docker, user_id: int, name: str) -> bool:
    state = (await docker._query_json(f"containers/m-u{user_id}-{name}/json"))["State"]
    return bool(state["Running"])


async def test_a_flood_is_stopped_and_its_owner_told_why(
    watched: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(watched, uid, CHATTY)
    await ok(watched, uid, BURST)
    started = time.monotonic()
    await ok(watched, uid, FLOOD)
    while await _running(docker, uid, "flood"):
        assert time.monotonic() - started < 20, "the flood was not stopped within 20 s"
        await asyncio.sleep(0.5)
    await watched.logwatch.settle()
    await asyncio.sleep(3 * RULE.interval_s)  # the others get three more checks
    assert await _running(docker, uid, "chatty") and await _running(docker, uid, "burst")

    told = await ok(watched, uid, "docker images")  # the next command, whatever it is
    assert len(told.notes) == 1 and "flood was stopped by the sandbox" in told.notes[0]
    assert "more than 100 lines a second" in told.notes[0]
    again = await ok(watched, uid, "docker volume ls")
    assert again.notes == []  # told once …
    listed = await ok(watched, uid, "docker ps -a")
    assert any("flood was stopped" in note for note in listed.notes)  # … and where it shows
    logs = await ok(watched, uid, "docker logs --tail 1 flood")
    assert logs.output.strip() == "y" and any("flood was stopped" in n for n in logs.notes)
    other = await ok(watched, uid, "docker logs --tail 1 chatty")
    assert other.notes == []

    await ok(watched, uid, "docker rm flood")
    await asyncio.sleep(2 * RULE.interval_s)
    assert (await ok(watched, uid, "docker ps -a")).notes == []  # forgotten with it
