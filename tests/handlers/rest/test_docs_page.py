"""``/docs`` works offline: its page names only this server's URLs, they answer with the real
Swagger UI assets, and a headless Chromium with no network beyond this machine renders it. The
schema it shows documents errors as the API answers them."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from moussaillon.handlers.rest.schemas import ErrorResponse
from tests.handlers.rest.browser import serving

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


async def _assets(api, page: str) -> dict[str, str]:
    response = await api.get(page)
    assert response.status_code == 200
    urls = ASSET.findall(response.text)
    assert urls, response.text
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "http://" not in response.text and "https://" not in response.text
    return {url: response.text for url in urls}


async def test_docs_and_redoc_name_only_local_assets_that_answer_with_js_and_css(api):
    kinds: dict[str, int] = {}
    for page in ("/docs", "/redoc"):
        for url in await _assets(api, page):
            asset = await api.get(url)
            assert asset.status_code == 200, url
            kind = asset.headers["content-type"].split(";")[0]
            kinds[kind] = max(kinds.get(kind, 0), len(asset.content))
    assert kinds["text/javascript"] > 500_000  # the Swagger UI bundle itself, not a stub
    assert kinds["text/css"] > 50_000
    assert "image/png" in kinds


async def test_every_documented_error_is_the_error_body_the_api_answers(api):
    spec = (await api.get("/openapi.json")).json()
    assert "HTTPValidationError" not in json.dumps(spec)
    unprocessable = [
        (path, method, op["responses"]["422"])
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if "422" in op["responses"]
    ]
    assert len(unprocessable) > 10
    for path, method, response in unprocessable:
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
    assert spec["components"]["schemas"]["ErrorResponse"]["required"] == ["error"]

    invalid = await api.get("/api/v1/search")  # no q: FastAPI's validation, our handler
    assert invalid.status_code == 422
    assert ErrorResponse.model_validate(invalid.json()).error.code == "api.invalid"


async def test_chromium_renders_the_operations_from_local_assets(
    services, tmp_path: Path, chromium_binary: str
):
    async with serving(services) as base:
        process = await asyncio.create_subprocess_exec(
            chromium_binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"{base}/docs",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 90)
    dom = out.decode()
    assert 'class="swagger-ui"' in dom, err.decode()[-2000:]
    assert "/api/v1/health" in dom and "opblock" in dom  # the operations, drawn by the bundle
