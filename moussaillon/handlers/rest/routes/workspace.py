"""The caller's workspace over REST: the same files and bounds as in Telegram.

A file's body is its raw bytes (``PUT``, and ``GET`` answers them), so binaries need no
encoding; an archive is posted raw too, its name in the query. Bodies are read in chunks and
refused the moment they pass the workspace's bound (the app's ``BodyLimit`` caps them anyway).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from moussaillon.handlers.rest.deps import OwnerDep, ServicesDep
from moussaillon.handlers.rest.schemas import ErrorResponse, Responses
from moussaillon.workspace import WorkspaceFile, WorkspaceService
from moussaillon.workspace.text import is_text

router = APIRouter(tags=["workspace"])

ERRORS: Responses = {
    401: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    413: {"model": ErrorResponse},
    422: {"model": ErrorResponse},
}
FilePath = Annotated[str, Path(min_length=1, max_length=1024, examples=["app/index.php"])]


class WorkspaceLimitsOut(BaseModel):
    max_files: int
    max_total_bytes: int
    max_file_bytes: int
    max_depth: int


class WorkspaceOut(BaseModel):
    files: list[WorkspaceFile]
    count: int
    total_bytes: int
    limits: WorkspaceLimitsOut


class ArchiveOut(BaseModel):
    files: list[WorkspaceFile]  # the files the archive added or replaced


async def _body(request: Request, workspace: WorkspaceService, name: str) -> bytes:
    """The request's body, refused as soon as it is larger than ``name`` may be."""
    declared = request.headers.get("content-length")
    workspace.check_upload(name, int(declared) if declared and declared.isdigit() else None)
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        workspace.check_upload(name, received)
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/workspace", responses=ERRORS)
async def workspace_tree(owner: OwnerDep, services: ServicesDep) -> WorkspaceOut:
    workspace = services.workspace
    files = await workspace.list(owner.user_id)
    limits = workspace.limits
    return WorkspaceOut(
        files=files,
        count=len(files),
        total_bytes=sum(f.size for f in files),
        limits=WorkspaceLimitsOut(
            max_files=limits.max_files,
            max_total_bytes=limits.max_total,
            max_file_bytes=limits.max_file,
            max_depth=limits.max_depth,
        ),
    )


@router.get(
    "/workspace/files/{path:path}",
    responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}}},
    response_class=Response,
)
async def read_file(path: FilePath, owner: OwnerDep, services: ServicesDep) -> Response:
    """The file's bytes (``text/plain`` when it is UTF-8 text)."""
    data = await services.workspace.read(owner.user_id, path)
    kind = "text/plain; charset=utf-8" if is_text(data) else "application/octet-stream"
    return Response(data, media_type=kind)


@router.put(
    "/workspace/files/{path:path}",
    responses=ERRORS,
    openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {}}}},
)
async def write_file(
    path: FilePath, request: Request, owner: OwnerDep, services: ServicesDep
) -> WorkspaceFile:
    """Create or replace a file with the request's raw body."""
    data = await _body(request, services.workspace, path)
    return await services.workspace.write(owner.user_id, path, data)


@router.delete("/workspace/files/{path:path}", status_code=204, responses=ERRORS)
async def delete_file(path: FilePath, owner: OwnerDep, services: ServicesDep) -> Response:
    """A file, or a folder with everything in it."""
    await services.workspace.delete(owner.user_id, path)
    return Response(status_code=204)


@router.post(
    "/workspace/archive",
    status_code=201,
    responses=ERRORS,
    openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {}}}},
)
async def import_archive(
    request: Request,
    owner: OwnerDep,
    services: ServicesDep,
    name: Annotated[str, Query(min_length=1, max_length=255, examples=["project.tar.gz"])],
    into: Annotated[str, Query(max_length=255, examples=["app/"])] = "",
) -> ArchiveOut:
    """A ``.zip``, ``.tar``, ``.tar.gz`` or ``.tgz`` (raw bytes), unpacked all or nothing."""
    data = await _body(request, services.workspace, name)
    return ArchiveOut(
        files=await services.workspace.import_archive(owner.user_id, name, data, into=into)
    )
