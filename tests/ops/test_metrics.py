"""/metrics after real traffic: Telegram updates and sandbox commands on the real engine."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from moussaillon.handlers.rest.routes.metrics import create_metrics_app
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner


def sample(text: str, name: str, **labels_: str) -> float | None:
    """The value of one sample in Prometheus text format, None when absent."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels_.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if match and match[1] == name:
            found = ",".join(sorted((match[2] or "").split(","))) if match[2] else ""
            if found == want:
                return float(match[3])
    return None


async def scrape(services) -> httpx.Response:
    """Through the separate listener's app, the one that needs no token."""
    transport = httpx.ASGITransport(app=create_metrics_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://moussaillon") as client:
        return await client.get("/metrics")


@pytest.mark.docker
async def test_metrics_count_updates_verdicts_latencies_and_live_containers(sandbox_bot):
    stub, services = sandbox_bot.stub, sandbox_bot.services
    student = stub.user(first_name="Mia")
    try:
        await stub.wait_for(stub.send_text(student, "/docker run --rm alpine echo hi"), timeout=30)
        await stub.wait_for(stub.send_text(student, "/docker run --privileged alpine"), timeout=30)
        await stub.wait_for(
            stub.send_text(student, "/docker run -dit --name web alpine"), timeout=30
        )
        await stub.wait_for(stub.send_text(student, "/cours"))

        # an update's line is counted when its last handler group ends, just after the reply
        for _ in range(100):
            response = await scrape(services)
            done = sample(
                response.text, "moussaillon_telegram_updates_total", kind="/cours", outcome="ok"
            )
            if done == 1:
                break
            await asyncio.sleep(0.02)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        text = response.text
        assert sample(text, "moussaillon_sandbox_commands_total", verdict="ran") == 2
        assert sample(text, "moussaillon_sandbox_commands_total", verdict="refused") == 1
        assert sample(text, "moussaillon_sandbox_command_seconds_count") == 3
        assert sample(text, "moussaillon_sandbox_command_seconds_sum") > 0
        assert sample(text, "moussaillon_telegram_updates_total", kind="/docker", outcome="ok") == 3
        assert sample(text, "moussaillon_telegram_update_seconds_count") >= 3
        assert sample(text, "moussaillon_sandbox_queue_length") == 0
        assert sample(text, "moussaillon_sandbox_containers", state="running") >= 1
        for name in ("moussaillon_quiz_live_answers", "moussaillon_broadcast_deliveries"):
            assert f"# TYPE {name}" in text
    finally:
        await purge_owner(services.sandbox.engine, labels.owner_key(student.id))


async def test_counters_belong_to_one_app(services):
    """Each app has its own registry: two apps in one process never add up their counters."""
    services.metrics.updates.labels(kind="text", outcome="ok").inc()
    text = (await scrape(services)).text
    assert sample(text, "moussaillon_telegram_updates_total", kind="text", outcome="ok") == 1
    from moussaillon.ops.metrics import Metrics

    assert "moussaillon_telegram_updates_total{" not in (await Metrics().render()).decode()
