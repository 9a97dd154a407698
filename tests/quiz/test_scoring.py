"""Kahoot-like scoring: exact values of the formula, streaks, answer policy, ranking."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from moussaillon.quiz.scoring import (
    LiveAnswer,
    Rank,
    add_scores,
    answer_points,
    leaderboard,
    rank_changes,
    score_question,
    streak_bonus,
)

OPEN = datetime(2026, 3, 12, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "period", "points"),
    [
        (0, 20, 1000),
        (20, 20, 500),
        (10, 20, 750),
        (5, 20, 875),
        (3, 7, 786),  # 1000 * (1 - 3/14) = 785.71…
        (0.5, 30, 992),  # 1000 * (1 - 1/120) = 991.67…
        (25, 20, 500),  # clamped
        (-2, 20, 1000),  # clamped
    ],
)
def test_correct_answer_points(elapsed: float, period: float, points: int) -> None:
    assert answer_points(True, elapsed, period) == points


def test_wrong_answer_scores_nothing() -> None:
    assert answer_points(False, 0, 20) == 0


@pytest.mark.parametrize(
    ("streak", "bonus"), [(0, 0), (1, 0), (2, 100), (3, 200), (5, 400), (6, 500), (12, 500)]
)
def test_streak_bonus(streak: int, bonus: int) -> None:
    assert streak_bonus(streak) == bonus


def answer(user: int, chosen: int, seconds: float) -> LiveAnswer:
    return LiveAnswer(user_id=user, chosen=chosen, answered_at=OPEN + timedelta(seconds=seconds))


def test_first_answer_counts_and_late_answers_are_ignored() -> None:
    answers = [
        answer(1, 0, 4),  # wrong first …
        answer(1, 2, 6),  # … then changes to the right one: ignored
        answer(2, 2, 25),  # after the 20 s window: ignored
        answer(3, 2, 10),
    ]

    scored = score_question(answers, opened_at=OPEN, period=20, correct=(2,), streaks={1: 3, 2: 1})

    assert (scored[1].answered, scored[1].correct, scored[1].total, scored[1].streak) == (
        True,
        False,
        0,
        0,
    )
    assert (scored[2].answered, scored[2].total, scored[2].streak) == (False, 0, 0)
    assert (scored[3].correct, scored[3].points) == (True, 750)


def test_unknown_user_joins_on_first_answer_and_silent_player_loses_streak() -> None:
    scored = score_question(
        [answer(99, 1, 0)], opened_at=OPEN, period=20, correct=(1,), streaks={7: 4}
    )

    assert scored[99].points == 1000 and scored[99].streak == 1
    assert scored[7].answered is False and scored[7].streak == 0


def test_streak_bonus_only_when_enabled() -> None:
    answers = [answer(1, 1, 10)]

    plain = score_question(answers, opened_at=OPEN, period=20, correct=(1,), streaks={1: 2})
    bonus = score_question(
        answers, opened_at=OPEN, period=20, correct=(1,), streaks={1: 2}, use_streak_bonus=True
    )

    assert (plain[1].points, plain[1].bonus, plain[1].streak) == (750, 0, 3)
    assert (bonus[1].points, bonus[1].bonus, bonus[1].total) == (750, 200, 950)


def test_answer_stamped_before_opening_counts_as_instant() -> None:
    scored = score_question([answer(1, 0, -1)], opened_at=OPEN, period=20, correct=(0,), streaks={})

    assert scored[1].points == 1000


def test_add_scores_accumulates() -> None:
    scored = score_question(
        [answer(1, 0, 0), answer(2, 1, 0)], opened_at=OPEN, period=20, correct=(0,), streaks={}
    )

    assert add_scores({1: 500, 3: 200}, scored) == {1: 1500, 2: 0, 3: 200}


def test_leaderboard_ties_share_a_rank_in_a_stable_order() -> None:
    totals = {1: 900, 2: 1200, 3: 900, 4: 500, 5: 500}
    expected = [(1, 2, 1200), (2, 1, 900), (2, 3, 900), (4, 4, 500), (4, 5, 500)]
    rng = random.Random(3)
    for _ in range(5):
        items = list(totals.items())
        rng.shuffle(items)
        ranks = leaderboard(dict(items))
        assert [(r.rank, r.user_id, r.points) for r in ranks] == expected


def test_leaderboard_breaks_ties_by_name() -> None:
    ranks = leaderboard({1: 900, 3: 900}, names={1: "Zoé", 3: "alice"})

    assert [r.user_id for r in ranks] == [3, 1]


def test_rank_changes() -> None:
    before = [Rank(rank=1, user_id=1, points=1000), Rank(rank=2, user_id=2, points=800)]
    after = leaderboard({1: 1500, 2: 1700, 9: 900})

    changes = {change.user_id: change for change in rank_changes(before, after)}

    assert (changes[2].before, changes[2].after, changes[2].delta) == (2, 1, 1)
    assert changes[1].delta == -1
    assert (changes[9].before, changes[9].delta) == (None, None)
