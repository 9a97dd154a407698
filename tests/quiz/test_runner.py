"""The live game loop without Telegram: the real runner and services on a real SQLite file,
driven through the runner's protocols by a recording transport and a scheduler on virtual time.

The fakes are the seam: ``FakeScheduler.run_until`` fires due callbacks in order, moving the
services' clock to each one's time, so closes happen exactly when the runner armed them.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import datetime, timedelta

import pytest

from moussaillon.areas import migrations
from moussaillon.core.errors import BadInput
from moussaillon.core.store import Store
from moussaillon.quiz.bank import BUNDLED_BANK
from moussaillon.quiz.live_models import LiveQuestion
from moussaillon.quiz.requests import LiveRequest
from moussaillon.quiz.scoring import answer_points
from moussaillon.quiz.service import QuizService, build_quiz
from moussaillon.quiz.transport import (
    DeliveryFailed,
    Fire,
    GameResumed,
    GameStarting,
    GameStopped,
    Podium,
    PollRef,
    PrivateResult,
    QuestionResults,
)
from tests.quiz.quiz_clock import ManualClock

CHAT, HOST = -500, 1000
ALICE, BOB, CAROL, DAVE = 1, 2, 3, 4
NAMES = {ALICE: "Alice", BOB: "Bob", CAROL: "Carol", DAVE: "Dave"}


class FakeTransport:
    """Records what the runner posts; chats in ``unreachable`` refuse every message."""

    def __init__(self, first_id: int = 1) -> None:
        self.ids = itertools.count(first_id)
        self.questions: list[tuple[LiveQuestion, PollRef]] = []
        self.news: list[tuple[int, object]] = []
        self.stopped: list[int] = []
        self.unreachable: set[int] = set()
        self.refuse_questions = False

    async def send_question(self, asked: LiveQuestion) -> PollRef:
        if self.refuse_questions:
            raise DeliveryFailed("chat not found")
        number = next(self.ids)
        poll = PollRef(poll_id=f"poll-{number}", message_id=number)
        self.questions.append((asked, poll))
        return poll

    async def stop_poll(self, chat_id: int, message_id: int) -> None:
        self.stopped.append(message_id)

    async def announce(self, chat_id: int, news: object) -> None:
        if chat_id in self.unreachable:
            raise DeliveryFailed("Forbidden: bot was blocked by the user")
        self.news.append((chat_id, news))

    def of(self, kind: type) -> list:
        return [news for _, news in self.news if isinstance(news, kind)]


class FakeScheduler:
    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.pending: dict[str, tuple[datetime, Fire]] = {}

    def call_later(self, key: str, delay_s: float, callback: Fire) -> None:
        self.pending[key] = (self.clock.now + timedelta(seconds=delay_s), callback)

    def cancel(self, key: str) -> None:
        self.pending.pop(key, None)

    def due(self, key: str) -> datetime:
        return self.pending[key][0]

    async def run_until(self, moment: datetime) -> None:
        while due := [(when, key) for key, (when, _) in self.pending.items() if when <= moment]:
            when, key = min(due)
            _, callback = self.pending.pop(key)
            self.clock.at(max(self.clock.now, when))
            await callback()
        self.clock.at(max(self.clock.now, moment))


class Game:
    """One process: a store on the file, the quiz services, and the runner on the fakes."""

    def __init__(self, path, clock: ManualClock, first_id: int = 1) -> None:
        self.store = Store(path, migrations())
        self.clock = clock
        self.quiz: QuizService = build_quiz(self.store, BUNDLED_BANK, clock=clock)
        self.transport = FakeTransport(first_id)
        self.scheduler = FakeScheduler(clock)
        self.runner = self.quiz.attach(self.transport, self.scheduler)

    @property
    def current(self) -> tuple[LiveQuestion, PollRef]:
        return self.transport.questions[-1]

    async def answer(self, user: int, *, right: bool, after: float) -> str:
        """``user`` answers the current question ``after`` seconds into it."""
        asked, poll = self.current
        opened = await self.store.read(
            lambda db: db.execute(
                "SELECT opened_at FROM live_questions WHERE poll_id = ?", [poll.poll_id]
            ).fetchone()[0]
        )
        self.clock.at(datetime.fromisoformat(opened) + timedelta(seconds=after))
        shown = asked.shown.correct_index
        option = shown if right else (shown + 1) % len(asked.shown.options)
        routed = await self.quiz.answer_poll(poll.poll_id, user, NAMES[user], [option])
        assert routed.target == "live"
        return routed.live.status

    async def until_close(self) -> QuestionResults:
        """Let time run to the current question's close; its results."""
        asked, _ = self.current
        before = len(self.transport.of(QuestionResults))
        key = f"live:{asked.session_id}:{asked.position}"
        await self.scheduler.run_until(self.scheduler.due(key))
        [results] = self.transport.of(QuestionResults)[before:]
        return results

    async def notified(self) -> dict[int, str]:
        return await self.store.read(
            lambda db: dict(db.execute("SELECT user_id, notified FROM live_players").fetchall())
        )


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def process(tmp_path, clock):
    """Starts a "process" on the test's database file; a second one is a restart."""
    started: list[Game] = []

    def start(first_id: int = 1) -> Game:
        started.append(Game(tmp_path / "live.db", clock, first_id))
        return started[-1]

    yield start
    for game in started:
        game.store.close()


