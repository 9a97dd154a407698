"""What ``/docs`` shows: the pages, with their assets served here, and a truthful schema.

FastAPI's pages load Swagger UI and ReDoc from a CDN, so they are blank offline or behind a
school's proxy. ``fastapi-offline`` ships the same assets in its wheel; they are served here under
``/docs-assets`` and the pages point only there. FastAPI also documents every 422 as its own
``HTTPValidationError``, while this API answers every error as ``{"error": {code, message}}``.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from moussaillon.handlers.rest.schemas import ErrorResponse

ASSETS_URL = "/docs-assets"
ASSETS = files("fastapi_offline") / "static"


def install_docs(api: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """The app must be built with ``docs_url=None, redoc_url=None`` (FastAPI's CDN pages)."""
    api.mount(ASSETS_URL, StaticFiles(directory=str(ASSETS)), name="docs-assets")

    def assets(request: Request) -> str:
        return f"{request.scope.get('root_path', '')}{ASSETS_URL}"

    @api.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        base = assets(request)
        return get_swagger_ui_html(
            openapi_url=f"{request.scope.get('root_path', '')}{api.openapi_url}",
            title=f"{api.title} - Swagger UI",
            swagger_js_url=f"{base}/swagger-ui-bundle.js",
            swagger_css_url=f"{base}/swagger-ui.css",
            swagger_favicon_url=f"{base}/favicon.png",
        )

    @api.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        base = assets(request)
        return get_redoc_html(
            openapi_url=f"{request.scope.get('root_path', '')}{api.openapi_url}",
            title=f"{api.title} - ReDoc",
            redoc_js_url=f"{base}/redoc.standalone.js",
            redoc_favicon_url=f"{base}/favicon.png",
            with_google_fonts=False,
        )


def document_errors(api: FastAPI) -> None:
    """Every documented error response (4xx, 5xx) gets the ``ErrorResponse`` body it really has."""
    generate = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            _errors_as_answered(generate())
        return api.openapi_schema  # type: ignore[return-value]

    api.openapi = openapi  # type: ignore[method-assign]


def _errors_as_answered(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error.pop("$defs", {}))
    components["ErrorResponse"] = error
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for code, response in operation.get("responses", {}).items():
                if not (code.isdigit() and int(code) >= 400):
                    continue
                if code == "422" or "content" not in response:
                    response["content"] = body
                if code == "422" and response.get("description") == "Validation Error":
                    response["description"] = "Invalid request: the message names the field"
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
