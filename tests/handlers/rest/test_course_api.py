"""The course over REST, through the real FastAPI app (ASGI) and once through real uvicorn."""

import asyncio
import contextlib
import socket

import httpx
import uvicorn

from moussaillon.handlers.rest.app import create_api


async def test_health(api, services):
    body = (await api.get("/api/v1/health")).json()
    assert body["status"] == "ok"
    assert body["sections"] == len(services.course.course.sections) > 0
    assert "m001_users_and_progress" in body["schema_version"]["core"]


async def test_course_tree_lists_every_chapter_and_section(api, services):
    body = (await api.get("/api/v1/course")).json()
    course = services.course.course
    assert [c["id"] for c in body["chapters"]] == [c.id for c in course.chapters]
    assert sum(len(c["sections"]) for c in body["chapters"]) == len(course.sections)


async def test_section_has_markdown_html_and_neighbours(api, services):
    sections = services.course.course.sections
    second = sections[1]
    body = (await api.get(f"/api/v1/sections/{second.id}")).json()
    assert body["markdown"] == second.body
    assert body["html"].strip().startswith("<")
    assert body["previous"]["id"] == sections[0].id
    assert body["next"]["id"] == sections[2].id


async def test_unknown_section_is_a_json_404_in_the_callers_language(api):
    response = await api.get("/api/v1/sections/nope-nope")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "content.section_not_found" and "nope-nope" in error["message"]
    english = await api.get("/api/v1/sections/nope-nope", headers={"Accept-Language": "en"})
    assert english.json()["error"]["message"] != error["message"]


async def test_search_ranks_hits_with_snippets(api):
    body = (await api.get("/api/v1/search", params={"q": "conteneurs"})).json()
    assert body["hits"], body
    assert all("conteneur" in (h["title"] + h["snippet"]).lower() for h in body["hits"][:3])
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


async def test_search_errors_are_clear(api):
    empty = await api.get("/api/v1/search", params={"q": "   "})
    assert empty.status_code == 422 and empty.json()["error"]["message"]
    missing = await api.get("/api/v1/search")
    assert missing.status_code == 422 and "q" in missing.json()["error"]["message"]
    huge = await api.get("/api/v1/search", params={"q": "docker " * 1400})
    assert huge.status_code == 200
    too_long = await api.get("/api/v1/search", params={"q": "x" * 10_001})
    assert too_long.status_code == 422


async def test_unknown_route_is_json(api):
    response = await api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["error"]["code"] == "api.http"


async def test_sandbox_needs_a_token(api):
    response = await api.post("/api/v1/sandbox/run", json={"command": "docker ps"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "/token" in response.json()["error"]["message"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_served_by_real_uvicorn(services):
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_api(services), host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/api/v1/health")).json()["status"] == "ok"
            assert (await client.get("/docs")).status_code == 200
            spec = (await client.get("/openapi.json")).json()
            assert "/api/v1/sections/{section_id}" in spec["paths"]
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_search_answers_questions_as_students_type_them(api):
    for question, expected in [
        ("comment voir les logs", "lire-les-logs-docker-logs"),
        ("comment savoir combien de place prend docker", "espace-disque-docker-system-df"),
        ("how do i run a container", "docker-run-lancer-un-conteneur"),
    ]:
        body = (await api.get("/api/v1/search", params={"q": question})).json()
        assert body["hits"][0]["section_id"] == expected, body
