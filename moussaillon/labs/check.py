"""``moussaillon course check PATH``: the course and the labs that go with it, checked together.

A lab pointing at a missing section is a broken course, so the labs are checked against the
course they belong to: the ``labs/`` folder beside a course folder, or the bundled labs for the
bundled course.
"""

from __future__ import annotations

import sys
from pathlib import Path

from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.check import CheckReport, check_course, format_report
from moussaillon.content.deck import Problem, load_course
from moussaillon.labs.loader import BUNDLED_LABS, check_labs, lab_files


def labs_folder(course_path: Path) -> Path | None:
    """The labs of a course folder: ``labs/`` beside it; the bundled labs for the bundled course."""
    if not course_path.is_dir():
        return None
    if course_path.resolve() == BUNDLED_COURSE.resolve():
        return BUNDLED_LABS
    folder = course_path.parent / "labs"
    return folder if folder.is_dir() else None


def check_course_and_labs(path: Path) -> CheckReport:
    report = check_course(path)
    labs_dir = labs_folder(Path(path))
    if labs_dir is None or (report.chapters == 0 and report.errors):
        return report
    course = load_course(Path(path)).course
    problems = [
        Problem(
            source=str(labs_dir / p.file),
            line=p.line,
            severity="error",
            message=f"{p.field}: {p.message}" if p.field else p.message,
        )
        for p in check_labs(labs_dir, course)
    ]
    return report.model_copy(
        update={"problems": [*report.problems, *problems], "labs": len(lab_files(labs_dir))}
    )


def main(path: Path | str) -> int:
    report = check_course_and_labs(Path(path))
    print(format_report(report), file=sys.stdout)
    return 1 if report.errors else 0
