"""Per-student option order: stable for one student, different between students, reversible."""

from __future__ import annotations

from collections import Counter

import pytest

from moussaillon.quiz.bank import Question
from moussaillon.quiz.shuffle import shuffled


def make_question(correct: tuple[int, ...] = (2,), kind: str = "single") -> Question:
    return Question(
        id="reseaux-04",
        chapter="reseaux",
        type=kind,
        question="Comment deux conteneurs du bridge par défaut se joignent-ils ?",
        options=("Par leur nom", "Par leur IP", "Par un volume", "Jamais"),
        correct=correct,
        explanation="Le bridge par défaut n'a pas de DNS.",
        difficulty=2,
    )


def test_same_seed_same_order_and_options_are_a_permutation() -> None:
    question = make_question()

    first = shuffled(question, "user:42")

    assert shuffled(question, "user:42") == first
    assert sorted(first.options) == sorted(question.options)
    assert sorted(first.mapping) == list(range(len(question.options)))


def test_answers_map_back_to_bank_indexes() -> None:
    question = make_question()
    for seed in ("a", "b", "c", "user:7"):
        view = shuffled(question, seed)
        for shown, text in enumerate(view.options):
            bank_index = view.to_bank(shown)
            assert question.options[bank_index] == text
            assert view.to_shown(bank_index) == shown
            assert view.is_correct(shown) == (bank_index in question.correct)
        assert view.options[view.correct_index] == question.options[question.correct_index]


def test_different_students_get_different_orders_and_positions() -> None:
    question = make_question()
    views = [shuffled(question, f"user:{n}") for n in range(60)]

    assert len({view.mapping for view in views}) > 10
    assert set(Counter(view.correct_index for view in views)) == {0, 1, 2, 3}


def test_order_depends_on_the_question_too() -> None:
    first = make_question()
    second = first.model_copy(update={"id": "reseaux-05"})
    mappings = [
        (shuffled(first, f"s{n}").mapping, shuffled(second, f"s{n}").mapping) for n in range(20)
    ]

    assert any(a != b for a, b in mappings)


def test_multiple_answer_question_keeps_all_correct_options() -> None:
    question = make_question(correct=(0, 3), kind="multiple")

    view = shuffled(question, "user:1")

    assert {view.to_bank(index) for index in view.correct_indexes} == {0, 3}


def test_out_of_range_answer_is_refused() -> None:
    view = shuffled(make_question(), "user:1")

    with pytest.raises(IndexError):
        view.to_bank(4)
