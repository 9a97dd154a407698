"""Students' docker commands over REST, with the same rules as in Telegram: the result at once,
or streamed as ndjson while the command runs (a build's steps as they come)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse

from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import LangDep, OwnerDep, ServicesDep
from moussaillon.handlers.rest.schemas import (
    ErrorResponse,
    Responses,
    SandboxOutputLine,
    SandboxQueuedLine,
    SandboxResult,
    SandboxResultLine,
    SandboxRun,
)
from moussaillon.labs.practice import Printed, Queued

if TYPE_CHECKING:
    from moussaillon.labs.practice import StreamEvent
    from moussaillon.sandbox import CommandResult
    from moussaillon.services import Services

router = APIRouter(tags=["sandbox"])

NDJSON = "application/x-ndjson"
ERRORS: Responses = {
    401: {"model": ErrorResponse},
    429: {"model": ErrorResponse},
    503: {"model": ErrorResponse},
}
STREAMED: Responses = {
    200: {
        "description": "One JSON object a line: `queued` and `output` lines as they come, "
        "then the `result` line, always last.",
        "content": {
            NDJSON: {
                "schema": {
                    "oneOf": [
                        line.model_json_schema()
                        for line in (SandboxQueuedLine, SandboxOutputLine, SandboxResultLine)
                    ]
                }
            }
        },
    },
    **ERRORS,
}


def _require_sandbox(services: Services, lang: str) -> None:
    if services.sandbox is None:
        raise HTTPException(
            503, detail={"code": "tg.docker_disabled", "message": t("tg.docker_disabled", lang)}
        )


def _refuse_if_limited(result: CommandResult) -> None:
    if result.verdict == "rate_limited":
        retry = max(1, round(result.retry_after or 1))
        raise HTTPException(
            429,
            detail={"code": "sandbox.rate_limited", "message": result.reason or ""},
            headers={"Retry-After": str(retry)},
        )


def _result(result: CommandResult) -> SandboxResult:
    return SandboxResult(
        exit_code=result.exit_code,
        output=result.output,
        refused=result.refused,
        reason=result.reason,
        duration_ms=result.duration_ms,
    )


def _line(event: StreamEvent | CommandResult) -> str:
    if isinstance(event, Queued):
        shown: SandboxQueuedLine | SandboxOutputLine | SandboxResultLine
        shown = SandboxQueuedLine(position=event.position)
    elif isinstance(event, Printed):
        shown = SandboxOutputLine(text=event.text)
    else:
        shown = SandboxResultLine(**_result(event).model_dump())
    return shown.model_dump_json() + "\n"


@router.post("/sandbox/run", responses=ERRORS)
async def run(
    body: SandboxRun, owner: OwnerDep, services: ServicesDep, lang: LangDep
) -> SandboxResult:
    _require_sandbox(services, lang)
    result = await services.practice.run(owner.user_id, body.command, lang)
    _refuse_if_limited(result)
    return _result(result)


@router.post("/sandbox/run/stream", response_class=StreamingResponse, responses=STREAMED)
async def run_stream(
    body: SandboxRun, owner: OwnerDep, services: ServicesDep, lang: LangDep
) -> StreamingResponse:
    """The command's output as it comes, in ndjson lines, then its result; a rate-limited
    command is answered 429 as ``POST /sandbox/run`` answers it, before any line."""
    _require_sandbox(services, lang)
    events = services.practice.stream(owner.user_id, body.command, lang)
    first = await anext(events)
    if not isinstance(first, Queued | Printed):  # the result: nothing streamed
        await events.aclose()
        _refuse_if_limited(first)

    async def lines() -> AsyncIterator[str]:
        try:
            yield _line(first)
            async for event in events:
                yield _line(event)
        finally:
            await events.aclose()

    return StreamingResponse(lines(), media_type=NDJSON)
