"""``moussaillon course check PATH``: everything wrong with a course, one line per problem.

The output uses the ``file:line: severity: message`` shape of compilers so editors can jump to
each line; the exit code is 1 only when there are errors (warnings alone pass). The labs that go
with a course are checked by ``moussaillon.labs.check``, which builds on this report (the course
knows nothing of labs).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from moussaillon.content.deck import Problem, load_course
from moussaillon.content.model import Course
from moussaillon.content.phrasings import BUNDLED, PHRASINGS, unknown_ids
from moussaillon.core.errors import CourseError


class CheckReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    chapters: int
    sections: int
    problems: list[Problem]
    labs: int | None = None  # lab files checked, None when there is no labs folder

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for problem in self.problems if problem.severity == "warning")


def check_course(path: Path) -> CheckReport:
    try:
        result = load_course(Path(path))
    except CourseError as exc:
        problem = Problem(source=str(path), line=0, severity="error", message=exc.message("en"))
        return CheckReport(chapters=0, sections=0, problems=[problem])
    return CheckReport(
        chapters=len(result.course.chapters),
        sections=len(result.course.sections),
        problems=[*result.problems, *phrasing_problems(Path(path), result.course)],
    )


def phrasing_problems(path: Path, course: Course, phrasings: Path = PHRASINGS) -> list[Problem]:
    """The bundled course's phrasings must name its sections: a renamed id would lose them.

    Only the bundled course has phrasings; another course is not expected to share its ids.
    """
    if path.resolve() != BUNDLED.resolve():
        return []
    return [
        Problem(
            source=str(phrasings),
            line=0,
            severity="error",
            message=f"phrasings for a section the course does not have: {section_id}",
        )
        for section_id in unknown_ids(course, phrasings)
    ]


def format_problem(problem: Problem) -> str:
    where = f"{problem.source}:{problem.line}" if problem.line else problem.source
    return f"{where}: {problem.severity}: {problem.message}"


def format_report(report: CheckReport) -> str:
    labs = f"{report.labs} labs, " if report.labs is not None else ""
    lines = [
        f"{report.chapters} chapters, {report.sections} sections, {labs}"
        f"{report.errors} errors, {report.warnings} warnings"
    ]
    lines.extend(format_problem(problem) for problem in report.problems)
    return "\n".join(lines)


def main(path: Path | str) -> int:
    report = check_course(Path(path))
    print(format_report(report), file=sys.stdout)
    return 1 if report.errors else 0
