"""Spaced repetition across days, with an injected clock and a seeded random generator."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from moussaillon.core.store import Store
from moussaillon.quiz.bank import BUNDLED_BANK, Question, QuestionBank, load_bank
from moussaillon.quiz.repetition import (
    Attempt,
    QuestionState,
    mistakes,
    pick_questions,
    replay,
    update_state,
)
from moussaillon.quiz.schema import MIGRATIONS

DAY = timedelta(days=1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


def question(n: int, chapter: str = "reseaux") -> Question:
    return Question(
        id=f"{chapter}-{n:02d}",
        chapter=chapter,
        question=f"Question {n} ?",
        options=("oui", "non"),
        correct=(0,),
        explanation="Parce que.",
        difficulty=1,
    )


BANK = QuestionBank(questions=(*(question(n) for n in range(1, 7)), question(1, "volumes")))


class Student:
    """A student's history, updated the way the bot does after each answer."""

    def __init__(self) -> None:
        self.states: dict[str, QuestionState] = {}

    def answer(self, question_id: str, correct: bool, now: datetime) -> QuestionState:
        state = self.states.get(question_id) or QuestionState(question_id=question_id)
        self.states[question_id] = update_state(state, correct, now)
        return self.states[question_id]


def pick(student: Student, now: datetime, n: int, **options: object) -> list[str]:
    chosen = pick_questions(
        BANK, student.states, chapter="reseaux", n=n, now=now, rng=random.Random(1), **options
    )
    return [q.id for q in chosen]


def test_a_mistake_comes_back_until_answered_right_twice_in_a_row() -> None:
    clock, student = Clock(), Student()

    state = student.answer("reseaux-03", False, clock.now)
    assert state.is_mistake and state.due_at == clock.now
    assert pick(student, clock.advance(timedelta(minutes=5)), n=1) == ["reseaux-03"]

    state = student.answer("reseaux-03", True, clock.now)
    assert state.is_mistake and state.due_at == clock.now + DAY
    assert pick(student, clock.advance(timedelta(hours=1)), n=1) != ["reseaux-03"]
    assert pick(student, clock.now, n=5, revision=True) == ["reseaux-03"]

    assert pick(student, clock.advance(DAY), n=1) == ["reseaux-03"]
    state = student.answer("reseaux-03", True, clock.now)
    assert not state.is_mistake and state.due_at is None and state.streak == 2
    assert pick(student, clock.now, n=5, revision=True) == []


def test_a_wrong_answer_in_between_restarts_the_count() -> None:
    clock, student = Clock(), Student()
    student.answer("reseaux-01", False, clock.now)
    student.answer("reseaux-01", True, clock.advance(DAY))
    state = student.answer("reseaux-01", False, clock.advance(DAY))

    assert (state.streak, state.wrong_count, state.due_at) == (0, 2, clock.now)
    state = student.answer("reseaux-01", True, clock.advance(DAY))
    assert state.is_mistake


def test_mastered_question_missed_again_becomes_a_mistake_again() -> None:
    clock, student = Clock(), Student()
    for correct in (False, True, True):
        student.answer("reseaux-02", correct, clock.advance(DAY))
    assert not student.states["reseaux-02"].is_mistake

    assert student.answer("reseaux-02", False, clock.advance(DAY)).is_mistake


def test_priority_due_mistakes_then_unseen_then_least_recently_seen() -> None:
    clock, student = Clock(), Student()
    student.answer("reseaux-05", True, clock.now)
    student.answer("reseaux-06", True, clock.advance(timedelta(hours=1)))
    student.answer("reseaux-04", False, clock.advance(timedelta(hours=1)))
    later = clock.advance(timedelta(hours=1))

    assert set(pick(student, later, n=1)) == {"reseaux-04"}
    assert set(pick(student, later, n=4)) == {
        "reseaux-04",
        "reseaux-01",
        "reseaux-02",
        "reseaux-03",
    }
    assert set(pick(student, later, n=5)) == {
        "reseaux-04",
        "reseaux-01",
        "reseaux-02",
        "reseaux-03",
        "reseaux-05",
    }
    assert sorted(pick(student, later, n=50)) == [f"reseaux-0{n}" for n in range(1, 7)]


def test_chapter_filter_and_whole_bank() -> None:
    clock = Clock()

    volumes = pick_questions(BANK, [], chapter="volumes", n=5, now=clock.now, rng=random.Random())
    everything = pick_questions(BANK, [], chapter=None, n=50, now=clock.now, rng=random.Random())

    assert [q.id for q in volumes] == ["volumes-01"]
    assert len(everything) == len(BANK)


def test_same_rng_seed_same_draw() -> None:
    bank = load_bank(BUNDLED_BANK)
    now = Clock().now

    def draw(seed: int) -> list[str]:
        questions = pick_questions(bank, {}, chapter=None, n=10, now=now, rng=random.Random(seed))
        return [q.id for q in questions]

    assert draw(5) == draw(5)
    assert draw(5) != draw(6)


def test_mistakes_list_ignores_questions_gone_from_the_bank() -> None:
    clock, student = Clock(), Student()
    student.answer("reseaux-02", False, clock.now)
    student.answer("reseaux-99", False, clock.now)
    student.answer("volumes-01", False, clock.now)

    assert [q.id for q in mistakes(BANK, student.states, chapter="reseaux")] == ["reseaux-02"]
    assert len(mistakes(BANK, student.states.values())) == 2


def test_replay_rebuilds_the_same_states_from_attempts() -> None:
    clock, student = Clock(), Student()
    attempts = []
    for question_id, correct in [
        ("reseaux-01", False),
        ("reseaux-02", True),
        ("reseaux-01", True),
        ("reseaux-01", True),
    ]:
        now = clock.advance(DAY)
        student.answer(question_id, correct, now)
        attempts.append(Attempt(question_id=question_id, correct=correct, answered_at=now))

    assert replay(reversed(attempts)) == student.states
    now = clock.advance(DAY)
    from_attempts = pick_questions(
        BANK, attempts, chapter="reseaux", n=1, now=now, rng=random.Random(1)
    )
    from_states = pick_questions(
        BANK, student.states, chapter="reseaux", n=1, now=now, rng=random.Random(1)
    )
    assert from_attempts == from_states


def test_states_round_trip_through_sqlite(tmp_path: Path) -> None:
    clock, student = Clock(), Student()
    student.answer("reseaux-01", False, clock.now)
    student.answer("reseaux-01", True, clock.advance(DAY))
    student.answer("reseaux-02", True, clock.now)
    store = Store(tmp_path / "quiz.db", [MIGRATIONS])
    try:
        store.write_sync(
            lambda db: db["quiz_state"].upsert_all(
                [state.to_row(42) for state in student.states.values()],
                pk=("user_id", "question_id"),
            )
        )
        rows = store.read_sync(lambda db: list(db["quiz_state"].rows_where("user_id = ?", [42])))
    finally:
        store.close()

    loaded = {row["question_id"]: QuestionState.from_row(row) for row in rows}
    assert loaded == student.states
    restored = Student()
    restored.states = loaded
    assert pick(restored, clock.advance(DAY), n=1) == ["reseaux-01"]
