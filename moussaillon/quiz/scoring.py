"""Live-quiz scoring, Kahoot-style: right and fast beats right and slow, wrong scores nothing.

Points for a correct answer fall linearly from 1000 (answered the instant the question opens) to
500 (answered as it closes): ``round(1000 * (1 - (elapsed / period) / 2))``, clamped to
[500, 1000]. A wrong answer, or none, scores 0.

Optional streak bonus (the live session's ``streak_bonus`` setting): +100 for each consecutive
correct answer beyond the first, capped at +500. The 2nd right answer in a row earns +100, the
3rd +200, … the 6th and later +500. A wrong or missing answer resets the streak.

Answer policy, applied by ``score_question`` so the live runner cannot get it wrong:

- the first answer of a user counts; later ones (changed votes, double taps) are ignored
  (``live_answers`` also has UNIQUE(question, user), so a second row cannot even be stored);
- answers received after the question closed (``elapsed > period``) are ignored;
- an answer stamped before the opening (clock skew) counts as instant;
- there is no sign-up: a player joins on their first answer, with a streak of 0 and every
  earlier question counted as unanswered;
- players who did not answer a question score 0 for it and lose their streak.

When this runs: the live runner (``runner.py``) closes each question when its time is up (or the
game is stopped), and ``LiveQuizService.close_question`` scores it then, from the stored answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

MAX_POINTS = 1000
MIN_POINTS = 500
STREAK_STEP = 100
STREAK_CAP = 500

UserId = int


def answer_points(correct: bool, elapsed: float, period: float) -> int:
    """Points for one answer, before any streak bonus."""
    if not correct:
        return 0
    if period <= 0:
        return MAX_POINTS
    ratio = min(max(elapsed / period, 0.0), 1.0)
    return max(MIN_POINTS, min(MAX_POINTS, round(MAX_POINTS * (1 - ratio / 2))))


def streak_bonus(streak: int) -> int:
    """Bonus for a correct answer that makes ``streak`` right answers in a row (itself included)."""
    if streak <= 1:
        return 0
    return min(STREAK_STEP * (streak - 1), STREAK_CAP)


class ScoredAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: UserId
    answered: bool
    correct: bool
    points: int
    bonus: int
    streak: int
    """Right answers in a row after this question."""
    chosen: int | None = None
    elapsed: float | None = None

    @property
    def total(self) -> int:
        return self.points + self.bonus


class LiveAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: UserId
    chosen: int
    """Bank index of the option chosen (already mapped back from the shown order)."""
    answered_at: datetime


def score_question(
    answers: Iterable[LiveAnswer],
    *,
    opened_at: datetime,
    period: float,
    correct: Sequence[int],
    streaks: Mapping[UserId, int],
    use_streak_bonus: bool = False,
) -> dict[UserId, ScoredAnswer]:
    """Score one closed question for every participant (``streaks`` keys) and every answerer."""
    first: dict[UserId, tuple[LiveAnswer, float]] = {}
    for answer in sorted(answers, key=lambda item: item.answered_at):
        elapsed = max((answer.answered_at - opened_at).total_seconds(), 0.0)
        if elapsed > period or answer.user_id in first:
            continue
        first[answer.user_id] = (answer, elapsed)
    results: dict[UserId, ScoredAnswer] = {}
    for user_id in dict.fromkeys([*streaks, *first]):
        if user_id not in first:
            results[user_id] = ScoredAnswer(
                user_id=user_id, answered=False, correct=False, points=0, bonus=0, streak=0
            )
            continue
        answer, elapsed = first[user_id]
        right = answer.chosen in correct
        streak = streaks.get(user_id, 0) + 1 if right else 0
        results[user_id] = ScoredAnswer(
            user_id=user_id,
            answered=True,
            correct=right,
            points=answer_points(right, elapsed, period),
            bonus=streak_bonus(streak) if right and use_streak_bonus else 0,
            streak=streak,
            chosen=answer.chosen,
            elapsed=elapsed,
        )
    return results


def add_scores(
    totals: Mapping[UserId, int], scored: Mapping[UserId, ScoredAnswer]
) -> dict[UserId, int]:
    updated = dict(totals)
    for user_id, result in scored.items():
        updated[user_id] = updated.get(user_id, 0) + result.total
    return updated


class Rank(BaseModel):
    model_config = ConfigDict(frozen=True)

    rank: int
    user_id: UserId
    points: int


class RankChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: UserId
    before: int | None
    after: int
    delta: int | None
    """Places gained (positive) or lost (negative); None for a newcomer."""


def leaderboard(
    totals: Mapping[UserId, int], names: Mapping[UserId, str] | None = None
) -> list[Rank]:
    """Competition ranking (1, 1, 3): ties share a rank, listed by name then id for stability."""
    names = names or {}

    def order(user_id: UserId) -> tuple[int, str, UserId]:
        return (-totals[user_id], names.get(user_id, "").casefold(), user_id)

    ranks: list[Rank] = []
    for position, user_id in enumerate(sorted(totals, key=order), start=1):
        points = totals[user_id]
        rank = ranks[-1].rank if ranks and ranks[-1].points == points else position
        ranks.append(Rank(rank=rank, user_id=user_id, points=points))
    return ranks


def rank_changes(before: Sequence[Rank], after: Sequence[Rank]) -> list[RankChange]:
    """How each player of ``after`` moved since ``before``, in ``after`` order."""
    previous = {rank.user_id: rank.rank for rank in before}
    changes = []
    for rank in after:
        old = previous.get(rank.user_id)
        changes.append(
            RankChange(
                user_id=rank.user_id,
                before=old,
                after=rank.rank,
                delta=None if old is None else old - rank.rank,
            )
        )
    return changes