@pytest.fixture
def game(process):
    return process()


def board(results: QuestionResults | Podium) -> list[tuple[int, str, int]]:
    lines = (
        results.closed.leaderboard
        if isinstance(results, QuestionResults)
        else results.results.ranking
    )
    return [(line.rank, line.name, line.points) for line in lines]


async def test_a_full_game_of_three_questions_scores_ranks_and_crowns(game):
    request = LiveRequest(chapter="docker", count=3, seconds=10)
    session = await game.runner.start(CHAT, HOST, request)
    [(chat, starting)] = game.transport.news
    assert chat == CHAT and isinstance(starting, GameStarting)
    assert starting.session.count == 3 and starting.seconds == 10
    asked, first_poll = game.current
    assert asked.position == 0 and asked.question.chapter == "docker"

    # question 1: Alice fast, Bob slower, Carol wrong; a double answer and a late one count not
    assert await game.answer(ALICE, right=True, after=1) == "recorded"
    assert await game.answer(ALICE, right=False, after=1.5) == "duplicate"
    assert await game.answer(CAROL, right=False, after=2) == "recorded"
    assert await game.answer(BOB, right=True, after=4) == "recorded"
    assert await game.answer(DAVE, right=True, after=10.5) == "late"  # close not run yet
    results = await game.until_close()
    closed_at = game.clock.now
    assert game.transport.stopped == [first_poll.message_id]
    assert results.players == 3 and results.closed.answered == 3 and results.closed.right == 2
    assert board(results) == [(1, "Alice", 950), (2, "Bob", 800), (3, "Carol", 0)]
    assert answer_points(True, 1, 10) == 950 and answer_points(True, 4, 10) == 800
    assert await game.answer(DAVE, right=True, after=11) == "closed"

    # the next question after a pause of half the period (at most 5 s)
    assert game.scheduler.due(f"live-next:{session.id}") == closed_at + timedelta(seconds=5)
    await game.scheduler.run_until(closed_at + timedelta(seconds=4.9))
    assert len(game.transport.questions) == 1
    await game.scheduler.run_until(closed_at + timedelta(seconds=5))
    assert game.current[0].position == 1

    # question 2: Carol instantly right and climbs, Alice wrong, Bob silent
    assert await game.answer(CAROL, right=True, after=0) == "recorded"
    assert await game.answer(ALICE, right=False, after=3) == "recorded"
    results = await game.until_close()
    assert board(results) == [(1, "Carol", 1000), (2, "Alice", 950), (3, "Bob", 800)]
    moves = {uid: change.delta for uid, change in results.closed.changes.items()}
    assert moves == {CAROL: 2, ALICE: -1, BOB: -1}

    # question 3: everyone right, at 1 s, 5 s and on the last instant; Carol blocked the bot
    await game.scheduler.run_until(game.clock.now + timedelta(seconds=5))
    game.transport.unreachable.add(CAROL)
    assert await game.answer(BOB, right=True, after=1) == "recorded"
    assert await game.answer(ALICE, right=True, after=5) == "recorded"
    assert await game.answer(CAROL, right=True, after=10) == "recorded"
    results = await game.until_close()
    final = [(1, "Bob", 1750), (2, "Alice", 1700), (3, "Carol", 1500)]
    assert board(results) == final

    [podium] = game.transport.of(Podium)
    assert board(podium) == final and podium.results.status == "finished"
    assert [line.name for line in podium.results.podium] == ["Bob", "Alice", "Carol"]
    private = {
        chat: news.line.points
        for chat, news in game.transport.news
        if isinstance(news, PrivateResult)
    }
    assert private == {BOB: 1750, ALICE: 1700}
    assert await game.notified() == {ALICE: "sent", BOB: "sent", CAROL: "unreachable"}
    assert game.scheduler.pending == {}
    assert len(game.transport.questions) == 3
    assert (await game.quiz.live.last_results(CHAT)).asked == 3


