"""A lab (TP) as written in ``content/labs/<id>.toml``: an objective, short steps, a correction.

The correction lives in its own table so no view can show it by accident: ``LabView`` never
carries it, only ``LabService.correction`` hands it out, under the release rules. A lab that
builds images brings files: ``starter`` (put in the student's workspace when the lab opens) and
``Correction.files`` (loaded on request, once the correction may be seen); ``loader.py`` reads
them from the folder named after the sheet (``programme-c/starter/prime.c``). ``limitations``
is mandatory whenever the phone sandbox cannot do the whole lab: students deserve to know before
they start what they will have to do elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from moussaillon.core.errors import NotFound
from moussaillon.labs.checks import Check

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SandboxLevel = Literal["full", "partial", "none"]
Text = Annotated[str, Field(min_length=1)]
FILE_NAME = re.compile(r"^(?!\.\.?$)[A-Za-z0-9._-]{1,64}$")
MAX_FILES = 24  # well under the workspace's own limits, so a lab never fills it alone
MAX_FILE_CHARS = 16 * 1024
MAX_DEPTH = 4
# in sandbox_commands, an address only known once the container runs (the default network,
# like docker's bridge, resolves no names): the lab tests fill it from docker inspect
IP_OF = re.compile(r"\{ip:([A-Za-z0-9][A-Za-z0-9_.-]*)\}")


def _workspace_files(value: dict[str, str]) -> dict[str, str]:
    """Files as the workspace will take them: relative POSIX paths, small text files."""
    if len(value) > MAX_FILES:
        raise ValueError(f"{len(value)} files, at most {MAX_FILES}")
    for path, text in value.items():
        parts = path.split("/")
        if len(parts) > MAX_DEPTH or not all(FILE_NAME.match(part) for part in parts):
            raise ValueError(f"{path!r} is not a relative path of at most {MAX_DEPTH} names")
        if len(text) > MAX_FILE_CHARS:
            raise ValueError(f"{path!r} is longer than {MAX_FILE_CHARS} characters")
    return dict(sorted(value.items()))


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    instruction: Text
    hint: Text
    check: Check | None = None
    sandbox_commands: list[str] = Field(
        default_factory=list,
        description="the correction commands of this step that run as is in the sandbox; "
        "{ip:NAME} stands for the IP of the student's container NAME, read in docker inspect",
    )

    @field_validator("instruction", "hint")
    @classmethod
    def _filled(cls, value: str) -> str:
        return _not_blank(value)

    @field_validator("sandbox_commands")
    @classmethod
    def _docker_commands(cls, value: list[str]) -> list[str]:
        for command in value:
            if not command.startswith("docker "):
                raise ValueError(f"not a docker command: {command!r}")
        return value


class Correction(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    commands: Annotated[list[Text], Field(min_length=1)]
    explanation: Text
    files: dict[str, str] = Field(
        default_factory=dict, description="path -> text: the solution as workspace files"
    )

    @field_validator("files")
    @classmethod
    def _files(cls, value: dict[str, str]) -> dict[str, str]:
        return _workspace_files(value)


class Lab(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str
    order: Annotated[int, Field(ge=1, description="position in the list of labs")]
    title: Text
    objective: Text
    prerequisites: list[str] = Field(default_factory=list, description="course section ids")
    sandbox: SandboxLevel
    limitations: str = Field(default="", validate_default=True)
    starter: dict[str, str] = Field(
        default_factory=dict, description="path -> text: put in the workspace as the lab opens"
    )
    steps: Annotated[list[Step], Field(alias="step", min_length=1)]
    correction: Correction

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not SLUG.match(value) or len(value) > 40:
            raise ValueError("must be a slug (a-z, 0-9, dashes), at most 40 characters")
        return value

    @field_validator("prerequisites")
    @classmethod
    def _section_ids(cls, value: list[str]) -> list[str]:
        for section in value:
            if not SLUG.match(section):
                raise ValueError(f"{section!r} is not a section id")
        return value

    @field_validator("starter")
    @classmethod
    def _starter_files(cls, value: dict[str, str]) -> dict[str, str]:
        return _workspace_files(value)

    @field_validator("limitations")
    @classmethod
    def _honest_limits(cls, value: str, info: ValidationInfo) -> str:
        level = info.data.get("sandbox", "full")
        if level != "full" and not value.strip():
            raise ValueError(f'sandbox = "{level}" needs limitations saying what to do instead')
        return value

    @field_validator("steps")
    @classmethod
    def _nothing_to_check_without_sandbox(
        cls, value: list[Step], info: ValidationInfo
    ) -> list[Step]:
        if info.data.get("sandbox") == "none":
            for number, step in enumerate(value, start=1):
                if step.check is not None or step.sandbox_commands:
                    raise ValueError(
                        f'step {number} has a check or sandbox commands, sandbox = "none"'
                    )
        return value

    @property
    def checked_steps(self) -> int:
        return sum(1 for step in self.steps if step.check is not None)


class LabSet(BaseModel):
    model_config = ConfigDict(frozen=True)

    labs: list[Lab] = Field(default_factory=list)

    def __iter__(self) -> Iterator[Lab]:  # type: ignore[override]  # labs, not BaseModel's fields
        return iter(self.labs)

    def __len__(self) -> int:
        return len(self.labs)

    def get(self, lab_id: str) -> Lab:
        for lab in self.labs:
            if lab.id == lab_id:
                return lab
        raise NotFound("labs.not_found", lab_id=lab_id)

    def find(self, ref: str) -> Lab:
        """A lab by what a student may type: the number ``/tp`` shows before it, or its id."""
        wanted = ref.strip().lower()[:64].removesuffix(".")
        for lab in self.labs:
            if wanted == lab.id or (wanted.isdigit() and int(wanted) == lab.order):
                return lab
        shown = wanted if SLUG.match(wanted) else re.sub(r"[^a-z0-9-]", "", wanted)
        raise NotFound("labs.not_found", lab_id=shown[:40])  # echoed into HTML: nothing else

    @property
    def ids(self) -> list[str]:
        return [lab.id for lab in self.labs]

    def related(self, section_id: str) -> list[Lab]:
        """The labs that list this course section among their prerequisites."""
        return [lab for lab in self.labs if section_id in lab.prerequisites]
