"""Spaced repetition: mistakes come back until they are answered right twice in a row.

Schedule (``update_state``), for one student and one question:

- wrong answer → it becomes (or stays) a mistake, due immediately: the next quiz brings it back;
- first right answer after a mistake → still a mistake, due one day later, so the second success
  is not just short-term memory;
- second right answer in a row → mastered: it leaves the mistakes, nothing is due;
- right answers on a question never missed just lengthen the streak.

Everything here is pure: time comes in as ``now`` and randomness as ``rng``, so tests can move
across days and replay draws. The state is what ``quiz_state`` stores; ``replay`` rebuilds it from
``quiz_attempts`` rows if the table is ever lost.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from moussaillon.quiz.bank import Question, QuestionBank

MASTERY_STREAK = 2
RETRY_DELAY = timedelta(days=1)


class QuestionState(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_id: str
    streak: int = 0
    """Right answers in a row since the last wrong one."""
    wrong_count: int = 0
    last_answered: datetime | None = None
    due_at: datetime | None = None
    """When a pending mistake should come back; None when nothing is pending."""

    @property
    def is_mistake(self) -> bool:
        return self.wrong_count > 0 and self.streak < MASTERY_STREAK

    def is_due(self, now: datetime) -> bool:
        return self.is_mistake and self.due_at is not None and self.due_at <= now

    def to_row(self, user_id: int) -> dict[str, Any]:
        return {
            "user_id": user_id,
            "question_id": self.question_id,
            "streak": self.streak,
            "wrong_count": self.wrong_count,
            "last_answered": _iso(self.last_answered),
            "due_at": _iso(self.due_at),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> QuestionState:
        return cls(
            question_id=row["question_id"],
            streak=row["streak"] or 0,
            wrong_count=row["wrong_count"] or 0,
            last_answered=row.get("last_answered") or None,
            due_at=row.get("due_at") or None,
        )


class Attempt(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_id: str
    correct: bool
    answered_at: datetime


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def update_state(state: QuestionState, correct: bool, now: datetime) -> QuestionState:
    """The state after one more answer, following the schedule in the module docstring."""
    if not correct:
        return state.model_copy(
            update={
                "streak": 0,
                "wrong_count": state.wrong_count + 1,
                "last_answered": now,
                "due_at": now,
            }
        )
    streak = state.streak + 1
    pending = state.wrong_count > 0 and streak < MASTERY_STREAK
    return state.model_copy(
        update={
            "streak": streak,
            "last_answered": now,
            "due_at": now + RETRY_DELAY if pending else None,
        }
    )


def replay(attempts: Iterable[Attempt]) -> dict[str, QuestionState]:
    """Per-question states rebuilt from a student's attempts (any order)."""
    states: dict[str, QuestionState] = {}
    for attempt in sorted(attempts, key=lambda item: item.answered_at):
        state = states.get(attempt.question_id) or QuestionState(question_id=attempt.question_id)
        states[attempt.question_id] = update_state(state, attempt.correct, attempt.answered_at)
    return states


History = Mapping[str, QuestionState] | Iterable[QuestionState] | Iterable[Attempt]


def _as_states(history: History) -> dict[str, QuestionState]:
    """Accept stored states (a mapping or a list) or raw attempts, which are replayed."""
    if isinstance(history, Mapping):
        return dict(history)
    items = list(history)
    attempts = [item for item in items if isinstance(item, Attempt)]
    if items and len(attempts) == len(items):
        return replay(attempts)
    return {state.question_id: state for state in items if isinstance(state, QuestionState)}


def mistakes(
    bank: QuestionBank,
    history: History,
    *,
    chapter: str | None = None,
) -> list[Question]:
    """The student's current mistakes still present in the bank, oldest due first."""
    states = _as_states(history)
    pending = [
        state
        for state in states.values()
        if state.is_mistake and _in_bank(bank, state.question_id, chapter)
    ]
    pending.sort(key=_due_key)
    return [bank.question(state.question_id) for state in pending]


def _due_key(state: QuestionState) -> tuple[int, Any, str]:
    moment = state.due_at or state.last_answered
    return (0, moment, state.question_id) if moment else (1, "", state.question_id)


def _in_bank(bank: QuestionBank, question_id: str, chapter: str | None) -> bool:
    for question in bank.questions:
        if question.id == question_id:
            return chapter is None or question.chapter == chapter
    return False


def pick_questions(
    bank: QuestionBank,
    history: History,
    *,
    chapter: str | None,
    n: int,
    now: datetime,
    rng: random.Random,
    revision: bool = False,
) -> list[Question]:
    """Up to ``n`` questions: due mistakes first, then never-seen ones, then the rest.

    "The rest" is ordered least recently answered first, so a student who has seen everything
    keeps cycling through the whole chapter. The priority decides *which* questions are drawn;
    the returned order is shuffled by ``rng`` so mistakes are not always asked first.
    ``revision=True`` (the ``/revision`` command) draws only from current mistakes, due or not,
    due ones first; it returns an empty list when there is nothing to review.
    """
    if n <= 0:
        return []
    states = _as_states(history)
    pool: Sequence[Question] = (
        bank.by_chapter(chapter) if chapter is not None else list(bank.questions)
    )
    due: list[Question] = []
    waiting: list[Question] = []
    unseen: list[Question] = []
    seen: list[Question] = []
    for question in pool:
        state = states.get(question.id)
        if state is None:
            unseen.append(question)
        elif state.is_due(now):
            due.append(question)
        elif state.is_mistake:
            waiting.append(question)
        else:
            seen.append(question)
    for tier in (due, waiting, unseen, seen):
        rng.shuffle(tier)

    def when(question: Question, field: str) -> datetime:
        value = getattr(states[question.id], field)
        return value if value is not None else now

    due.sort(key=lambda question: when(question, "due_at"))
    waiting.sort(key=lambda question: when(question, "due_at"))
    if revision:
        ordered = due + waiting
    else:
        rest = waiting + seen
        rest.sort(key=lambda question: when(question, "last_answered"))
        ordered = due + unseen + rest
    chosen = ordered[:n]
    rng.shuffle(chosen)
    return chosen
