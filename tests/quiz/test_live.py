"""The live quiz service on a real SQLite file, with the clock in the test's hands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moussaillon.areas import migrations
from moussaillon.core.errors import BadInput, NotFound
from moussaillon.core.store import Store
from moussaillon.quiz.bank import load_bank
from moussaillon.quiz.live import LiveQuizService
from moussaillon.quiz.scoring import answer_points, streak_bonus
from tests.quiz.quiz_clock import ManualClock

CHAT, HOST = -500, 1000


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "live.db", migrations())
    yield store
    store.close()


@pytest.fixture
def clock():
    return ManualClock()


def service(store, clock, **options) -> LiveQuizService:
    return LiveQuizService(store, load_bank(), clock=clock, **options)


async def open_next(live, session_id: int, poll_id: str):
    asked = await live.next_question(session_id)
    await live.question_opened(asked, poll_id=poll_id, message_id=1)
    return asked


def wrong(asked) -> int:
    return (asked.shown.correct_index + 1) % len(asked.shown.options)


async def test_every_answer_is_decided_deterministically(store, clock):
    live = service(store, clock)
    t0 = clock.now
    session = await live.create(CHAT, HOST, chapter="docker", n=2, period=10)
    with pytest.raises(BadInput) as busy:
        await live.create(CHAT, HOST, chapter=None, n=2, period=10)
    assert busy.value.key == "quiz.live.already_running"
    asked = await open_next(live, session.id, "q1")
    right = asked.shown.correct_index

    async def status(user: int, options: list[int], poll: str = "q1") -> str:
        return (await live.record_answer(poll, user, f"U{user}", options)).status

    assert await status(1, [right], poll="not-live") == "unknown_poll"
    assert await status(1, []) == "retracted"
    clock.at(t0 + timedelta(seconds=3))
    assert await status(1, [right]) == "recorded"
    assert await status(1, [wrong(asked)]) == "duplicate"
    clock.at(t0 + timedelta(seconds=10))
    assert await status(2, [wrong(asked)]) == "recorded"  # exactly at the close: still in time
    clock.at(t0 + timedelta(seconds=10.001))
    assert await status(3, [right]) == "late"
    closed = await live.close_question(session.id, 0)
    assert await live.close_question(session.id, 0) is None  # idempotent
    assert await status(4, [right]) == "closed"
    assert closed.answered == 2 and closed.right == 1
    assert closed.scored[1].points == answer_points(True, 3, 10) == 850
    assert closed.scored[2].points == 0
    assert [(line.name, line.points) for line in closed.leaderboard] == [("U1", 850), ("U2", 0)]


async def test_streak_bonus_rank_changes_and_final_results(store, clock):
    live = service(store, clock, streak_bonus=True)
    session = await live.create(CHAT, HOST, chapter="images", n=2, period=20)
    t0 = clock.now
    first = await open_next(live, session.id, "a")
    clock.at(t0 + timedelta(seconds=1))
    await live.record_answer("a", 1, "Ana", [first.shown.correct_index])
    clock.at(t0 + timedelta(seconds=2))
    await live.record_answer("a", 2, "Ben", [first.shown.correct_index])
    await live.close_question(session.id, 0)

    t1 = clock.advance(30)
    second = await open_next(live, session.id, "b")
    await live.record_answer("b", 2, "Ben", [second.shown.correct_index])  # instant: 1000
    clock.at(t1 + timedelta(seconds=10))
    await live.record_answer("b", 1, "Ana", [wrong(second)])
    await live.record_answer("b", 3, "Cy", [second.shown.correct_index])  # a newcomer
    closed = await live.close_question(session.id, 1)
    ben = answer_points(True, 2, 20) + 1000 + streak_bonus(2)
    assert closed.scored[2].bonus == streak_bonus(2) == 100
    assert closed.scored[1].streak == 0 and closed.scored[3].bonus == 0
    assert [(line.name, line.points) for line in closed.leaderboard] == [
        ("Ben", ben),
        ("Ana", answer_points(True, 1, 20)),
        ("Cy", answer_points(True, 10, 20)),
    ]
    assert closed.changes[2].delta == 1 and closed.changes[1].delta == -1
    assert closed.changes[3].delta is None and closed.is_last
    assert await live.next_question(session.id) is None

    results = await live.finish(session.id)
    assert results.status == "finished" and results.asked == 2
    assert [line.name for line in results.podium] == ["Ben", "Ana", "Cy"]
    assert (await live.last_results(CHAT)).session_id == session.id
    assert await live.active_in(CHAT) is None
    await live.create(CHAT, HOST, chapter=None, n=1, period=5)  # the chat is free again


async def test_a_restarted_service_finds_the_open_question_and_its_answers(tmp_path, clock):
    store = Store(tmp_path / "live.db", migrations())
    before = service(store, clock)
    session = await before.create(CHAT, HOST, chapter="reseaux", n=3, period=15)
    asked = await open_next(before, session.id, "r1")
    clock.advance(5)
    await before.record_answer("r1", 9, "Ines", [asked.shown.correct_index])
    store.close()
    store = Store(tmp_path / "live.db", migrations())
    try:
        after = service(store, clock)
        [running] = await after.running()
        open_question = await after.open_question(running.id)
        assert open_question.position == 0 and open_question.poll_id == "r1"
        assert open_question.closes_at - clock.now == timedelta(seconds=10)
        state = await after.state(running.id)
        assert state.open and state.answered == 1 and state.remaining_s == 10
        closed = await after.close_question(running.id, 0)
        assert closed.scored[9].points == answer_points(True, 5, 15)
        assert (await after.next_question(running.id)).position == 1
    finally:
        store.close()


async def test_unknown_session(store, clock):
    with pytest.raises(NotFound):
        await service(store, clock).state(12345)
