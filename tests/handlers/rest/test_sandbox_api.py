"""POST /api/v1/sandbox/run: token auth, real execution, refusals and rate limits."""

import contextlib

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.handlers.rest.app import create_api
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import make_settings


@pytest.fixture
async def sandbox_api(tmp_path, standin_images, clean_user_id):
    settings = make_settings(tmp_path, sandbox_burst=3, sandbox_commands_per_minute=1)
    async with build_services(settings) as services:
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            token = await services.tokens.create(clean_user_id)
            client.headers["Authorization"] = f"Bearer {token}"
            try:
                yield client
            finally:
                with contextlib.suppress(Exception):
                    await purge_owner(services.sandbox.engine, labels.owner_key(clean_user_id))


async def test_run_refuse_and_rate_limit(sandbox_api):
    ran = await sandbox_api.post(
        "/api/v1/sandbox/run", json={"command": "docker run --rm alpine echo hi"}
    )
    assert ran.status_code == 200
    body = ran.json()
    assert body == {**body, "exit_code": 0, "output": "hi\n", "refused": False, "reason": None}
    assert body["duration_ms"] > 0

    refused = (
        await sandbox_api.post(
            "/api/v1/sandbox/run", json={"command": "docker run -v /:/host alpine"}
        )
    ).json()
    assert refused["refused"] and refused["reason"] and refused["exit_code"] is None

    statuses = [
        (await sandbox_api.post("/api/v1/sandbox/run", json={"command": "docker ps"}))
        for _ in range(3)
    ]
    limited = statuses[-1]
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["message"]


async def test_bad_bodies_and_tokens(sandbox_api):
    assert (await sandbox_api.post("/api/v1/sandbox/run", json={})).status_code == 422
    long = await sandbox_api.post("/api/v1/sandbox/run", json={"command": "docker " + "x" * 8192})
    assert long.status_code == 422  # over the command's own bound, under the body cap
    huge = await sandbox_api.post("/api/v1/sandbox/run", json={"command": "docker " + "x" * 2**20})
    assert huge.status_code == 413  # over MOUSSAILLON_HTTP_MAX_BODY_KB: refused unread
    forged = await sandbox_api.post(
        "/api/v1/sandbox/run",
        json={"command": "docker ps"},
        headers={"Authorization": "Bearer mss_forged"},
    )
    assert forged.status_code == 401
