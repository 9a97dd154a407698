"""Prometheus scrape endpoint, at the conventional ``/metrics`` (outside ``/api/v1``).

Counters hold no user ids or commands, only closed sets of labels, so the page is not secret;
still, the compose file publishes the port on loopback only, and a reverse proxy in front should
keep ``/metrics`` to the monitoring network.
"""

from fastapi import APIRouter
from fastapi.responses import Response

from moussaillon.handlers.rest.deps import ServicesDep
from moussaillon.ops.metrics import CONTENT_TYPE

router = APIRouter(tags=["operations"])


@router.get("/metrics", include_in_schema=False)
async def metrics(services: ServicesDep) -> Response:
    return Response(await services.metrics.render(), media_type=CONTENT_TYPE)
