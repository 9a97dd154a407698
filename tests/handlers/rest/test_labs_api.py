"""The labs over REST: public statements, the caller's progress, checks on the real sandbox."""

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.handlers.rest.app import create_api
from moussaillon.labs.loader import load_labs
from tests.conftest import make_settings

LAB = "volumes-docker"
LABS = load_labs()


@pytest.fixture
async def student(api, services):
    """The ``api`` client with a student's bearer token."""
    token = await services.tokens.create(5150)
    return {"Authorization": f"Bearer {token}"}


async def test_list_is_public_and_personal_with_a_token(api, student):
    anonymous = (await api.get("/api/v1/labs")).json()
    assert [lab["id"] for lab in anonymous] == LABS.ids
    assert all(lab["status"] is None for lab in anonymous)
    assert anonymous[0]["steps"] == len(LABS.labs[0].steps)

    mine = (await api.get("/api/v1/labs", headers=student)).json()
    assert {lab["status"]["state"] for lab in mine} == {"not_started"}
    wrong = await api.get("/api/v1/labs", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "api.unauthorized"


async def test_statement_without_correction_until_every_step_is_done(api, student):
    lab = LABS.get(LAB)
    anonymous = (await api.get(f"/api/v1/labs/{LAB}")).json()
    assert anonymous["title"] == lab.title and anonymous["correction"] is None
    assert [s["number"] for s in anonymous["step_list"]] == [1, 2, 3, 4]
    assert anonymous["prerequisites"] == lab.prerequisites and anonymous["limitations"]
    assert "jeton" in anonymous["correction_note"]

    locked = (await api.get(f"/api/v1/labs/{LAB}", headers=student)).json()
    assert locked["correction"] is None and "0/4" in locked["correction_note"]

    opened = (await api.post(f"/api/v1/labs/{LAB}/open", headers=student)).json()
    assert opened["current_step"] == 1 and opened["done_steps"] == []
    hint = await api.get(f"/api/v1/labs/{LAB}/steps/1/hint", headers=student)
    assert hint.json() == {"step": 1, "hint": lab.steps[0].hint}
    moved = (await api.post(f"/api/v1/labs/{LAB}/next", headers=student)).json()
    assert moved["current_step"] == 2 and moved["instruction"] == lab.steps[1].instruction

    for step in range(1, 5):
        done = (await api.post(f"/api/v1/labs/{LAB}/steps/{step}/done", headers=student)).json()
        assert step in done["done_steps"]
    assert done["finished"]
    unlocked = (await api.get(f"/api/v1/labs/{LAB}", headers=student)).json()
    assert unlocked["correction"]["commands"] == lab.correction.commands
    assert unlocked["correction_note"] is None and unlocked["status"]["state"] == "done"


async def test_errors_are_json_in_the_callers_language(api, student):
    missing = await api.get("/api/v1/labs/pas-un-tp", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and "pas-un-tp" in missing.json()["error"]["message"]
    step = await api.post(f"/api/v1/labs/{LAB}/steps/9/done", headers=student)
    assert step.status_code == 404 and step.json()["error"]["code"] == "labs.step_not_found"
    anonymous = await api.post(f"/api/v1/labs/{LAB}/steps/1/check")
    assert anonymous.status_code == 401
    no_engine = await api.post(f"/api/v1/labs/{LAB}/steps/1/check", headers=student)
    assert no_engine.status_code == 503
    assert no_engine.json()["error"]["code"] == "labs.no_sandbox"
    lab_id, number = next(
        (lab.id, n) for lab in LABS for n, s in enumerate(lab.steps, 1) if s.check is None
    )
    unchecked = await api.post(f"/api/v1/labs/{lab_id}/steps/{number}/check", headers=student)
    assert unchecked.status_code == 422
    assert unchecked.json()["error"]["code"] == "labs.step_without_check"


async def test_corrections_always(tmp_path):
    settings = make_settings(tmp_path, labs_corrections_always=True)
    async with build_services(settings, sandbox=False) as services:
        token = await services.tokens.create(7)
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            body = (
                await client.get(
                    f"/api/v1/labs/{LAB}", headers={"Authorization": f"Bearer {token}"}
                )
            ).json()
    assert body["correction"]["explanation"] == LABS.get(LAB).correction.explanation


@pytest.fixture
async def sandbox_api(tmp_path, standin_images, clean_user_id):
    settings = make_settings(
        tmp_path, sandbox_timeout_s=25, sandbox_commands_per_minute=600, sandbox_burst=100
    )
    async with build_services(settings) as services:
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            token = await services.tokens.create(clean_user_id)
            client.headers["Authorization"] = f"Bearer {token}"
            yield client


async def test_check_fails_then_passes_on_the_callers_sandbox(sandbox_api):
    lab = LABS.get(LAB)
    first = await sandbox_api.post(f"/api/v1/labs/{LAB}/steps/1/check")
    assert first.status_code == 200
    body = first.json()
    assert not body["ok"] and any("donnees" in text for text in body["missing"])
    assert body["status"]["done"] == 0

    for number, step in enumerate(lab.steps, start=1):
        if number == 2:  # judged on the output of the latest command, not yet typed
            early = (await sandbox_api.post(f"/api/v1/labs/{LAB}/steps/2/check")).json()
            assert not early["ok"] and early["findings"][0]["key"] == "labs.check.output.empty"
        for line in step.sandbox_commands:
            ran = await sandbox_api.post("/api/v1/sandbox/run", json={"command": line})
            assert ran.status_code == 200 and not ran.json()["refused"], ran.json()
        verdict = (await sandbox_api.post(f"/api/v1/labs/{LAB}/steps/{number}/check")).json()
        assert verdict["ok"], (number, verdict)
        assert verdict["status"]["done"] == number and verdict["missing"] == []
        assert all(finding["ok"] and finding["text"] for finding in verdict["findings"])

    statement = (await sandbox_api.get(f"/api/v1/labs/{LAB}")).json()
    assert statement["status"]["state"] == "done"
    assert statement["correction"]["commands"] == lab.correction.commands
