"""Read the lab files; ``check_labs`` reports every problem at once, each with file and line.

tomllib gives no positions, so lines are found by scanning the text: top-level keys, the n-th
``[[step]]`` block and the ``[correction]`` table each remember the first line of their keys
(lines inside multi-line strings are skipped). A missing field points at its table's header.

A lab's files live beside its sheet, in a folder of the same name: ``<id>/starter/`` becomes
``starter`` and ``<id>/correction/`` becomes ``correction.files`` (paths relative to each).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from moussaillon.content.model import Course
from moussaillon.core.errors import CourseError
from moussaillon.labs.model import Lab, LabSet

BUNDLED_LABS = Path(__file__).resolve().parent / "sheets"

TABLE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_][\w.-]*)\s*\]\]?")
FALLBACK = {"limitations": "sandbox"}  # where a missing top-level key is reported
KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=")


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class _Table:
    start: int
    keys: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        return self.keys.get(key or "", self.start)


@dataclass
class _Layout:
    top: _Table = field(default_factory=lambda: _Table(1))
    steps: list[_Table] = field(default_factory=list)
    correction: _Table | None = None

    def line(self, loc: tuple[Any, ...]) -> int:
        if not loc:
            return 1
        head = loc[0]
        if head == "step" and len(loc) > 1 and isinstance(loc[1], int):
            if loc[1] < len(self.steps):
                key = loc[2] if len(loc) > 2 else None
                return self.steps[loc[1]].line_of(key if isinstance(key, str) else None)
            return self.top.line_of("step")
        if head == "correction" and self.correction is not None:
            key = loc[1] if len(loc) > 1 else None
            return self.correction.line_of(key if isinstance(key, str) else None)
        return self.top.keys.get(str(head)) or self.top.line_of(FALLBACK.get(str(head)))


def _layout(text: str) -> _Layout:
    layout = _Layout()
    current = layout.top
    open_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        table = TABLE.match(line)
        if table:
            current = _Table(number)
            if table.group(2) == "step":
                layout.steps.append(current)
            elif table.group(2) == "correction":
                layout.correction = current
            layout.top.keys.setdefault(table.group(2), number)
            continue
        key = KEY.match(line)
        if key:
            current.keys.setdefault(key.group(1), number)
        for delimiter in ('"""', "'''"):
            if line.count(delimiter) % 2 == 1:
                open_string = delimiter
                break
    return layout


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            if parts and parts[-1] == "step":
                parts[-1] = f"step[{part + 1}]"
            else:
                parts[-1] = f"{parts[-1]}[{part}]" if parts else str(part)
        else:
            parts.append(str(part))
    return ".".join(parts) or "lab"


def _describe(error: Any) -> tuple[tuple[Any, ...], str]:
    loc = tuple(error.get("loc") or ())
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "missing":
        message = "required field is missing"
    return loc, message.removeprefix("Value error, ")


def _toml_line(exc: tomllib.TOMLDecodeError) -> int:
    """tomllib puts the position in its message before Python 3.14 adds ``lineno``."""
    found = re.search(r"at line (\d+)", str(exc))
    return int(found.group(1)) if found else 1


FILE_TREES = {"starter": ("starter",), "correction": ("correction", "files")}


def _read_tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _attach_files(raw: dict[str, Any], sheet: Path) -> list[tuple[str, str]]:
    """Put the files of ``<id>/starter`` and ``<id>/correction`` into the raw sheet; the
    (field, message) of each folder that cannot be used."""
    problems = []
    for folder_name, (head, *rest) in FILE_TREES.items():
        folder = sheet.parent / sheet.stem / folder_name
        if not folder.is_dir():
            continue
        table = raw.get(head) if rest else raw
        field_name = ".".join((head, *rest))
        if not isinstance(table, dict):
            continue  # the missing table is reported by validation
        key = rest[0] if rest else head
        if key in table:
            problems.append((field_name, f"given both in the sheet and in {folder_name}/"))
            continue
        try:
            table[key] = _read_tree(folder)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append((field_name, f"{folder_name}/: {exc}"))
    return problems


def lab_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(path.glob("*.toml")) if path.is_dir() else []


def _check_file(file: Path, sections: set[str] | None) -> tuple[list[Problem], Lab | None, int]:
    name = file.name
    try:
        text = file.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return (
            [Problem(file=name, line=_toml_line(exc), field=None, message=f"TOML: {exc}")],
            None,
            1,
        )
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(file=name, line=1, field=None, message=str(exc))], None, 1
    layout = _layout(text)
    problems = [
        Problem(file=name, line=1, field=field, message=message)
        for field, message in _attach_files(raw, file)
    ]
    try:
        lab: Lab | None = Lab.model_validate(raw)
    except ValidationError as exc:
        lab = None
        for error in exc.errors():
            loc, message = _describe(error)
            problems.append(
                Problem(file=name, line=layout.line(loc), field=_field_name(loc), message=message)
            )
    id_line = layout.top.line_of("id")
    if lab is None:
        return problems, None, id_line
    if lab.id != file.stem:
        problems.append(
            Problem(file=name, line=id_line, field="id", message=f"id {lab.id!r} in {name}")
        )
    if sections is not None:
        for section in lab.prerequisites:
            if section not in sections:
                problems.append(
                    Problem(
                        file=name,
                        line=layout.top.line_of("prerequisites"),
                        field="prerequisites",
                        message=f"no section {section!r} in the course",
                    )
                )
    return problems, lab, id_line


def _sections(course: Course | Path | None) -> tuple[set[str] | None, list[Problem]]:
    if course is None:
        return None, []
    if isinstance(course, Path):
        from moussaillon.content.deck import load_course

        try:
            course = load_course(course).course
        except Exception as exc:
            return None, [Problem(file=str(course), line=0, field=None, message=str(exc))]
    return {section.id for section in course.sections}, []


def _scan(path: Path, course: Course | Path | None) -> tuple[list[Problem], list[Lab]]:
    sections, problems = _sections(course)
    files = lab_files(path)
    if not files:
        return [Problem(file=str(path), line=0, field=None, message="no *.toml lab file")], []
    labs: list[Lab] = []
    ids: dict[str, str] = {}
    orders: dict[int, str] = {}
    for file in files:
        file_problems, lab, line = _check_file(file, sections)
        problems.extend(file_problems)
        if lab is None:
            continue
        uniques: tuple[tuple[dict[Any, str], str | int, str], ...] = (
            (ids, lab.id, "id"),
            (orders, lab.order, "order"),
        )
        for seen, value, what in uniques:
            if value in seen:
                problems.append(
                    Problem(
                        file=file.name,
                        line=line,
                        field=what,
                        message=f"duplicate {what} {value!r}, already used in {seen[value]}",
                    )
                )
            else:
                seen[value] = file.name
        labs.append(lab)
    return sorted(problems, key=lambda p: (p.file, p.line)), sorted(labs, key=lambda lab: lab.order)


def check_labs(path: Path = BUNDLED_LABS, course: Course | Path | None = None) -> list[Problem]:
    """Every problem of the labs at ``path`` (a folder or one file), sorted by file and line.

    With a course (loaded, or the path of a course folder), prerequisites must name its sections.
    """
    return _scan(path, course)[0]


def load_labs(path: Path = BUNDLED_LABS) -> LabSet:
    """The labs, in their ``order``; the first problem found stops loading with ``CourseError``."""
    problems, labs = _scan(path, None)
    if problems:
        first = problems[0]
        raise CourseError("labs.invalid", file=f"{first.file}:{first.line}", detail=first.message)
    return LabSet(labs=labs)
