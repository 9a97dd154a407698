"""The REST API's response and request bodies."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

# A route's documented responses, as FastAPI's ``responses=`` parameter types them.
Responses = dict[int | str, dict[str, Any]]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str
    version: str
    chapters: int
    sections: int
    sandbox: bool
    schema_version: dict[str, list[str]]


class SectionRef(BaseModel):
    id: str
    title: str


class ChapterOut(BaseModel):
    id: str
    number: int
    title: str
    sections: list[SectionRef]


class CourseOut(BaseModel):
    title: str
    author: str | None
    chapters: list[ChapterOut]


class SectionOut(BaseModel):
    id: str
    title: str
    chapter_id: str
    chapter_title: str
    markdown: str
    html: str
    previous: SectionRef | None
    next: SectionRef | None


class SearchHitOut(BaseModel):
    section_id: str
    title: str
    chapter_id: str
    chapter_title: str
    snippet: str
    score: float


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]
    course_language: str = Field(default="fr", description="The course's language: French.")
    note: str | None = Field(
        default=None, description="Said when the question is in English: the course is French."
    )


class SandboxRun(BaseModel):
    command: str = Field(min_length=1, max_length=8192, examples=["docker run --rm alpine echo hi"])


class SandboxResult(BaseModel):
    exit_code: int | None
    output: str
    refused: bool
    reason: str | None
    duration_ms: int


class SandboxQueuedLine(BaseModel):
    """The command waits in the fair queue, at ``position``."""

    event: Literal["queued"] = "queued"
    position: int


class SandboxOutputLine(BaseModel):
    """A chunk of output as it came (``Step 2/5 : RUN …``)."""

    event: Literal["output"] = "output"
    text: str


class SandboxResultLine(SandboxResult):
    """Always the last line: the same result as ``POST /sandbox/run`` answers."""

    event: Literal["result"] = "result"
