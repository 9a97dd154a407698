"""The caller's own data: their progress and their API tokens (``me.*`` in the permissions)."""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from moussaillon.classes.progress import StudentProgress
from moussaillon.core.errors import NotFound
from moussaillon.core.tokens import TokenOwner
from moussaillon.handlers.rest.deps import ServicesDep, requires
from moussaillon.handlers.rest.routes.classes import NEEDS_TOKEN, TokenOut

router = APIRouter(tags=["me"])


@router.get("/me/progress", responses=NEEDS_TOKEN)
async def my_progress(
    owner: Annotated[TokenOwner, requires("me.progress")], services: ServicesDep
) -> StudentProgress:
    return await services.classes.progress.student(owner.user_id)


@router.post("/me/terminal", responses=NEEDS_TOKEN)
async def my_terminal(
    owner: Annotated[TokenOwner, requires("me.terminal")], services: ServicesDep
) -> Response:
    """A new certificate for the caller's own docker CLI: a zip of ca.pem, cert.pem, key.pem
    and config.json (a bearer token, for a CLI that cannot send the certificate); the ``docker
    context`` commands in ``X-Docker-Context``, those of the token in ``X-Docker-Context-Token``
    (one line, joined by `` && ``)."""
    if services.terminal is None:
        raise NotFound("terminal.unavailable")
    bundle = await services.terminal.issue(owner.user_id)
    return Response(
        bundle.zip(),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{services.terminal.zip_name}"',
            "X-Docker-Context": services.terminal.commands().replace("\n", " && "),
            "X-Docker-Context-Token": services.terminal.token_commands().replace("\n", " && "),
        },
    )


@router.delete("/me/terminal", status_code=204, responses=NEEDS_TOKEN)
async def revoke_my_terminal(
    owner: Annotated[TokenOwner, requires("me.terminal")], services: ServicesDep
) -> Response:
    """Revoke every certificate of the caller: their docker CLI stops reaching the sandbox."""
    if services.terminal is not None:
        await services.terminal.revoke(owner.user_id)
    return Response(status_code=204)


@router.get("/me/tokens", responses=NEEDS_TOKEN)
async def my_tokens(
    owner: Annotated[TokenOwner, requires("me.tokens")], services: ServicesDep
) -> list[TokenOut]:
    return [TokenOut(**row) for row in await services.tokens.list(owner.user_id)]


@router.delete("/me/tokens/{token_id}", status_code=204, responses=NEEDS_TOKEN)
async def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**62)],
    owner: Annotated[TokenOwner, requires("me.tokens")],
    services: ServicesDep,
) -> Response:
    """Revoke one of the caller's own tokens (the one in use too: it stops working at once)."""
    if not await services.tokens.revoke(token_id, user_id=owner.user_id):
        raise NotFound("classes.token_unknown", id=token_id)
    return Response(status_code=204)
