"""Prometheus scrape endpoint, at the conventional ``/metrics`` (outside ``/api/v1``).

The counters hold no user ids or commands, but they tell how busy the sandbox is, how many
students answer, how broadcasts fare: not for whoever reaches the API port. So:

- on the API's port, ``/metrics`` answers 404 like any unknown path unless
  ``MOUSSAILLON_METRICS_TOKEN`` is set; then it wants ``Authorization: Bearer <token>``
  (Prometheus: ``authorization: {credentials_file: …}``) and answers 401 otherwise;
- ``MOUSSAILLON_METRICS_PORT`` opens a second small listener (``MOUSSAILLON_METRICS_HOST``,
  loopback by default) serving only ``/metrics``, without token: its bind is its protection.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, FastAPI, Header, HTTPException
from fastapi.responses import Response

from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import LangDep, ServicesDep
from moussaillon.handlers.rest.limits import BodyLimit
from moussaillon.ops.metrics import CONTENT_TYPE

if TYPE_CHECKING:
    from moussaillon.services import Services

router = APIRouter(tags=["operations"])
open_router = APIRouter(tags=["operations"])


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@router.get("/metrics", include_in_schema=False)
async def metrics(
    services: ServicesDep,
    lang: LangDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    expected = services.settings.metrics_token
    if expected is None:
        raise HTTPException(status_code=404)  # the very answer of an unknown path
    given = _bearer(authorization).encode()
    if not hmac.compare_digest(given, expected.get_secret_value().encode()):
        raise HTTPException(
            status_code=401,
            detail={"code": "api.unauthorized", "message": t("api.metrics_unauthorized", lang)},
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Response(await services.metrics.render(), media_type=CONTENT_TYPE)


@open_router.get("/metrics")
async def open_metrics(services: ServicesDep) -> Response:
    return Response(await services.metrics.render(), media_type=CONTENT_TYPE)


def create_metrics_app(services: Services) -> FastAPI:
    """The separate listener's app: ``/metrics`` and nothing else, no docs, no token."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.services = services
    app.include_router(open_router)
    app.add_middleware(BodyLimit, max_bytes=services.settings.http_max_body_kb * 1024)
    return app
