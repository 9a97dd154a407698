"""``moussaillon quiz check``: every problem of the bank at once, each with its file and line.

``load_bank`` stops at the first problem, which is right for start-up but tedious for whoever
writes questions. tomllib gives no positions, so lines are found by scanning the text: the n-th
``[[question]]`` header opens the n-th question, and a field's line is the first ``key =`` inside
that block (lines inside multi-line strings are skipped). A missing field points at the header.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from moussaillon.content.deck import load_course
from moussaillon.quiz.bank import (
    BUNDLED_BANK,
    CHAPTERS,
    MIN_PER_CHAPTER,
    Question,
    bank_files,
    correct_problem,
    describe_error,
    read_raw,
)

HEADER = re.compile(r"^\s*\[\[\s*question\s*\]\]")
TOML_LINE = re.compile(r"line (\d+)")
KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=")


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    question_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        what = " ".join(part for part in (self.question_id, self.field) if part)
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"


@dataclass
class _Block:
    start: int
    keys: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        return self.keys.get(key or "", self.start)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    open_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        if HEADER.match(line):
            blocks.append(_Block(number))
            continue
        match = KEY.match(line)
        if match and blocks:
            blocks[-1].keys.setdefault(match.group(1), number)
        for delimiter in ('"""', "'''"):
            if line.count(delimiter) % 2 == 1:
                open_string = delimiter
                break
    return blocks


def course_outline(course_path: Path) -> dict[str, set[str]]:
    """Chapter id → section ids, as the course loader computes them."""
    course = load_course(course_path).course
    return {chapter.id: {section.id for section in chapter.sections} for chapter in course.chapters}


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int:
    """tomllib only puts the position in its message before Python 3.14."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = TOML_LINE.search(str(exc))
    return int(match.group(1)) if match else 1


def _raw_correct_problem(raw: Any) -> str | None:
    """Index problems still worth reporting when the options themselves are invalid."""
    options, correct = raw.get("options"), raw.get("correct")
    if not isinstance(options, list) or not isinstance(correct, list):
        return None
    if not all(isinstance(index, int) for index in correct):
        return None
    return correct_problem(correct, options, raw.get("type", "single"))


def _check_file(file: Path, outline: dict[str, set[str]] | None) -> tuple[list[Problem], list]:
    name = file.name
    try:
        text = file.read_text(encoding="utf-8")
        raw_questions = read_raw(file)
    except tomllib.TOMLDecodeError as exc:
        return [
            Problem(
                file=name,
                line=_toml_error_line(exc),
                question_id=None,
                field=None,
                message=f"TOML syntax: {exc}",
            )
        ], []
    except Exception as exc:
        return [Problem(file=name, line=1, question_id=None, field=None, message=str(exc))], []
    blocks = _blocks(text)
    problems: list[Problem] = []
    located: list[tuple[str, int, Question | None]] = []
    for position, raw in enumerate(raw_questions):
        block = blocks[position] if position < len(blocks) else _Block(1)
        qid = raw.get("id") if isinstance(raw, dict) else None
        qid = qid if isinstance(qid, str) else None

        def report(
            field_name: str | None, message: str, qid: str | None = qid, block: _Block = block
        ) -> None:
            problems.append(
                Problem(
                    file=name,
                    line=block.line_of(field_name),
                    question_id=qid,
                    field=field_name or None,
                    message=message,
                )
            )

        try:
            question: Question | None = Question.model_validate(raw)
        except ValidationError as exc:
            question = None
            fields = set()
            for error in exc.errors():
                field_name, message = describe_error(error)
                fields.add(field_name)
                report(field_name, message)
            if "options" in fields and "correct" not in fields:
                raw_problem = _raw_correct_problem(raw)
                if raw_problem:
                    report("correct", raw_problem)
        if qid:
            located.append((qid, block.line_of("id"), question))
        if question is None:
            continue
        if question.chapter != file.stem:
            report(
                "chapter", f"chapter {question.chapter!r} in file {name} (expected {file.stem!r})"
            )
        known = outline if outline is not None else {chapter: set() for chapter in CHAPTERS}
        if question.chapter not in known:
            report("chapter", f"unknown chapter {question.chapter!r}")
        elif (
            outline is not None
            and question.section
            and (question.section not in outline[question.chapter])
        ):
            report(
                "section",
                f"no section {question.section!r} in chapter {question.chapter!r} of the course",
            )
    return problems, [(name, *item) for item in located]


def check_bank(
    path: Path = BUNDLED_BANK, course_path: Path | None = None, *, min_per_chapter: int = 0
) -> list[Problem]:
    """Every problem in the bank at ``path`` (a file or a folder), sorted by file and line."""
    outline: dict[str, set[str]] | None = None
    problems: list[Problem] = []
    if course_path is not None:
        try:
            outline = course_outline(course_path)
        except Exception as exc:
            problems.append(
                Problem(
                    file=str(course_path),
                    line=0,
                    question_id=None,
                    field=None,
                    message=f"course cannot be loaded: {exc}",
                )
            )
    files = bank_files(path)
    if not files:
        return [
            Problem(
                file=str(path),
                line=0,
                question_id=None,
                field=None,
                message="no *.toml question file",
            )
        ]
    first_seen: dict[str, tuple[str, int]] = {}
    per_chapter: Counter[str] = Counter()
    for file in files:
        file_problems, located = _check_file(file, outline)
        problems.extend(file_problems)
        for name, qid, line, question in located:
            if qid in first_seen:
                other_file, other_line = first_seen[qid]
                problems.append(
                    Problem(
                        file=name,
                        line=line,
                        question_id=qid,
                        field="id",
                        message=f"duplicate id, first used at {other_file}:{other_line}",
                    )
                )
            else:
                first_seen[qid] = (name, line)
            if question is not None:
                per_chapter[question.chapter] += 1
    if min_per_chapter:
        for file in files:
            count = per_chapter[file.stem]
            if count < min_per_chapter:
                problems.append(
                    Problem(
                        file=file.name,
                        line=0,
                        question_id=None,
                        field=None,
                        message=f"{count} valid questions, at least {min_per_chapter} expected",
                    )
                )
    return sorted(problems, key=lambda problem: (problem.file, problem.line))


def summary(path: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for file in bank_files(path):
        raw: list[dict[str, Any]] = read_raw(file)
        counts[file.stem] += len(raw)
    return dict(counts)


def main(path: Path = BUNDLED_BANK, course_path: Path | None = None) -> int:
    """Print the problems (or a per-chapter count) and return the process exit code."""
    problems = check_bank(path, course_path, min_per_chapter=MIN_PER_CHAPTER)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    counts = summary(path)
    for chapter, count in counts.items():
        print(f"{chapter}: {count}")
    print(f"{sum(counts.values())} questions, no problem")
    return 0
