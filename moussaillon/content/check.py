"""``moussaillon course check PATH``: everything wrong with a course, one line per problem.

The output uses the ``file:line: severity: message`` shape of compilers so editors can jump to
each line; the exit code is 1 only when there are errors (warnings alone pass). A ``labs/`` folder
beside a course folder (the bundled course has one) is checked too, its prerequisites against
that course, since a lab pointing at a missing section is a broken course.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from moussaillon.content.deck import Problem, load_course
from moussaillon.errors import CourseError
from moussaillon.labs.loader import check_labs, lab_files


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
    course = result.course
    problems, labs = list(result.problems), None
    labs_dir = labs_folder(Path(path))
    if labs_dir is not None:
        labs = len(lab_files(labs_dir))
        problems += [
            Problem(source=str(labs_dir / p.file), line=p.line, severity="error",
                    message=f"{p.field}: {p.message}" if p.field else p.message)
            for p in check_labs(labs_dir, course)
        ]
    return CheckReport(chapters=len(course.chapters), sections=len(course.sections),
                       problems=problems, labs=labs)


def labs_folder(course_path: Path) -> Path | None:
    """The ``labs/`` folder beside a course folder, if there is one."""
    if not course_path.is_dir():
        return None
    folder = course_path.parent / "labs"
    return folder if folder.is_dir() else None


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
