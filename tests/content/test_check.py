from __future__ import annotations

from pathlib import Path

import pytest

from moussaillon.content.check import check_course, format_report, main

from .conftest import FIXTURES, line_of

BROKEN = FIXTURES / "broken-structure.md"


def test_clean_course_passes(capsys: pytest.CaptureFixture[str]) -> None:
    report = check_course(FIXTURES / "course")
    assert (report.chapters, report.sections, report.problems) == (3, 15, [])
    assert main(FIXTURES / "course") == 0
    assert capsys.readouterr().out.strip() == "3 chapters, 15 sections, 0 errors, 0 warnings"


def test_broken_deck_lists_every_problem_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    report = check_course(BROKEN)
    assert report.errors == 2 and report.warnings == len(report.problems) - 2
    assert main(str(BROKEN)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{report.chapters} chapters, {report.sections} sections, "
        f"2 errors, {report.warnings} warnings"
    )
    assert f"{BROKEN}:{line_of(BROKEN, '##  ##')}: error: section heading has no title" in out
    image_line = line_of(BROKEN, "![Absente]")
    assert f"{BROKEN}:{image_line}: warning: image not found: img/absente.png" in out
    assert len(out) == 1 + len(report.problems)


def test_warnings_alone_do_not_fail(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("# C #\n\n## Vide ##\n\n## Pleine ##\ntexte\n", encoding="utf-8")
    report = check_course(deck)
    assert [(p.line, p.severity) for p in report.problems] == [(3, "warning")]
    assert main(deck) == 0


def test_unloadable_course_is_one_error_line(tmp_path: Path) -> None:
    absent = tmp_path / "absent"
    report = check_course(absent)
    assert (report.chapters, report.sections, report.errors) == (0, 0, 1)
    lines = format_report(report).splitlines()
    assert lines[1] == f"{absent}: error: The course cannot be found: {absent}"
    assert main(tmp_path) == 1
