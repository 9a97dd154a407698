"""The labs (TP) over REST: statements are public, progress and checks need a bearer token."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path
from pydantic import BaseModel, Field

from moussaillon.core.i18n import t
from moussaillon.core.tokens import TokenOwner
from moussaillon.handlers.rest.deps import LangDep, OwnerDep, ServicesDep, get_owner
from moussaillon.handlers.rest.schemas import ErrorResponse, Responses
from moussaillon.labs.model import SandboxLevel
from moussaillon.labs.service import CorrectionLocked, LabStatus, LabView

router = APIRouter(tags=["labs"])

LabId = Annotated[str, Path(max_length=64)]
StepNumber = Annotated[int, Path(ge=1, le=999)]
NEEDS_TOKEN: Responses = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}


async def optional_owner(
    services: ServicesDep, lang: LangDep, authorization: Annotated[str | None, Header()] = None
) -> TokenOwner | None:
    """The caller when a token is given (a wrong one is still refused), else anonymous."""
    if not authorization:
        return None
    return await get_owner(services, lang, authorization)


MaybeOwnerDep = Annotated[TokenOwner | None, Depends(optional_owner)]


class StatusOut(BaseModel):
    state: str
    label: str
    done: int
    total: int


class LabSummaryOut(BaseModel):
    id: str
    order: int
    title: str
    sandbox: SandboxLevel
    steps: int
    checked_steps: int
    status: StatusOut | None = None


class StepOut(BaseModel):
    number: int
    instruction: str
    checkable: bool


class CorrectionOut(BaseModel):
    commands: list[str]
    explanation: str
    files: dict[str, str] = Field(
        default_factory=dict, description="path -> text; POST …/correction/files loads them"
    )


class LabOut(LabSummaryOut):
    objective: str
    prerequisites: list[str]
    limitations: str
    sandbox_note: str
    step_list: list[StepOut]
    starter_files: list[str] = Field(
        default_factory=list, description="put in the workspace when the lab is first opened"
    )
    correction: CorrectionOut | None = None
    correction_note: str | None = None


class ProgressOut(BaseModel):
    lab_id: str
    current_step: int
    instruction: str
    checkable: bool
    done_steps: list[int]
    finished: bool
    seeded: list[str] = Field(
        default_factory=list, description="starter files this call put into the workspace"
    )
    kept: list[str] = Field(
        default_factory=list, description="starter files left out: the caller had their own"
    )


class FilesOut(BaseModel):
    lab_id: str
    files: list[str] = Field(description="the files written into the workspace")


class HintOut(BaseModel):
    step: int
    hint: str


class FindingOut(BaseModel):
    ok: bool
    key: str
    text: str


class CheckOut(BaseModel):
    step: int
    ok: bool
    missing: list[str]
    findings: list[FindingOut]
    status: StatusOut


def _status(status: LabStatus, lang: str) -> StatusOut:
    return StatusOut(
        state=status.state, label=status.label(lang), done=status.done, total=status.total
    )


def _progress(view: LabView) -> ProgressOut:
    return ProgressOut(
        lab_id=view.lab_id,
        current_step=view.step,
        instruction=view.instruction,
        checkable=view.checkable,
        done_steps=view.done_steps,
        finished=view.finished,
        seeded=view.seeded,
        kept=view.kept,
    )


@router.get("/labs")
async def list_labs(
    services: ServicesDep, lang: LangDep, owner: MaybeOwnerDep
) -> list[LabSummaryOut]:
    statuses = {}
    if owner is not None:
        statuses = {s.lab_id: s for s in await services.labs.list_for(owner.user_id)}
    return [
        LabSummaryOut(
            id=lab.id,
            order=lab.order,
            title=lab.title,
            sandbox=lab.sandbox,
            steps=len(lab.steps),
            checked_steps=lab.checked_steps,
            status=_status(statuses[lab.id], lang) if lab.id in statuses else None,
        )
        for lab in services.labs.labs
    ]


@router.get(
    "/labs/{lab_id}", responses={401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}
)
async def lab_statement(
    lab_id: LabId, services: ServicesDep, lang: LangDep, owner: MaybeOwnerDep
) -> LabOut:
    """The statement; the correction only when the caller may see it (never anonymously)."""
    lab = services.labs.labs.get(lab_id)
    status, correction = None, None
    note: str | None = t("labs.api.correction_needs_token", lang)
    if owner is not None:
        status = _status(await services.labs.status(owner.user_id, lab_id), lang)
        try:
            found = await services.labs.correction(owner.user_id, lab_id)
            correction, note = CorrectionOut(**found.model_dump()), None
        except CorrectionLocked as locked:
            note = locked.message(lang)
    return LabOut(
        id=lab.id,
        order=lab.order,
        title=lab.title,
        sandbox=lab.sandbox,
        steps=len(lab.steps),
        checked_steps=lab.checked_steps,
        status=status,
        objective=lab.objective.strip(),
        prerequisites=list(lab.prerequisites),
        limitations=lab.limitations.strip(),
        sandbox_note=t(f"labs.sandbox.{lab.sandbox}", lang),
        step_list=[
            StepOut(
                number=n, instruction=step.instruction.strip(), checkable=step.check is not None
            )
            for n, step in enumerate(lab.steps, start=1)
        ],
        starter_files=list(lab.starter),
        correction=correction,
        correction_note=note,
    )


@router.post("/labs/{lab_id}/open", responses=NEEDS_TOKEN)
async def open_lab(lab_id: LabId, services: ServicesDep, owner: OwnerDep) -> ProgressOut:
    """Start or resume the lab: the caller's current step."""
    return _progress(await services.labs.open(owner.user_id, lab_id))


