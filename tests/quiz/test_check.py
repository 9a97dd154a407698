"""The checker on fixture files broken on purpose.

Each fixture line ``# EXPECT <field>`` announces that the checker must report a problem about
<field> on the very next line, so the expectations live next to the mistakes they describe.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moussaillon.quiz.bank import BUNDLED_BANK, BankError, load_bank
from moussaillon.quiz.check import check_bank, main

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
COURSE = FIXTURES / "course"
EXPECT = re.compile(r"^# EXPECT (\S+)\s*$")


def expected_problems(folder: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for file in sorted(folder.glob("*.toml")):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if match := EXPECT.match(line):
                expected.add((file.name, number + 1, match.group(1)))
    return expected


def found(problems: list) -> set[tuple[str, int, str | None]]:
    return {(problem.file, problem.line, problem.field) for problem in problems}


def test_every_violation_is_reported_on_its_line_with_its_field() -> None:
    problems = check_bank(BROKEN, COURSE)

    assert found(problems) == expected_problems(BROKEN)
    assert len(problems) == len(expected_problems(BROKEN))


def test_without_a_course_sections_are_not_checked() -> None:
    expected = {item for item in expected_problems(BROKEN) if item[2] != "section"}

    assert found(check_bank(BROKEN)) == expected


def test_messages_name_the_limit_exceeded() -> None:
    by_id_field = {(p.question_id, p.field): p.message for p in check_bank(BROKEN, COURSE)}

    assert "300" in by_id_field[("reseaux-01", "question")]
    assert "100" in by_id_field[("reseaux-02", "options")]
    assert "2 to 10" in by_id_field[("reseaux-03", "options")]
    assert "0..2" in by_id_field[("reseaux-05", "correct")]
    assert "multiple" in by_id_field[("reseaux-06", "correct")]
    assert "200" in by_id_field[("reseaux-08", "explanation")]
    assert "line breaks" in by_id_field[("reseaux-09", "explanation")]
    assert "1000" in by_id_field[("reseaux-10", "code")]
    assert "reseaux.toml:16" in by_id_field[("reseaux-02", "id")]
    assert "section-qui-n-existe-pas" in by_id_field[("reseaux-15", "section")]


def test_declared_multiple_answer_question_is_accepted() -> None:
    ids = {problem.question_id for problem in check_bank(BROKEN, COURSE)}

    assert "reseaux-07" not in ids


def test_toml_syntax_error_points_at_the_broken_line() -> None:
    file = FIXTURES / "syntax" / "outils.toml"
    broken_line = next(
        number
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1)
        if "jamais fermé" in line
    )

    problems = check_bank(file.parent)

    assert [(p.file, p.line, p.field) for p in problems] == [("outils.toml", broken_line, None)]
    assert "TOML" in problems[0].message


def test_a_valid_file_has_no_problem(tmp_path: Path) -> None:
    (tmp_path / "images.toml").write_text(
        '[[question]]\nid = "images-01"\nchapter = "images"\nquestion = "Q ?"\n'
        'options = ["a", "b"]\ncorrect = [1]\nexplanation = "Parce que."\ndifficulty = 2\n',
        encoding="utf-8",
    )

    assert check_bank(tmp_path) == []
    assert check_bank(tmp_path, min_per_chapter=2)[0].message.startswith("1 valid questions")


def test_unknown_chapter_in_course_is_reported(tmp_path: Path) -> None:
    (tmp_path / "kubernetes.toml").write_text(
        '[[question]]\nid = "kubernetes-01"\nchapter = "kubernetes"\nquestion = "Q ?"\n'
        'options = ["a", "b"]\ncorrect = [0]\nexplanation = "Parce que."\ndifficulty = 1\n',
        encoding="utf-8",
    )

    problems = check_bank(tmp_path, COURSE)

    assert [(p.line, p.field) for p in problems] == [(3, "chapter")]


def test_load_bank_stops_on_the_first_problem_with_a_clear_message() -> None:
    with pytest.raises(BankError) as caught:
        load_bank(BROKEN)

    message = caught.value.message("fr")
    assert "reseaux.toml" in message
    assert "reseaux-01" in message
    assert "question" in message


def test_main_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(BROKEN, COURSE) == 1
    assert "reseaux.toml:9" in capsys.readouterr().err

    assert main(BUNDLED_BANK, None) == 0
    assert "questions, no problem" in capsys.readouterr().out
