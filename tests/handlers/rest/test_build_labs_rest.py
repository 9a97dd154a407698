"""The five build labs over REST, step by step, against the app served by a real uvicorn and
the real engine: the statement names the starter files, opening the lab puts them into the
caller's workspace, the files a step asks for are written with ``PUT /workspace/files/…``, the
builds stream their output (``/sandbox/run/stream``) and the other commands go through
``/sandbox/run``, each step's check ticks, ``/next`` moves on, and the correction's files load
once every step is done; ``/starter`` puts the starter files back over the edited ones.

What is sent comes from the lab sheets (``tests/labs/walkthrough_plan.py``), as in the chat
walk (``tests/handlers/telegram/test_build_labs_chat.py``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.labs.model import Lab
from tests.conftest import make_settings
from tests.handlers.rest.browser import serving
from tests.labs.walkthrough_plan import (
    BUILD_LABS,
    CURL_REFUSED,
    CURL_TRIES,
    allowlist,
    edits,
    is_build,
    is_probe,
)
from tests.sandbox.conftest import debian_images  # noqa: F401  (pytest fixture)

COMMAND_TIMEOUT = 300  # a cold build of the Node.js or PHP image on a busy machine


@pytest.fixture
async def build_api(
    tmp_path: Path,
    standin_images: dict[str, str],
    debian_images: dict[str, str],  # noqa: F811
    clean_user_id: int,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        tmp_path,
        sandbox_images=allowlist(standin_images, debian_images),
        sandbox_timeout_s=120,
        sandbox_commands_per_minute=6000,
        sandbox_burst=1000,
    )
    async with build_services(settings) as services:
        token = await services.tokens.create(clean_user_id)
        try:
            async with serving(services) as url:
                async with httpx.AsyncClient(
                    base_url=f"{url}/api/v1",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=COMMAND_TIMEOUT,
                ) as client:
                    yield client
        finally:
            await services.sandbox.reset(clean_user_id)
            await services.workspace.reset(clean_user_id)


async def streamed(api: httpx.AsyncClient, line: str) -> dict[str, Any]:
    """A build as a client shows it live: output lines, then the result line."""
    events = []
    async with api.stream("POST", "/sandbox/run/stream", json={"command": line}) as response:
        assert response.status_code == 200, await response.aread()
        async for raw in response.aiter_lines():
            if raw.strip():
                events.append(json.loads(raw))
    printed = "".join(event["text"] for event in events if event["event"] == "output")
    assert events[-1]["event"] == "result", events[-3:]
    assert "Step 1/" in printed and "Successfully built" in printed, printed[-3000:]
    return events[-1]


async def run(api: httpx.AsyncClient, line: str) -> dict[str, Any]:
    for _ in range(CURL_TRIES):
        if is_build(line):
            return await streamed(api, line)
        answer = (await api.post("/sandbox/run", json={"command": line})).json()
        if not (is_probe(line) and answer.get("exit_code") == CURL_REFUSED):
            break
        await asyncio.sleep(1)
    return answer


@pytest.mark.parametrize("lab", BUILD_LABS, ids=[lab.id for lab in BUILD_LABS])
async def test_every_step_of_a_build_lab_is_done_over_rest(
    lab: Lab, build_api: httpx.AsyncClient
) -> None:
    api, base = build_api, f"/labs/{lab.id}"
    statement = (await api.get(base)).json()
    assert statement["starter_files"] == sorted(lab.starter)
    assert statement["correction"] is None

    opened = (await api.post(f"{base}/open")).json()
    assert opened["seeded"] == sorted(lab.starter) and opened["kept"] == []
    assert (await api.post(f"{base}/open")).json()["seeded"] == []  # a second visit writes none
    tree = (await api.get("/workspace")).json()
    assert sorted(f["path"] for f in tree["files"]) == sorted(lab.starter)
    for path, text in lab.starter.items():
        assert (await api.get(f"/workspace/files/{path}")).content == text.encode()

    locked = await api.post(f"{base}/correction/files")
    assert locked.status_code == 403, locked.text
    assert f"0/{len(lab.steps)}" in locked.json()["error"]["message"]

    total = len(lab.steps)
    for number, (step, files) in enumerate(zip(lab.steps, edits(lab), strict=True), start=1):
        for path, text in files.items():
            written = await api.put(f"/workspace/files/{path}", content=text.encode())
            assert written.status_code in (200, 201), written.text
        for line in step.sandbox_commands:
            ran = await run(api, line)
            assert not ran["refused"] and ran["exit_code"] == 0, (number, line, ran)
        verdict = (await api.post(f"{base}/steps/{number}/check")).json()
        assert verdict["ok"], (number, verdict)
        assert verdict["status"]["done"] == number, verdict["status"]
        moved = (await api.post(f"{base}/next")).json()
        assert moved["current_step"] == min(number + 1, total), moved

    finished = (await api.get(base)).json()
    assert finished["status"]["state"] == "done"
    assert finished["correction"]["files"] == lab.correction.files
    loaded = (await api.post(f"{base}/correction/files")).json()
    assert loaded == {"lab_id": lab.id, "files": sorted(lab.correction.files)}
    for path, text in lab.correction.files.items():
        assert (await api.get(f"/workspace/files/{path}")).content == text.encode()
    restart = (await api.post(f"{base}/starter")).json()
    assert restart["files"] == sorted(lab.starter)
    for path, text in lab.starter.items():  # the starter files again, over the edited ones
        assert (await api.get(f"/workspace/files/{path}")).content == text.encode()
