"""Live group quizzes through the stand-in Telegram and the real PTB app, time under control.

The services read a ``ManualClock``: each answer is injected after the clock is set, and the test
waits until the service has decided it, so response times (and scores) are exact. Question closes
still run on the JobQueue in real time, hence the short periods.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from datetime import datetime, timedelta

from moussaillon.core.i18n import number, ordinal, t
from moussaillon.quiz.scoring import answer_points, leaderboard
from tests.classes.harness import class_with_members
from tests.conftest import start_bot
from tests.handlers.telegram.test_quiz_solo import next_poll, question_of, right_option
from tests.quiz.quiz_clock import ManualClock

INSTRUCTOR = 1000


class Answers:
    """Injects poll answers one at a time and waits for the service's decision on each."""

    def __init__(self, bot) -> None:
        self.stub = bot.stub
        self.outcomes: list = []
        bot.services.quiz.live.observers.append(self.outcomes.append)

    async def answer(self, user, poll_id: str, option: int, raw: bool = False) -> str:
        before = len(self.outcomes)
        if raw:  # an update Telegram would not send for an open poll (closed or foreign)
            self.stub.inject(
                {
                    "poll_answer": {
                        "poll_id": poll_id,
                        "user": user.to_dict(),
                        "option_ids": [option],
                        "option_persistent_ids": [f"option-{option}"],
                    }
                }
            )
        else:
            self.stub.poll_answer(user, poll_id, [option])
        async with asyncio.timeout(5):
            while len(self.outcomes) == before:
                await asyncio.sleep(0.005)
        return self.outcomes[-1].status


async def live_poll(bot, group, wait: float = 10.0):
    """The next live poll, once the service has opened it (its clock reading is taken)."""
    message = await next_poll(bot.stub, group, wait=wait)
    live = bot.services.quiz.live
    async with asyncio.timeout(5):
        while True:
            session = await live.active_in(group.id)
            opened = session and await live.open_question(session.id)
            if opened and opened.poll_id == message.poll["id"]:
                return message
            await asyncio.sleep(0.005)


def fresh_poll_ids(stub) -> None:
    """Telegram's poll ids are unique forever; a fresh stand-in restarts its counter at 1."""
    stub.api._ids = itertools.count(10_000)


async def notices(bot) -> dict[int, str | None]:
    return await bot.services.store.read(
        lambda db: dict(db.execute("SELECT user_id, notified FROM live_players").fetchall())
    )


def wrong(poll_message) -> int:
    return (right_option(poll_message) + 1) % len(poll_message.poll["options"])


async def open_game(bot, args: str):
    stub = bot.stub
    host = stub.user(id=INSTRUCTOR, first_name="Prof")
    group = stub.group("Classe A")
    stub.send_text(host, f"/quiz_live {args}", chat=group)
    [intro] = await stub.wait_for(group)
    return host, group, intro


