"""FastAPI dependencies: the same service objects the bot uses, and the caller's identity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Header, HTTPException, Request

from moussaillon.classes.permissions import Caller, check
from moussaillon.core.i18n import Lang, normalize_lang, t
from moussaillon.core.tokens import TokenOwner

if TYPE_CHECKING:
    from moussaillon.services import Services


# Dependencies are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a
# worker thread, which cost more than the whole section route.


async def get_services(request: Request) -> Services:
    return request.app.state.services


def lang_of(accept_language: str | None) -> Lang:
    return normalize_lang(accept_language.split(",")[0].strip() if accept_language else None)


async def get_lang(accept_language: Annotated[str | None, Header()] = None) -> Lang:
    return lang_of(accept_language)


ServicesDep = Annotated["Services", Depends(get_services)]
LangDep = Annotated[Lang, Depends(get_lang)]


async def bearer_owner(services: Services, authorization: str | None) -> TokenOwner | None:
    """The one place a bearer header is read: its token's owner, or None (absent or wrong)."""
    scheme, _, token = (authorization or "").partition(" ")
    return await services.tokens.verify(token.strip()) if scheme.lower() == "bearer" else None


async def get_owner(
    services: ServicesDep,
    lang: LangDep,
    authorization: Annotated[str | None, Header()] = None,
) -> TokenOwner:
    owner = await bearer_owner(services, authorization)
    if owner is None:
        raise HTTPException(
            status_code=401,
            detail={"code": "api.unauthorized", "message": t("api.unauthorized", lang)},
            headers={"WWW-Authenticate": "Bearer"},
        )
    return owner


async def get_maybe_owner(
    services: ServicesDep, authorization: Annotated[str | None, Header()] = None
) -> TokenOwner | None:
    """For pages that also take another proof (the dashboard's signed link): no 401 here."""
    return await bearer_owner(services, authorization)


OwnerDep = Annotated[TokenOwner, Depends(get_owner)]
MaybeOwnerDep = Annotated[TokenOwner | None, Depends(get_maybe_owner)]


def requires(action: str):
    """The token's owner, once ``permissions.check`` let them run ``action`` (403 otherwise,
    with the refusal's sentence). ``.action`` on the dependency names what it guards."""

    async def permitted(owner: OwnerDep, services: ServicesDep) -> TokenOwner:
        check(action, Caller.token(owner), services.classes.roles)
        return owner

    permitted.action = action  # type: ignore[attr-defined]  # read by the permission walk
    return Depends(permitted)
