import functools
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from moussaillon.handlers.rest.deps import ServicesDep
from moussaillon.handlers.rest.schemas import Health

router = APIRouter(tags=["health"])


@functools.cache
def _version() -> str:
    """Read once: importlib.metadata scans the site-packages on every call (~0.6 ms)."""
    try:
        return version("moussaillon")
    except PackageNotFoundError:
        return "dev"


@router.get("/health")
async def health(services: ServicesDep) -> Health:
    course = services.course.course
    return Health(
        status="ok",
        version=_version(),
        chapters=len(course.chapters),
        sections=len(course.sections),
        sandbox=services.sandbox is not None,
        schema_version=services.store.schema_version(),
    )
