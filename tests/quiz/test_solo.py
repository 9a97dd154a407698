"""The solo quiz service on a real SQLite file: poll routing, first answer counts, timeouts,
spaced repetition across days, and nothing lost when the process restarts."""

from __future__ import annotations

import pytest

from moussaillon.areas import migrations
from moussaillon.core.errors import BadInput, NotFound
from moussaillon.core.store import Store
from moussaillon.quiz.bank import load_bank
from moussaillon.quiz.shuffle import shuffled
from moussaillon.quiz.solo import SoloQuizService, seed_for
from tests.quiz.quiz_clock import ManualClock

USER, CHAT = 77, 77


@pytest.fixture
def bank():
    return load_bank()


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "quiz.db", migrations())
    yield store
    store.close()


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def solo(store, bank, clock):
    return SoloQuizService(store, bank, clock=clock)


async def ask(solo, quiz_id: int, poll_id: str):
    asked = await solo.current(quiz_id)
    await solo.poll_sent(asked, poll_id=poll_id, chat_id=CHAT, message_id=1, seconds=30)
    return asked


def wrong_shown(asked) -> int:
    return (asked.shown.correct_index + 1) % len(asked.shown.options)


async def test_a_quiz_asks_distinct_questions_of_the_chapter_in_each_students_order(solo, bank):
    started = await solo.start(USER, CHAT, chapter="volumes")
    assert started.count == 5
    seen = set()
    for position in range(5):
        asked = await ask(solo, started.quiz_id, f"p{position}")
        assert asked.position == position and asked.question.chapter == "volumes"
        assert asked.shown == shuffled(asked.question, seed_for(USER, started.quiz_id))
        seen.add(asked.question.id)
        result = await solo.answer(f"p{position}", USER, asked.shown.correct_index)
        assert result.status == "recorded" and result.correct
    assert len(seen) == 5 and result.finished and result.score == 5
    assert await solo.current(started.quiz_id) is None


async def test_the_shown_choice_is_mapped_back_to_the_bank_index(solo, store):
    started = await solo.start(USER, CHAT, chapter="reseaux", n=1)
    asked = await ask(solo, started.quiz_id, "p")
    shown = wrong_shown(asked)
    result = await solo.answer("p", USER, shown)
    assert (
        not result.correct
        and result.right_option == asked.question.options[asked.question.correct_index]
    )
    chosen = await store.read(lambda db: db.execute("SELECT chosen FROM quiz_attempts").fetchone())
    assert chosen[0] == asked.shown.mapping[shown]


async def test_first_answer_counts_and_foreign_or_unknown_polls_are_not_ours(solo):
    started = await solo.start(USER, CHAT, chapter="docker", n=2)
    asked = await ask(solo, started.quiz_id, "p")
    assert (await solo.answer("p", USER, wrong_shown(asked))).status == "recorded"
    again = await solo.answer("p", USER, asked.shown.correct_index)
    assert again.status == "duplicate" and not again.correct and again.score == 0
    assert await solo.answer("p", USER + 1, 0) is None
    assert await solo.answer("unknown", USER, 0) is None
    assert (await solo.current(started.quiz_id)).position == 1


async def test_a_timeout_skips_the_question_without_touching_repetition(solo):
    started = await solo.start(USER, CHAT, chapter="docker", n=2)
    asked = await ask(solo, started.quiz_id, "p")
    assert [p.poll_id for p in await solo.open_polls()] == ["p"]
    timed_out = await solo.timeout("p")
    assert timed_out.status == "timeout" and not timed_out.finished
    assert (await solo.answer("p", USER, asked.shown.correct_index)).status == "duplicate"
    assert await solo.states(USER) == {}
    assert await solo.open_polls() == []
    assert (await solo.timeout("p")).status == "duplicate"


async def test_mistakes_come_back_first_then_leave_after_two_right_answers(solo, clock):
    with pytest.raises(BadInput) as nothing:
        await solo.start(USER, CHAT, revision=True)
    assert nothing.value.key == "quiz.no_mistakes"
    started = await solo.start(USER, CHAT, chapter="outils", n=2)
    missed = []
    for position in range(2):
        asked = await ask(solo, started.quiz_id, f"a{position}")
        missed.append(asked.question.id)
        await solo.answer(f"a{position}", USER, wrong_shown(asked))
    assert await solo.pending_mistakes(USER) == 2
    # the next chapter quiz brings the due mistakes back
    again = await solo.start(USER, CHAT, chapter="outils", n=3)
    ids = []
    for position in range(3):
        asked = await ask(solo, again.quiz_id, f"b{position}")
        ids.append(asked.question.id)
        await solo.answer(f"b{position}", USER, asked.shown.correct_index)
    assert set(missed) <= set(ids)
    assert await solo.pending_mistakes(USER) == 2  # right once: not yet
    clock.advance(days=1)
    review = await solo.start(USER, CHAT, revision=True)
    assert review.count == 2
    for position in range(2):
        asked = await ask(solo, review.quiz_id, f"c{position}")
        assert asked.question.id in missed
        result = await solo.answer(f"c{position}", USER, asked.shown.correct_index)
    assert result.pending_mistakes == 0
    with pytest.raises(BadInput):
        await solo.start(USER, CHAT, revision=True)


async def test_a_new_quiz_abandons_the_unfinished_one(solo):
    first = await solo.start(USER, CHAT, chapter="docker")
    await ask(solo, first.quiz_id, "old")
    second = await solo.start(USER, CHAT, chapter="images")
    assert await solo.current(first.quiz_id) is None
    assert (await solo.answer("old", USER, 0)).status == "duplicate"
    assert (await solo.current(second.quiz_id)).question.chapter == "images"


async def test_unknown_chapter_is_refused(solo):
    with pytest.raises(NotFound):
        await solo.start(USER, CHAT, chapter="nowhere")


async def test_a_restarted_service_scores_an_answer_to_a_poll_sent_before(tmp_path, bank, clock):
    store = Store(tmp_path / "quiz.db", migrations())
    before = SoloQuizService(store, bank, clock=clock)
    started = await before.start(USER, CHAT, chapter="kubernetes", n=2)
    asked = await ask(before, started.quiz_id, "p")
    store.close()
    store = Store(tmp_path / "quiz.db", migrations())
    try:
        after = SoloQuizService(store, bank, clock=clock)
        assert [p.poll_id for p in await after.open_polls()] == ["p"]
        result = await after.answer("p", USER, asked.shown.correct_index)
        assert result.status == "recorded" and result.correct and not result.finished
        assert (await after.current(started.quiz_id)).position == 1
    finally:
        store.close()
