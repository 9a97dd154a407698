"""POST /api/v1/sandbox/run/stream through real uvicorn and httpx: ndjson lines as they come,
the result last, and the same refusals as POST /sandbox/run."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.handlers.rest.app import create_api
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import make_settings
from tests.telegram_stub.server import Server

STREAM = "/api/v1/sandbox/run/stream"
RUN = "/api/v1/sandbox/run"


@contextlib.asynccontextmanager
async def served_api(tmp_path, users, **overrides):
    """The app with a real sandbox behind uvicorn on a free port; a client per user."""
    settings = make_settings(tmp_path, **overrides)
    async with build_services(settings) as services:
        server = Server(create_api(services))
        await server.start()
        clients = []
        try:
            for user in users:
                token = await services.tokens.create(user)
                client = httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{server.port}",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
                clients.append(client)
            yield services, clients
        finally:
            for client in clients:
                await client.aclose()
            await server.stop()
            for user in users:
                with contextlib.suppress(Exception):
                    await purge_owner(services.sandbox.engine, labels.owner_key(user))


async def lines_of(response: httpx.Response):
    async for line in response.aiter_lines():
        if line:
            yield json.loads(line)


async def test_the_stream_ends_with_the_result_run_would_answer(
    tmp_path, standin_images, make_user_id
):
    async with served_api(tmp_path, [make_user_id()]) as (_, [client]):
        body = {"command": "docker run --rm alpine echo hi"}
        async with client.stream("POST", STREAM, json=body) as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/x-ndjson"
            lines = [line async for line in lines_of(response)]
        [result] = lines
        assert result == {**result, "event": "result", "exit_code": 0, "output": "hi\n"}
        plain = (await client.post(RUN, json=body)).json()
        assert set(result) - set(plain) == {"event"}
        refused = (
            await client.post(STREAM, json={"command": "docker run --privileged alpine"})
        ).text.splitlines()
        [line] = [json.loads(text) for text in refused]
        assert line["event"] == "result" and line["refused"] and line["reason"]


async def test_a_queued_place_arrives_while_another_command_runs(
    tmp_path, standin_images, make_user_id
):
    # Fresh ids: another test process on the same engine cleaning up a fixed id would remove
    # these containers mid-run.
    users = [make_user_id(), make_user_id()]
    async with served_api(tmp_path, users, sandbox_concurrency=1) as (
        services,
        [busy_client, client],
    ):
        busy = asyncio.create_task(
            busy_client.post(RUN, json={"command": "docker run --rm alpine sleep 8"})
        )
        while services.sandbox.active_operations == 0:
            await asyncio.sleep(0.05)
        body = {"command": "docker run --rm alpine echo ensuite"}
        async with client.stream("POST", STREAM, json=body) as response:
            lines = lines_of(response)
            assert await anext(lines) == {"event": "queued", "position": 1}
            assert not busy.done()  # streamed: the place came before the other one ended
            [result] = [line async for line in lines]
        assert result["event"] == "result" and result["output"] == "ensuite\n"
        assert (await busy).status_code == 200


async def test_rate_limited_is_a_429_before_any_line(tmp_path, standin_images, make_user_id):
    async with served_api(
        tmp_path, [make_user_id()], sandbox_burst=1, sandbox_commands_per_minute=1
    ) as (
        _,
        [client],
    ):
        assert (await client.post(RUN, json={"command": "docker ps"})).status_code == 200
        limited = await client.post(STREAM, json={"command": "docker ps"})
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["error"]["code"] == "sandbox.rate_limited"


async def test_without_a_sandbox_the_stream_is_503(api, services):
    token = await services.tokens.create(555)
    answer = await api.post(
        STREAM, json={"command": "docker ps"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 503


async def test_the_stream_is_documented_as_ndjson(api):
    spec = (await api.get("/openapi.json")).json()
    content = spec["paths"][STREAM]["post"]["responses"]["200"]["content"]
    events = [
        schema["properties"]["event"]["default"]
        for schema in content["application/x-ndjson"]["schema"]["oneOf"]
    ]
    assert events == ["queued", "output", "result"]


@pytest.mark.parametrize("body", [{}, {"command": ""}])
async def test_a_bad_body_is_refused_before_anything_runs(api, services, body):
    token = await services.tokens.create(556)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await api.post(STREAM, json=body, headers=headers)).status_code == 422


async def test_a_build_streams_its_steps_before_its_result(tmp_path, standin_images, make_user_id):
    user = make_user_id()
    async with served_api(tmp_path, [user]) as (services, [client]):
        dockerfile = b'FROM alpine\nRUN for i in 1 2 3 4; do echo $i; sleep 1; done\nCMD ["true"]\n'
        await services.workspace.write(user, "Dockerfile", dockerfile)
        try:
            body = {"command": "docker build -t pas:1 ."}
            async with client.stream("POST", STREAM, json=body) as response:
                lines = [line async for line in lines_of(response)]
            *chunks, result = lines
            assert {line["event"] for line in chunks} == {"output"} and len(chunks) >= 2
            printed = "".join(line["text"] for line in chunks)
            assert "Step 1/3 : FROM alpine" in printed and "Step 3/3" in printed
            assert result["event"] == "result" and result["exit_code"] == 0
            assert "Successfully tagged pas:1" in result["output"]
        finally:
            await services.sandbox.reset(user)