async def test_the_first_question_in_a_group_without_class_runs_its_full_time(game):
    await game.runner.start(CHAT, HOST, LiveRequest(chapter="images", count=2, seconds=20))
    for user in (ALICE, BOB):
        await game.answer(user, right=True, after=1)
    opened = await game.quiz.live.open_question(game.current[0].session_id)
    await game.scheduler.run_until(opened.closes_at - timedelta(milliseconds=1))
    assert game.transport.of(QuestionResults) == []
    await game.until_close()
    assert game.clock.now == opened.closes_at


async def test_a_question_closes_as_soon_as_everyone_who_played_has_answered(game):
    await game.runner.start(CHAT, HOST, LiveRequest(chapter="images", count=4, seconds=20))
    [starting] = game.transport.of(GameStarting)
    assert starting.class_size == 0  # no class known: the rules say "from question 2"
    for user in (ALICE, BOB):
        await game.answer(user, right=True, after=1)
    await game.until_close()  # question 1: its full 20 s, nobody could know who plays
    await game.scheduler.run_until(game.clock.now + timedelta(seconds=5))

    # question 2: Alice and Bob played; Carol joins now and does not hold it open
    assert await game.answer(ALICE, right=True, after=2) == "recorded"
    assert await game.answer(CAROL, right=False, after=3) == "recorded"
    key = f"live:{game.current[0].session_id}:1"
    opened = await game.quiz.live.open_question(game.current[0].session_id)
    assert game.scheduler.due(key) == opened.closes_at  # Bob has not answered
    assert await game.answer(BOB, right=True, after=4) == "recorded"
    assert game.scheduler.due(key) == opened.opened_at + timedelta(seconds=4)  # now
    await game.scheduler.run_until(game.clock.now)
    [_, second] = game.transport.of(QuestionResults)
    assert (second.players, second.closed.answered, second.closed.right) == (3, 3, 2)
    points = answer_points(True, 1, 20) + answer_points(True, 2, 20)
    assert board(second)[0] == (1, "Alice", points)  # scored as if it had run its time

    # question 3: Carol has played now, so the three are waited for
    await game.scheduler.run_until(game.clock.now + timedelta(seconds=5))
    for user in (ALICE, BOB):
        await game.answer(user, right=True, after=1)
    assert game.scheduler.due(f"live:{game.current[0].session_id}:2") > game.clock.now
    assert await game.answer(CAROL, right=True, after=6) == "recorded"
    await game.scheduler.run_until(game.clock.now)
    assert len(game.transport.of(QuestionResults)) == 3
    # a late double answer after the early close changes nothing
    assert await game.answer(CAROL, right=True, after=7) == "closed"


async def test_a_group_linked_to_a_class_reveals_the_first_question_once_its_class_answered(
    game,
):
    async def class_of(chat_id: int) -> frozenset[int]:
        return frozenset({ALICE, BOB}) if chat_id == CHAT else frozenset()

    game.runner.roster = class_of
    session = await game.runner.start(
        CHAT, HOST, LiveRequest(chapter="docker", count=2, seconds=30)
    )
    [starting] = game.transport.of(GameStarting)
    assert starting.class_size == 2
    opened = await game.quiz.live.open_question(session.id)
    await game.answer(ALICE, right=True, after=1)
    await game.answer(DAVE, right=True, after=2)  # not in the class: welcome, not waited for
    await game.scheduler.run_until(game.clock.now)
    assert game.transport.of(QuestionResults) == []
    await game.answer(BOB, right=False, after=3)
    await game.scheduler.run_until(game.clock.now)
    [results] = game.transport.of(QuestionResults)
    assert results.closed.answered == 3
    assert game.clock.now == opened.opened_at + timedelta(seconds=3)  # not 30
    assert game.transport.stopped == [opened.message_id]


