"""The FastAPI app: routes under /api/v1, errors always as JSON with a readable message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.handlers.rest import dashboard
from moussaillon.handlers.rest.deps import lang_of
from moussaillon.handlers.rest.docs import document_errors, install_docs
from moussaillon.handlers.rest.limits import BodyLimit
from moussaillon.handlers.rest.routes import (
    classes,
    course,
    health,
    labs,
    me,
    metrics,
    sandbox,
    shell,
    workspace,
)
from moussaillon.handlers.rest.routes.live import include_quiz_routes

if TYPE_CHECKING:
    from moussaillon.services import Services


def _lang(request: Request) -> str:
    return lang_of(request.headers.get("accept-language"))


def _error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def create_api(services: Services) -> FastAPI:
    api = FastAPI(
        title="Moussaillon",
        summary="The course, its search and the Docker sandbox of Moussaillon.",
        version="1",
        docs_url=None,  # install_docs: the same pages, their assets served here, not a CDN's
        redoc_url=None,
    )
    api.state.services = services
    install_docs(api)
    document_errors(api)

    @api.exception_handler(MoussaillonError)
    async def domain_error(request: Request, exc: MoussaillonError) -> JSONResponse:
        headers = None
        retry_after = getattr(exc, "retry_after", None)  # the sandbox's RateLimited
        if retry_after is not None:
            headers = {"Retry-After": str(max(1, round(retry_after)))}
        return _error(exc.status, exc.key, exc.message(_lang(request)), headers)

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if isinstance(exc.detail, dict):
            return _error(exc.status_code, exc.detail["code"], exc.detail["message"], exc.headers)
        return _error(exc.status_code, "api.http", str(exc.detail), exc.headers)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(
            422,
            "api.invalid",
            t("api.invalid", _lang(request), where=where, detail=first.get("msg", "")),
        )

    for router in (health.router, course.router, sandbox.router, shell.router, labs.router):
        api.include_router(router, prefix="/api/v1")
    api.include_router(classes.router, prefix="/api/v1")
    api.include_router(me.router, prefix="/api/v1")
    api.include_router(workspace.router, prefix="/api/v1")
    api.include_router(dashboard.router)  # /classes/{id}: the instructors' page
    include_quiz_routes(api)
    api.include_router(metrics.router)  # /metrics, where Prometheus looks by default
    # Outside every route, so no body is read past the cap (FastAPI reads it before the auth).
    api.add_middleware(BodyLimit, max_bytes=services.settings.http_max_body_kb * 1024)
    return api