async def test_thirty_students_scored_to_the_formula_with_ties_late_and_double_answers(tmp_path):
    period = 5
    async with start_bot(tmp_path) as bot:
        stub, live = bot.stub, bot.services.quiz.live
        clock = ManualClock()
        bot.services.quiz.set_clock(clock)
        answers = Answers(bot)
        t0 = clock.now
        _, group, intro = await open_game(bot, f"docker 2 {period}")
        assert intro.text.startswith("🎯") and "/live/" in intro.text
        students = [stub.user(first_name=f"S{n:02d}") for n in range(30)]
        stranger = stub.user(first_name="Zoé")  # never talked to the bot
        stub.block(stranger)  # so it cannot receive its private result

        poll_message = await live_poll(bot, group)
        poll = poll_message.poll
        assert poll["type"] == "quiz" and not poll["is_anonymous"]
        assert poll["open_period"] == period
        expected: dict[int, int] = {}
        names = {s.id: s.first_name for s in students} | {stranger.id: "Zoé"}
        for index, student in enumerate(students):
            # pairs answer at the same instant: ties; every 5th student is wrong
            elapsed = 0.2 * (index // 2)
            clock.at(t0 + timedelta(seconds=elapsed))
            right = index % 5 != 4
            option = right_option(poll_message) if right else wrong(poll_message)
            assert await answers.answer(student, poll["id"], option) == "recorded"
            expected[student.id] = answer_points(right, elapsed, period)
        assert await answers.answer(students[0], poll["id"], wrong(poll_message)) == "duplicate"
        clock.at(t0 + timedelta(seconds=1))
        assert await answers.answer(stranger, poll["id"], right_option(poll_message)) == "recorded"
        expected[stranger.id] = answer_points(True, 1.0, period)
        clock.at(t0 + timedelta(seconds=period + 0.5))
        late = stub.user(first_name="Late")
        assert await answers.answer(late, poll["id"], right_option(poll_message)) == "late"

        [results] = await stub.wait_for(group, timeout=period + 3)
        question = question_of(bot, poll_message)
        assert t("quiz.live.answer", "fr", answer=question.options[question.correct_index]) in (
            results.text
        )
        assert t("quiz.live.answered", "fr", answered=31, players=31, right=25) in results.text
        ranks = leaderboard(expected, names)
        for rank in ranks[:10]:
            line = t(
                "quiz.live.leaderboard_line",
                "fr",
                rank=rank.rank,
                name=names[rank.user_id],
                points=number(rank.points, "fr"),
            )
            assert line in results.text
        assert ranks[0].rank == ranks[1].rank == 1 and ranks[0].points == 1000  # a tie
        assert "🥇1. S00 — 1\u202f000 pts" in results.text  # thousands: a narrow space
        assert "🥇1. S01 — 1\u202f000 pts" in results.text
        assert t("quiz.live.others_title", "fr") in results.text
        assert any(
            c.params.get("message_id") == poll_message.message_id for c in stub.calls("stopPoll")
        )
        assert (
            await answers.answer(students[5], poll["id"], right_option(poll_message), raw=True)
            == "closed"
        )

        t1 = clock.at(t0 + timedelta(seconds=60))
        second = await live_poll(bot, group)
        assert second.poll["question"].startswith("2/2")
        # the last ranked student answers first now and climbs
        climber = max(ranks, key=lambda r: (r.rank, r.user_id)).user_id
        student = next(s for s in students if s.id == climber)
        assert await answers.answer(student, second.poll["id"], right_option(second)) == "recorded"
        expected[climber] += 1000
        clock.at(t1 + timedelta(seconds=period))
        [results2] = await stub.wait_for(group, timeout=period + 3)
        assert t("quiz.live.answered", "fr", answered=1, players=31, right=1) in results2.text
        assert "▲" in results2.text
        [podium] = await stub.wait_for(group, timeout=5)
        final = leaderboard(expected, names)
        winners = ", ".join(names[r.user_id] for r in final if r.rank == 1)
        assert podium.text.startswith(t("quiz.live.finished", "fr", winners=winners))
        for rank in final[:3]:
            points = number(rank.points, "fr")
            assert f"{rank.rank}. {names[rank.user_id]} — {points} pts" in podium.text

        [private] = await stub.wait_for(students[2])
        mine = next(r for r in final if r.user_id == students[2].id)
        assert private.text == t(
            "quiz.live.private_result",
            "fr",
            chapter="Docker",
            points=number(mine.points, "fr"),
            rank=ordinal(mine.rank, "fr"),
            players=31,
        )
        async with asyncio.timeout(5):
            while None in (notified := await notices(bot)).values():
                await asyncio.sleep(0.05)
        assert notified[stranger.id] == "unreachable"
        assert {notified[s.id] for s in students} == {"sent"}
        stored = await bot.services.store.read(
            lambda db: dict(db.execute("SELECT user_id, total FROM live_players").fetchall())
        )
        assert stored == expected

        [summary] = await stub.wait_for(stub.send_text(students[3], "/quiz_resultats", chat=group))
        top = number(final[0].points, "fr")
        assert f"1. {names[final[0].user_id]} — {top} pts" in summary.text
        assert (await live.last_results(group.id)).status == "finished"


async def test_only_instructors_start_or_stop_and_only_in_groups(bot):
    stub = bot.stub
    student, group = stub.user(first_name="Alice"), stub.group()
    [refusal] = await stub.wait_for(stub.send_text(student, "/quiz_live docker", chat=group))
    assert refusal.text == t("quiz.live.instructors_only", "fr")
    [refusal] = await stub.wait_for(stub.send_text(student, "/quiz_stop", chat=group))
    assert refusal.text == t("quiz.live.instructors_only", "fr")
    host = stub.user(id=INSTRUCTOR, first_name="Prof")
    [private] = await stub.wait_for(stub.send_text(host, "/quiz_live docker"))
    assert private.text == t("quiz.live.group_only", "fr")
    [usage] = await stub.wait_for(stub.send_text(host, "/quiz_live nowhere", chat=group))
    assert usage.text.startswith("Usage : /quiz_live")
    [none] = await stub.wait_for(stub.send_text(host, "/quiz_resultats", chat=group))
    assert none.text == t("quiz.live.no_results", "fr")
    assert await bot.services.quiz.live.active_in(group.id) is None


async def test_stop_scores_the_open_question_and_shows_the_results(bot):
    stub = bot.stub
    answers = Answers(bot)
    host, group, _ = await open_game(bot, "mix 5 30")
    poll_message = await live_poll(bot, group)
    alice = stub.user(first_name="Alice")
    assert await answers.answer(alice, poll_message.poll["id"], right_option(poll_message)) == (
        "recorded"
    )
    [again] = await stub.wait_for(stub.send_text(host, "/quiz_live docker", chat=group))
    assert again.text == t("quiz.live.already_running", "fr")
    stub.send_text(host, "/quiz_stop", chat=group)
    results, stopped, podium = await stub.wait_for(group, count=3)
    assert t("quiz.live.answered", "fr", answered=1, players=1, right=1) in results.text
    assert stopped.text == t("quiz.live.stopped", "fr")
    assert "Alice" in podium.text and "🥇1. Alice" in podium.text
    final = await bot.services.quiz.live.last_results(group.id)
    assert final.status == "aborted" and final.asked == 1 and final.ranking[0].points > 500
    await asyncio.sleep(1)
    assert [m for m in stub.messages(group) if m.poll and not m.poll["is_closed"]] == []


async def test_restart_mid_question_resumes_it_with_the_answers_kept(tmp_path):
    period = 6
    clock = ManualClock()
    t0 = clock.now
    async with start_bot(tmp_path) as bot:
        bot.services.quiz.set_clock(clock)
        answers = Answers(bot)
        _, group, _ = await open_game(bot, f"conteneurs 2 {period}")
        poll_message = await live_poll(bot, group)
        alice = bot.stub.user(first_name="Alice")
        bob = bot.stub.user(first_name="Bob")
        clock.at(t0 + timedelta(seconds=1))
        await answers.answer(alice, poll_message.poll["id"], right_option(poll_message))
        clock.at(t0 + timedelta(seconds=2))
        await answers.answer(bob, poll_message.poll["id"], wrong(poll_message))
    # the process dies mid-question; a new one starts on the same database
    async with start_bot(tmp_path) as bot:
        stub = bot.stub
        fresh_poll_ids(stub)
        bot.services.quiz.set_clock(clock)
        group = stub.group("Classe A", id=group.id)
        alice = stub.user(id=alice.id, first_name="Alice")
        [results] = await stub.wait_for(group, timeout=period + 3)
        assert t("quiz.live.answered", "fr", answered=2, players=2, right=1) in results.text
        assert f"1. Alice — {answer_points(True, 1.0, period)} pts" in results.text
        second = await live_poll(bot, group)
        assert second.poll["question"].startswith("2/2")
        assert await Answers(bot).answer(alice, second.poll["id"], right_option(second)) == (
            "recorded"
        )
        [_, podium] = await stub.wait_for(group, count=2, timeout=period + 8)
        assert "🥇1. Alice" in podium.text


async def test_restart_after_the_close_time_closes_the_question_and_goes_on(tmp_path):
    period = 2
    async with start_bot(tmp_path) as bot:
        answers = Answers(bot)
        _, group, _ = await open_game(bot, f"reseaux 2 {period}")
        poll_message = await live_poll(bot, group)
        alice = bot.stub.user(first_name="Alice")
        await answers.answer(alice, poll_message.poll["id"], right_option(poll_message))
    await asyncio.sleep(period + 0.5)  # down longer than the question was open
    async with start_bot(tmp_path) as bot:
        stub = bot.stub
        fresh_poll_ids(stub)
        group = stub.group("Classe A", id=group.id)
        second = await live_poll(bot, group)
        assert second.poll["question"].startswith("2/2")
        state = await bot.services.quiz.live.state(second_session := 1)
        assert state.position == 2 and state.leaderboard[0].name == "Alice"
        assert state.leaderboard[0].points > 500 and second_session == state.session_id
        assert isinstance(state.opened_at, datetime)


async def test_a_linked_class_sees_the_answer_once_every_student_answered(tmp_path):
    period = 60
    async with start_bot(tmp_path) as bot:
        stub = bot.stub
        answers = Answers(bot)
        _, students = await class_with_members(bot, 2)
        host = stub.user(id=INSTRUCTOR, first_name="Prof")
        group = stub.group("Promo")
        await stub.wait_for(stub.send_text(host, "/lier", chat=group))
        [intro] = await stub.wait_for(stub.send_text(host, f"/quiz_live docker 2 {period}",
                                                     chat=group))
        assert t("quiz.live.reveal_rule_class", "fr", count=2) in intro.text
        for number in (1, 2):
            poll_message = await live_poll(bot, group)
            poll_id = poll_message.poll["id"]
            assert await answers.answer(students[0], poll_id, right_option(poll_message)) == (
                "recorded"
            )
            with contextlib.suppress(TimeoutError):  # one student of two: it stays open
                await stub.wait_for(group, timeout=0.5)
                raise AssertionError("revealed before every student answered")
            started = time.monotonic()
            assert await answers.answer(students[1], poll_id, wrong(poll_message)) == "recorded"
            [results] = await stub.wait_for(group, timeout=5)
            assert time.monotonic() - started < 5  # not the 60 s of the question
            assert t("quiz.live.answered", "fr", answered=2, players=2, right=1) in results.text
            assert results.text.startswith(f"{number}/2")
        [podium] = await stub.wait_for(group, timeout=5)
        assert students[0].first_name in podium.text
