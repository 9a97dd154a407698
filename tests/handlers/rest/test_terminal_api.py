"""POST /me/terminal: the caller's certificate as a zip; DELETE revokes it."""

from __future__ import annotations

import io
import json
import zipfile

import httpx

from moussaillon.app import build_services
from moussaillon.handlers.rest.app import create_api
from tests.conftest import make_settings


async def test_me_terminal_gives_a_zip_and_the_commands_then_revokes(tmp_path) -> None:
    settings = make_settings(tmp_path, terminal_port=2376, terminal_host="10.0.0.5")
    async with build_services(settings, sandbox=False) as services:
        token = await services.tokens.create(42)
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            assert (await client.post("/api/v1/me/terminal")).status_code == 401
            got = await client.post("/api/v1/me/terminal", headers=headers)
            assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
            with zipfile.ZipFile(io.BytesIO(got.content)) as z:
                assert sorted(z.namelist()) == ["ca.pem", "cert.pem", "config.json", "key.pem"]
                config = json.loads(z.read("config.json"))
            assert config["HttpHeaders"]["Authorization"].startswith("Bearer mst_")
            assert "host=tcp://10.0.0.5:2376" in got.headers["x-docker-context"]
            token_context = got.headers["x-docker-context-token"]
            assert (
                "export DOCKER_CONFIG=$HOME/.moussaillon && docker context create" in token_context
            )
            assert (await client.delete("/api/v1/me/terminal", headers=headers)).status_code == 204
        serials = await services.store.read(
            lambda db: [r["revoked_at"] for r in db["terminal_certs"].rows]
        )
        assert len(serials) == 1 and serials[0] is not None
        tokens = await services.store.read(
            lambda db: [r["revoked_at"] for r in db["terminal_tokens"].rows]
        )
        assert len(tokens) == 1 and tokens[0] is not None
