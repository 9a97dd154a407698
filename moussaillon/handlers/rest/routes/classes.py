"""Instructors' classes over REST: progress (JSON or CSV), broadcasts, lab releases.

Who may call is decided by ``permissions.check`` over ``roles.PERMISSIONS`` (the same function
and table the bot uses), through ``deps.requires``; an instructor only ever sees their own classes
(another's class id answers 404, as an unknown one does).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from moussaillon.classes.broadcasts import BroadcastReport
from moussaillon.classes.progress import StudentProgress, to_csv
from moussaillon.classes.releases import Release
from moussaillon.classes.service import ClassInfo
from moussaillon.core.tokens import TokenOwner
from moussaillon.handlers.rest.deps import ServicesDep, requires
from moussaillon.handlers.rest.schemas import ErrorResponse, Responses

router = APIRouter(tags=["classes"])

NEEDS_TOKEN: Responses = {401: {"model": ErrorResponse}}
INSTRUCTORS: Responses = {
    401: {"model": ErrorResponse},
    403: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
}
ClassId = Annotated[int, Path(ge=1, le=2**62)]


class TokenOut(BaseModel):
    id: int
    user_id: int
    label: str | None
    instructor: bool
    created_at: str
    revoked_at: str | None


class BroadcastIn(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=3500)]


class BroadcastCreated(BaseModel):
    id: int
    total: int


class ReleaseIn(BaseModel):
    at: datetime | None = Field(
        default=None, description="when to release (ISO 8601 with offset); absent: now"
    )


@router.get("/classes", responses=INSTRUCTORS)
async def my_classes(
    services: ServicesDep, owner: Annotated[TokenOwner, requires("classes.list")]
) -> list[ClassInfo]:
    return await services.classes.classes.of_instructor(owner.user_id)


@router.get(
    "/classes/{class_id}/progress",
    responses=INSTRUCTORS,
    response_model=list[StudentProgress],  # the JSON; the CSV is a plain Response
)
async def class_progress(
    class_id: ClassId,
    services: ServicesDep,
    owner: Annotated[TokenOwner, requires("classes.progress")],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> list[StudentProgress] | Response:
    await services.classes.classes.owned(class_id, owner.user_id)
    rows = await services.classes.progress.of_class(class_id)
    if format == "csv":
        return Response(
            to_csv(rows), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="classe-{class_id}.csv"'},
        )
    return rows


@router.post("/classes/{class_id}/broadcasts", status_code=202, responses=INSTRUCTORS)
async def broadcast(
    class_id: ClassId,
    body: BroadcastIn,
    services: ServicesDep,
    owner: Annotated[TokenOwner, requires("classes.broadcast")],
) -> BroadcastCreated:
    """Queue an announcement; follow its delivery with the report route."""
    await services.classes.classes.owned(class_id, owner.user_id)
    hub = services.classes
    broadcast_id = await hub.broadcasts.create(class_id, "announcement", body.text, owner.user_id)
    report = await hub.broadcasts.report(broadcast_id)
    return BroadcastCreated(id=broadcast_id, total=report.total)


@router.get("/classes/{class_id}/broadcasts/{broadcast_id}", responses=INSTRUCTORS)
async def broadcast_report(
    class_id: ClassId,
    broadcast_id: Annotated[int, Path(ge=1, le=2**62)],
    services: ServicesDep,
    owner: Annotated[TokenOwner, requires("classes.broadcast")],
) -> BroadcastReport:
    await services.classes.classes.owned(class_id, owner.user_id)
    return await services.classes.broadcasts.report(broadcast_id, class_id)


@router.post("/classes/{class_id}/labs/{lab_id}/release", responses=INSTRUCTORS)
async def release(
    class_id: ClassId,
    lab_id: Annotated[str, Path(max_length=100)],
    services: ServicesDep,
    owner: Annotated[TokenOwner, requires("classes.release")],
    body: ReleaseIn | None = None,
) -> Release:
    """Release a lab's correction to the class now, or schedule it (it survives restarts)."""
    await services.classes.classes.owned(class_id, owner.user_id)
    when = body.at if body is not None else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=services.classes.tz)
    return await services.classes.releases.schedule(class_id, lab_id, owner.user_id, when)
