"""Students' docker commands over REST, with the same rules as in Telegram."""

from fastapi import APIRouter, HTTPException

from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import LangDep, OwnerDep, ServicesDep
from moussaillon.handlers.rest.schemas import ErrorResponse, SandboxResult, SandboxRun

router = APIRouter(tags=["sandbox"])


@router.post(
    "/sandbox/run",
    responses={
        401: {"model": ErrorResponse},
        429: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def run(
    body: SandboxRun, owner: OwnerDep, services: ServicesDep, lang: LangDep
) -> SandboxResult:
    if services.sandbox is None:
        raise HTTPException(
            503, detail={"code": "tg.docker_disabled", "message": t("tg.docker_disabled", lang)}
        )
    result = await services.practice.run(owner.user_id, body.command, lang)
    if result.verdict == "rate_limited":
        retry = max(1, round(result.retry_after or 1))
        raise HTTPException(
            429,
            detail={"code": "sandbox.rate_limited", "message": result.reason or ""},
            headers={"Retry-After": str(retry)},
        )
    return SandboxResult(
        exit_code=result.exit_code,
        output=result.output,
        refused=result.refused,
        reason=result.reason,
        duration_ms=result.duration_ms,
    )
