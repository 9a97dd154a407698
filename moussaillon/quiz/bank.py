"""The question bank: TOML files written by hand, validated strictly into frozen models.

The limits are Telegram's quiz-poll limits (question 300, option 100, explanation 200 characters
with at most two line breaks, 2 to 10 options), so a question that loads is a question Telegram
accepts. A Telegram quiz poll has exactly one correct option: the bank keeps single-correct
questions; a question may declare ``type = "multiple"`` to carry several correct indexes, and the
bot must then ask it as a regular multiple-answer poll (or with buttons), never as a quiz poll.

Every rule is a field validator (cross-field ones read earlier fields from ``info.data``) so
that each pydantic error carries the field ``check.py`` needs to point at a line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from moussaillon.core.errors import CourseError, NotFound

BUNDLED_BANK = Path(__file__).resolve().parent / "questions"

CHAPTERS: tuple[str, ...] = (
    "concepts",
    "docker",
    "images",
    "conteneurs",
    "reseaux",
    "volumes",
    "outils",
    "dockerfile",
    "docker-compose",
    "kubernetes",
    "installation-en-entreprise",
)

QUESTION_MAX = 300
OPTION_MAX = 100
OPTIONS_MIN = 2
OPTIONS_MAX = 10
EXPLANATION_MAX = 200
EXPLANATION_MAX_BREAKS = 2
CODE_MAX = 1000
MIN_PER_CHAPTER = 10

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9]{2,}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def correct_problem(
    correct: Sequence[int], options: Sequence[str] | None, kind: str | None
) -> str | None:
    """What is wrong with the correct indexes, or None; ``options`` None means unknown."""
    if not correct:
        return "needs at least one correct index"
    if options is not None:
        for index in correct:
            if not 0 <= index < len(options):
                return f"index {index} is outside 0..{len(options) - 1}"
    if len(set(correct)) != len(correct):
        return "an index is repeated"
    if kind == "single" and len(correct) != 1:
        return (
            f"a quiz poll has exactly one correct option, got {len(correct)}"
            ' (declare type = "multiple" otherwise)'
        )
    return None


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)

    id: str
    chapter: str
    section: str = ""
    type: Literal["single", "multiple"] = "single"
    question: Annotated[str, Field(min_length=1, max_length=QUESTION_MAX)]
    options: tuple[str, ...]
    correct: tuple[int, ...]
    explanation: Annotated[str, Field(min_length=1, max_length=EXPLANATION_MAX)]
    difficulty: Annotated[int, Field(ge=1, le=3)]
    code: Annotated[str, Field(max_length=CODE_MAX)] = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("must look like 'chapter-07' (lowercase slug, dash, 2+ digits)")
        return value

    @field_validator("chapter")
    @classmethod
    def _chapter_shape(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value):
            raise ValueError("must be a chapter slug such as 'reseaux'")
        return value

    @field_validator("section")
    @classmethod
    def _section_shape(cls, value: str) -> str:
        if value and not SLUG_PATTERN.match(value):
            raise ValueError("must be a section slug (ASCII lowercase, digits, dashes)")
        return value

    @field_validator("options")
    @classmethod
    def _options_limits(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not OPTIONS_MIN <= len(value) <= OPTIONS_MAX:
            raise ValueError(f"needs {OPTIONS_MIN} to {OPTIONS_MAX} options, got {len(value)}")
        for index, option in enumerate(value):
            if not option.strip():
                raise ValueError(f"option {index} is empty")
            if len(option) > OPTION_MAX:
                raise ValueError(f"option {index} has {len(option)} characters (max {OPTION_MAX})")
        if len(set(value)) != len(value):
            raise ValueError("two options are identical")
        return value

    @field_validator("explanation")
    @classmethod
    def _explanation_breaks(cls, value: str) -> str:
        breaks = value.count("\n")
        if breaks > EXPLANATION_MAX_BREAKS:
            raise ValueError(f"has {breaks} line breaks (max {EXPLANATION_MAX_BREAKS})")
        return value

    @field_validator("correct")
    @classmethod
    def _correct_indexes(cls, value: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        problem = correct_problem(value, info.data.get("options"), info.data.get("type"))
        if problem:
            raise ValueError(problem)
        return value

    @property
    def correct_index(self) -> int:
        """The one correct option of a single-correct question (the quiz-poll case)."""
        return self.correct[0]


class QuestionBank(BaseModel):
    model_config = ConfigDict(frozen=True)

    questions: tuple[Question, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> QuestionBank:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id {question.id!r} is used twice")
            seen.add(question.id)
        return self

    @property
    def chapters(self) -> list[str]:
        """Chapter ids that have questions, in course order (unknown chapters last)."""
        present = {question.chapter for question in self.questions}
        ordered = [chapter for chapter in CHAPTERS if chapter in present]
        return ordered + sorted(present - set(CHAPTERS))

    def by_chapter(self, chapter: str) -> list[Question]:
        found = [question for question in self.questions if question.chapter == chapter]
        if not found:
            raise NotFound("quiz.unknown_chapter", chapter=chapter)
        return found

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise NotFound("quiz.unknown_question", question_id=question_id)

    def __len__(self) -> int:
        return len(self.questions)


class BankError(CourseError):
    """The bank cannot be loaded; the message names the file, the question and the field."""


def bank_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.toml")) if path.is_dir() else [path]


def read_raw(path: Path) -> list[dict[str, Any]]:
    """The ``[[question]]`` tables of one file, unvalidated."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    questions = data.get("question", [])
    if not isinstance(questions, list):
        raise BankError("quiz.bank_invalid", file=path.name, detail="[[question]] expected")
    return questions


def describe_error(error: Any) -> tuple[str, str]:
    """(field, message) for one pydantic error."""
    location: Sequence[Any] = error.get("loc") or ()
    field = str(location[0]) if location else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    if len(location) > 1:
        message = f"item {location[1]}: {message}"
    return field, message


def load_bank(path: Path = BUNDLED_BANK) -> QuestionBank:
    """Load a bank file or a folder of them; the first problem stops loading with a clear error.

    ``moussaillon quiz check`` reports every problem with its line; this is the fail-fast path
    the bot takes at start-up.
    """
    questions: list[Question] = []
    for file in bank_files(path):
        try:
            raw_questions = read_raw(file)
        except tomllib.TOMLDecodeError as exc:
            raise BankError("quiz.bank_invalid", file=file.name, detail=str(exc)) from None
        for position, raw in enumerate(raw_questions, start=1):
            try:
                questions.append(Question.model_validate(raw))
            except ValidationError as exc:
                field, message = describe_error(exc.errors()[0])
                name = raw.get("id", f"#{position}") if isinstance(raw, dict) else f"#{position}"
                raise BankError(
                    "quiz.bank_invalid", file=file.name, detail=f"{name}: {field}: {message}"
                ) from None
    try:
        return QuestionBank(questions=tuple(questions))
    except ValidationError as exc:
        raise BankError(
            "quiz.bank_invalid", file=str(path), detail=exc.errors()[0]["msg"]
        ) from None
