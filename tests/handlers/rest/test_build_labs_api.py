"""A build lab over REST, every step: the statement names the starter files, opening the lab
puts them into the caller's workspace, the student writes the Dockerfile (the workspace's
``PUT /workspace/files/…``), builds and runs through ``/sandbox/run``, each check ticks, then
the correction's files load once it may be seen.

Needs the app built with the workspace and builds (``app.build_services`` hands the workspace
to the lab service and to the sandbox); cartopoint needs only the nginx and alpine/curl
stand-ins."""

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.handlers.rest.app import create_api
from moussaillon.labs.loader import load_labs
from tests.conftest import make_settings

LAB = load_labs().get("dockerfile-cartopoint")


@pytest.fixture
async def build_api(tmp_path, standin_images, clean_user_id):
    settings = make_settings(
        tmp_path, sandbox_timeout_s=60, sandbox_commands_per_minute=600, sandbox_burst=100
    )
    async with build_services(settings) as services:
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            token = await services.tokens.create(clean_user_id)
            client.headers["Authorization"] = f"Bearer {token}"
            try:
                yield client
            finally:
                await services.sandbox.reset(clean_user_id)
                await services.workspace.reset(clean_user_id)


async def test_cartopoint_over_rest_from_the_seeded_files_to_the_correction(build_api):
    api, base = build_api, f"/api/v1/labs/{LAB.id}"
    statement = (await api.get(base)).json()
    assert statement["starter_files"] == sorted(LAB.starter)
    assert statement["correction"] is None

    opened = (await api.post(f"{base}/open")).json()
    assert opened["seeded"] == sorted(LAB.starter) and opened["kept"] == []
    again = (await api.post(f"{base}/open")).json()
    assert again["seeded"] == []  # a second visit writes nothing
    page = await api.get("/api/v1/workspace/files/site/index.html")
    assert page.status_code == 200 and b"Cartopoint" in page.content

    locked = await api.post(f"{base}/correction/files")
    assert locked.status_code == 403 and "0/4" in locked.json()["error"]["message"]

    dockerfile = LAB.correction.files["Dockerfile"].encode()
    written = await api.put("/api/v1/workspace/files/Dockerfile", content=dockerfile)
    assert written.status_code in (200, 201), written.text
    for number, step in enumerate(LAB.steps, start=1):
        if number == 4:  # the student edits the page for version 1.1
            new = LAB.correction.files["site/index.html"].encode()
            edited = await api.put("/api/v1/workspace/files/site/index.html", content=new)
            assert edited.status_code in (200, 201), edited.text
        for line in step.sandbox_commands:
            ran = (await api.post("/api/v1/sandbox/run", json={"command": line})).json()
            assert not ran["refused"] and ran["exit_code"] == 0, (number, line, ran)
        verdict = (await api.post(f"{base}/steps/{number}/check")).json()
        assert verdict["ok"], (number, verdict)

    finished = (await api.get(base)).json()
    assert finished["status"]["state"] == "done"
    assert finished["correction"]["files"] == LAB.correction.files
    loaded = (await api.post(f"{base}/correction/files")).json()
    assert loaded == {"lab_id": LAB.id, "files": sorted(LAB.correction.files)}
    restart = (await api.post(f"{base}/starter")).json()
    assert restart["files"] == sorted(LAB.starter)
    back = await api.get("/api/v1/workspace/files/site/index.html")
    assert b"version 1.0" in back.content  # the starter page again, over the edited one
