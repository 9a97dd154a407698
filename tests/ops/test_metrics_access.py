"""Who may read /metrics: nobody on the API's port by default, a bearer of
MOUSSAILLON_METRICS_TOKEN when it is set, anyone reaching the separate listener when
MOUSSAILLON_METRICS_PORT opens it (loopback by default)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.core.i18n import t
from moussaillon.handlers.rest.app import create_api
from tests.conftest import make_settings
from tests.handlers.rest.served import free_port, serving

TOKEN = "s3cret-metrics-token-0123456789"


async def client_for(tmp_path: Path, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    async with build_services(make_settings(tmp_path, **settings), sandbox=False) as services:
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


@pytest.fixture
async def public(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(tmp_path):
        yield client


@pytest.fixture
async def guarded(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(tmp_path, metrics_token=TOKEN):
        yield client


async def test_without_a_token_setting_metrics_are_not_on_the_api_port(public):
    metrics = await public.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    unknown = await public.get("/no-such-page")
    assert metrics.status_code == 404
    assert metrics.json() == unknown.json()  # indistinguishable from a path that does not exist
    assert "moussaillon_" not in metrics.text


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong-token-0123456789", f"Basic {TOKEN}", f"Bearer {TOKEN}x"],
)
async def test_with_a_token_setting_a_wrong_or_missing_bearer_gets_401(guarded, authorization):
    headers = {"accept-language": "en"}
    if authorization is not None:
        headers["authorization"] = authorization
    response = await guarded.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "error": {"code": "api.unauthorized", "message": t("api.metrics_unauthorized", "en")}
    }


async def test_with_a_token_setting_the_bearer_reads_the_metrics(guarded):
    response = await guarded.get("/metrics", headers={"authorization": f"bearer  {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE moussaillon_sandbox_commands_total counter" in response.text


def test_the_separate_listener_serves_metrics_and_nothing_else(tmp_path: Path):
    """Real uvicorn: ``moussaillon serve`` with both settings, two listeners in one process."""
    port = free_port()
    with serving(
        tmp_path, MOUSSAILLON_METRICS_PORT=str(port), MOUSSAILLON_METRICS_TOKEN=TOKEN
    ) as server:
        listener = f"http://127.0.0.1:{port}"
        scraped = httpx.get(f"{listener}/metrics")
        assert scraped.status_code == 200, scraped.text
        assert "# TYPE moussaillon_telegram_updates_total counter" in scraped.text
        assert httpx.get(f"{listener}/api/v1/health").status_code == 404
        assert httpx.get(f"{listener}/docs").status_code == 404

        assert httpx.get(f"{server.url}/metrics").status_code == 401
        bearer = {"authorization": f"Bearer {TOKEN}"}
        assert httpx.get(f"{server.url}/metrics", headers=bearer).status_code == 200


def test_without_a_port_setting_there_is_no_second_listener(tmp_path: Path):
    with serving(tmp_path, MOUSSAILLON_LOG_LEVEL="INFO") as server:
        assert httpx.get(f"{server.url}/metrics").status_code == 404
        log = server.log.read_text()
    assert "Prometheus metrics on" not in log
    assert log.count("Uvicorn running on") == 1


def _serve_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "moussaillon", "serve"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )


def test_a_short_metrics_token_stops_start_up_without_echoing_it(tmp_path: Path):
    result = _serve_with(tmp_path, MOUSSAILLON_METRICS_TOKEN="hunter2")
    assert result.returncode != 0
    assert "MOUSSAILLON_METRICS_TOKEN" in result.stderr and "16" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_the_metrics_port_cannot_be_the_api_port(tmp_path: Path):
    result = _serve_with(tmp_path, MOUSSAILLON_HTTP_PORT="8123", MOUSSAILLON_METRICS_PORT="8123")
    assert result.returncode != 0 and "MOUSSAILLON_METRICS_PORT" in result.stderr


def test_empty_metrics_settings_mean_off(tmp_path: Path):
    settings = make_settings(tmp_path, metrics_token="", metrics_port="")
    assert settings.metrics_token is None and settings.metrics_port is None
