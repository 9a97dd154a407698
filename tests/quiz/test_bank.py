"""The bundled bank: enough questions everywhere, within Telegram's limits, linked to the course."""

from __future__ import annotations

from collections import Counter

import pytest

from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from moussaillon.core.errors import NotFound
from moussaillon.quiz.bank import (
    BUNDLED_BANK,
    CHAPTERS,
    CODE_MAX,
    EXPLANATION_MAX,
    OPTION_MAX,
    QUESTION_MAX,
    QuestionBank,
    load_bank,
)
from moussaillon.quiz.check import check_bank


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank(BUNDLED_BANK)


def test_every_chapter_has_at_least_ten_questions(bank: QuestionBank) -> None:
    counts = Counter(question.chapter for question in bank.questions)

    assert bank.chapters == list(CHAPTERS)
    assert all(counts[chapter] >= 10 for chapter in CHAPTERS), counts
    assert len(bank) >= 110


def test_questions_fit_telegram_quiz_limits(bank: QuestionBank) -> None:
    for question in bank.questions:
        assert len(question.question) <= QUESTION_MAX, question.id
        assert 2 <= len(question.options) <= 10, question.id
        assert all(len(option) <= OPTION_MAX for option in question.options), question.id
        assert len(question.explanation) <= EXPLANATION_MAX, question.id
        assert question.explanation.count("\n") <= 2, question.id
        assert len(question.code) <= CODE_MAX, question.id
        assert 1 <= question.difficulty <= 3, question.id


def test_bank_is_single_correct_so_every_question_can_be_a_quiz_poll(bank: QuestionBank) -> None:
    assert all(q.type == "single" and len(q.correct) == 1 for q in bank.questions)


def test_ids_are_stable_chapter_prefixed_and_unique(bank: QuestionBank) -> None:
    ids = [question.id for question in bank.questions]

    assert len(ids) == len(set(ids))
    assert all(q.id.startswith(f"{q.chapter}-") for q in bank.questions)


def test_correct_answers_are_spread_across_positions(bank: QuestionBank) -> None:
    for chapter in bank.chapters:
        positions = Counter(q.correct_index for q in bank.by_chapter(chapter))
        assert len(positions) >= 3, (chapter, positions)
        assert max(positions.values()) <= len(bank.by_chapter(chapter)) / 2, (chapter, positions)


def test_the_longest_option_is_not_a_giveaway(bank: QuestionBank) -> None:
    questions = [q for q in bank.questions if len(q.options) > 2]
    longest_is_right = [
        q.id
        for q in questions
        if max(range(len(q.options)), key=lambda i: len(q.options[i])) == q.correct_index
    ]

    assert len(longest_is_right) <= 0.4 * len(questions), longest_is_right


def test_bank_mixes_kinds_of_questions(bank: QuestionBank) -> None:
    with_code = [q for q in bank.questions if q.code]
    difficulties = Counter(q.difficulty for q in bank.questions)

    assert len(with_code) >= 15
    assert set(difficulties) == {1, 2, 3}


def test_the_bundled_bank_checks_clean(bank: QuestionBank) -> None:
    assert check_bank(BUNDLED_BANK, min_per_chapter=10) == []


def test_every_question_links_to_an_existing_course_section(bank: QuestionBank) -> None:
    course = load_course(BUNDLED_COURSE).course
    sections = {(section.chapter_id, section.id) for section in course.sections}

    assert check_bank(BUNDLED_BANK, BUNDLED_COURSE) == []
    assert all((q.chapter, q.section) in sections for q in bank.questions), [
        q.id for q in bank.questions if (q.chapter, q.section) not in sections
    ]


def test_lookups(bank: QuestionBank) -> None:
    question = bank.question("reseaux-06")

    assert question.chapter == "reseaux"
    assert question in bank.by_chapter("reseaux")
    with pytest.raises(NotFound):
        bank.question("reseaux-999")
    with pytest.raises(NotFound):
        bank.by_chapter("astrologie")
