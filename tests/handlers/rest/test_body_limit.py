"""Request bodies are capped before anything reads them, on the real server (``moussaillon
serve`` in a subprocess, so the memory figures are the server's own).

Before the cap, a 300 MB body without a token took the server to 1 GB RSS before its 401, and
a 50 MB body with a token was accepted. The big bodies come from generators: the test never
holds them either.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from moussaillon.core.i18n import t
from tests.handlers.rest.served import Served, serving

MB = 1024 * 1024
LIMIT = 1024 * 1024  # the default MOUSSAILLON_HTTP_MAX_BODY_KB, 1024
RSS_GROWTH_KB = 50 * 1024
CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Served]:
    with serving(tmp_path_factory.mktemp("serve")) as served:
        yield served


@pytest.fixture(scope="module")
def token(server: Served) -> str:
    return server.cli("token", "create", "--user", "4242")


class Body:
    """``size`` bytes of spaces in 64 KiB chunks, counting what the client managed to hand over."""

    def __init__(self, size: int, head: bytes = b"") -> None:
        self.size, self.head, self.sent = size, head, 0

    def __iter__(self) -> Iterator[bytes]:
        block = b" " * CHUNK
        if self.head:
            self.sent += len(self.head)
            yield self.head
        while self.sent < self.size:
            part = block[: min(CHUNK, self.size - self.sent)]
            self.sent += len(part)
            yield part


def post(
    server: Served, path: str, body: Body, *, declared: bool, headers: dict | None = None
) -> tuple[httpx.Response, float]:
    """POST ``body`` streamed: with its Content-Length, or chunked (no length at all)."""
    sent_headers = {"content-type": "application/json", **(headers or {})}
    if declared:
        sent_headers["content-length"] = str(body.size)
    started = time.monotonic()
    with httpx.Client(timeout=30) as client:
        response = client.post(f"{server.url}{path}", content=iter(body), headers=sent_headers)
    return response, time.monotonic() - started


def assert_too_large(response: httpx.Response, lang: str) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["connection"] == "close"
    assert response.json() == {
        "error": {"code": "api.too_large", "message": t("api.too_large", lang, limit_kb=1024)}
    }


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize(
    ("size", "with_token", "lang"),
    [(300_000_000, False, "fr"), (50_000_000, True, "en")],
    ids=["300MB-no-token", "50MB-token"],
)
def test_big_bodies_get_413_at_once_and_the_server_stays_small(
    server: Served, token: str, size: int, with_token: bool, lang: str, declared: bool
):
    headers = {"accept-language": "en-GB,en" if lang == "en" else "fr-FR"}
    if with_token:
        headers["authorization"] = f"Bearer {token}"
    assert httpx.get(f"{server.url}/api/v1/health").status_code == 200  # warm
    server.reset_peak()
    before = server.status_kb("VmRSS")

    body = Body(size)
    response, seconds = post(
        server, "/api/v1/sandbox/run", body, declared=declared, headers=headers
    )

    assert_too_large(response, lang)
    assert seconds < 5
    # What the client got to write is the cap plus socket buffers, not the body: the server
    # stopped reading. Declared too large, nothing of it is read at all.
    assert body.sent < 16 * MB, body.sent
    peak = server.status_kb("VmHWM")
    assert peak - before < RSS_GROWTH_KB, f"server RSS grew by {(peak - before) // 1024} MiB"
    assert httpx.get(f"{server.url}/api/v1/health").status_code == 200  # still serving


def _answer(server: Served) -> dict:
    chapters = httpx.get(f"{server.url}/api/v1/quizzes").json()
    first = chapters["chapters"][0]["id"]
    question = httpx.get(f"{server.url}/api/v1/quizzes/{first}").json()["questions"][0]
    return {"question_id": question["id"], "choice": 0}


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_body_of_exactly_the_cap_is_served_one_byte_more_is_not(
    server: Served, token: str, declared: bool
):
    """A legitimate answer padded with JSON whitespace up to the cap reaches its route."""
    head = json.dumps(_answer(server)).encode()
    auth = {"authorization": f"Bearer {token}"}

    at_cap, _ = post(
        server, "/api/v1/quizzes/answers", Body(LIMIT, head), declared=declared, headers=auth
    )
    assert at_cap.status_code == 200, at_cap.text
    assert at_cap.json()["question_id"] == json.loads(head)["question_id"]

    over, _ = post(
        server, "/api/v1/quizzes/answers", Body(LIMIT + 1, head), declared=declared, headers=auth
    )
    assert_too_large(over, "fr")


def test_small_requests_still_work(server: Served, token: str):
    answer = httpx.post(
        f"{server.url}/api/v1/quizzes/answers",
        json=_answer(server),
        headers={"authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200 and "correct" in answer.json()
    unauthorized = httpx.post(f"{server.url}/api/v1/sandbox/run", json={"command": "docker ps"})
    assert unauthorized.status_code == 401
    assert unauthorized.json()["error"]["code"] == "api.unauthorized"