@router.post(
    "/labs/{lab_id}/starter",
    responses={**NEEDS_TOKEN, 422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
async def seed_starter(lab_id: LabId, services: ServicesDep, owner: OwnerDep) -> FilesOut:
    """Put the lab's starter files (back) into the caller's workspace, over the caller's
    files of the same names."""
    files = await services.labs.seed_starter(owner.user_id, lab_id)
    return FilesOut(lab_id=lab_id, files=files)


@router.post(
    "/labs/{lab_id}/correction/files",
    responses={
        **NEEDS_TOKEN,
        403: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def load_correction(lab_id: LabId, services: ServicesDep, owner: OwnerDep) -> FilesOut:
    """Load the correction's files into the caller's workspace (over the caller's files of the
    same names), once they may see it."""
    files = await services.labs.load_correction(owner.user_id, lab_id)
    return FilesOut(lab_id=lab_id, files=files)


@router.post("/labs/{lab_id}/next", responses=NEEDS_TOKEN)
async def next_step(lab_id: LabId, services: ServicesDep, owner: OwnerDep) -> ProgressOut:
    return _progress(await services.labs.next_step(owner.user_id, lab_id))


@router.get("/labs/{lab_id}/steps/{step}/hint", responses=NEEDS_TOKEN)
async def hint(lab_id: LabId, step: StepNumber, services: ServicesDep, owner: OwnerDep) -> HintOut:
    return HintOut(step=step, hint=await services.labs.hint(owner.user_id, lab_id, step))


@router.post("/labs/{lab_id}/steps/{step}/done", responses=NEEDS_TOKEN)
async def mark_done(
    lab_id: LabId, step: StepNumber, services: ServicesDep, owner: OwnerDep
) -> ProgressOut:
    """The caller says the step is done; the answer is the next step not done yet."""
    return _progress(await services.labs.mark_done(owner.user_id, lab_id, step))


@router.post(
    "/labs/{lab_id}/steps/{step}/check",
    responses={**NEEDS_TOKEN, 422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
async def check_step(
    lab_id: LabId, step: StepNumber, services: ServicesDep, lang: LangDep, owner: OwnerDep
) -> CheckOut:
    """Run the step's check on the caller's sandbox; a pass marks the step done."""
    result = await services.practice.check(owner.user_id, lab_id, step, lang)
    status = await services.labs.status(owner.user_id, lab_id)
    return CheckOut(
        step=step,
        ok=result.ok,
        missing=result.missing,
        findings=[FindingOut(ok=f.ok, key=f.key, text=f.text(lang)) for f in result.details],
        status=_status(status, lang),
    )