async def test_a_restart_mid_question_resumes_it_with_the_answers_kept(process, clock):
    before = process()
    session = await before.runner.start(CHAT, HOST, LiveRequest(chapter=None, count=2, seconds=10))
    asked, poll = before.current
    assert await before.answer(ALICE, right=True, after=1) == "recorded"
    opened = await before.quiz.live.open_question(session.id)
    clock.at(opened.opened_at + timedelta(seconds=3))
    before.store.close()  # the process dies; its timers die with it

    after = process(first_id=100)
    await after.runner.resume()
    assert after.transport.news == [(CHAT, GameResumed(position=0, count=2))]
    key = f"live:{session.id}:0"
    assert after.scheduler.due(key) == opened.closes_at  # not a fresh 10 s
    after.transport.questions.append((asked, poll))  # the poll still open in the group
    assert await after.answer(BOB, right=True, after=5) == "recorded"
    assert await after.answer(ALICE, right=False, after=6) == "duplicate"
    results = await after.until_close()
    assert after.transport.stopped == [poll.message_id]
    assert board(results) == [(1, "Alice", 950), (2, "Bob", 750)]

    await after.scheduler.run_until(clock.now + timedelta(seconds=5))
    second, second_poll = after.current
    assert second.position == 1 and second_poll.poll_id == "poll-100"
    assert await after.answer(BOB, right=True, after=0) == "recorded"
    await after.until_close()
    [podium] = after.transport.of(Podium)
    assert board(podium) == [(1, "Bob", 1750), (2, "Alice", 950)]


async def test_a_restart_after_the_close_time_closes_at_once_and_goes_on(process, clock):
    before = process()
    session = await before.runner.start(
        CHAT, HOST, LiveRequest(chapter="volumes", count=2, seconds=4)
    )
    await before.answer(ALICE, right=True, after=2)
    before.store.close()
    clock.advance(60)  # down far longer than the question was open

    after = process(first_id=100)
    await after.runner.resume()
    assert after.scheduler.due(f"live:{session.id}:0") == clock.now
    await after.scheduler.run_until(clock.now)
    [results] = after.transport.of(QuestionResults)
    assert board(results) == [(1, "Alice", answer_points(True, 2, 4))]
    await after.scheduler.run_until(clock.now + timedelta(seconds=2))
    assert after.current[0].position == 1


async def test_stop_cancels_the_timers_scores_the_open_question_and_aborts(game):
    session = await game.runner.start(
        CHAT, HOST, LiveRequest(chapter="docker", count=5, seconds=30)
    )
    await game.answer(ALICE, right=True, after=3)
    with pytest.raises(BadInput):
        await game.runner.start(CHAT, HOST, LiveRequest(chapter="docker", count=5, seconds=30))
    results = await game.runner.stop(CHAT, HOST)
    assert game.scheduler.pending == {}
    kinds = [type(news) for _, news in game.transport.news]
    assert kinds == [GameStarting, QuestionResults, GameStopped, Podium, PrivateResult]
    assert game.transport.of(GameStopped) == [GameStopped(by_user_id=HOST)]
    assert results.status == "aborted" and results.asked == 1
    assert results.ranking[0].points == answer_points(True, 3, 30)
    assert await game.runner.stop(CHAT, HOST) is None
    assert (await game.quiz.live.session(session.id)).status == "aborted"


async def test_a_question_that_cannot_be_posted_aborts_the_game(game):
    game.transport.refuse_questions = True
    session = await game.runner.start(
        CHAT, HOST, LiveRequest(chapter="docker", count=3, seconds=10)
    )
    assert (await game.quiz.live.session(session.id)).status == "aborted"
    assert game.scheduler.pending == {}


async def test_an_answer_that_overtakes_its_poll_is_retried_until_the_poll_is_stored(game):
    """Telegram can deliver the first answer before our sendPoll's response: the transport
    here lets the answer in while the response is still on its way."""
    outcomes: list[str] = []
    refused = asyncio.Event()

    def observe(outcome) -> None:
        outcomes.append(outcome.status)
        if outcome.status == "unknown_poll":
            refused.set()

    game.quiz.live.observers.append(observe)
    send = game.transport.send_question
    answering: list[asyncio.Task] = []

    async def slow_send(asked: LiveQuestion) -> PollRef:
        poll = await send(asked)
        option = [asked.shown.correct_index]
        answering.append(
            asyncio.create_task(game.quiz.answer_poll(poll.poll_id, ALICE, "Alice", option))
        )
        async with asyncio.timeout(5):  # the response to sendPoll comes back after the answer
            await refused.wait()
        return poll

    game.transport.send_question = slow_send
    await game.runner.start(CHAT, HOST, LiveRequest(chapter="docker", count=1, seconds=10))
    routed = await answering[0]
    assert routed.target == "live" and routed.live.status == "recorded"
    assert outcomes == ["unknown_poll", "recorded"]


async def test_an_answer_to_a_poll_nobody_knows_is_dropped_after_about_a_second(game):
    started = time.monotonic()
    routed = await game.quiz.answer_poll("never-sent", ALICE, "Alice", [0])
    assert routed.target == "unknown" and routed.solo is None and routed.live is None
    assert time.monotonic() - started >= 0.9
    assert (await game.quiz.answer_poll("never-sent", ALICE, "Alice", [])).target == "unknown"
