"""Solo quizzes as a student plays them: quiz polls through the stand-in and the real PTB app."""

from __future__ import annotations

import itertools

from moussaillon.core.i18n import t, t_count
from tests.conftest import start_bot
from tests.quiz.quiz_clock import ManualClock


async def next_poll(stub, chat, wait: float = 5.0):
    """The next poll the bot sends in ``chat`` (a code snippet may come just before it)."""
    while True:
        [message] = await stub.wait_for(chat, timeout=wait)
        if message.poll is not None:
            return message


def question_of(bot, poll_message):
    text = poll_message.poll["question"].split(" · ", 1)[-1]
    return next(q for q in bot.services.quiz.bank.questions if q.question == text)


def right_option(poll_message) -> int:
    return poll_message.poll["correct_option_ids"][0]


def wrong_option(poll_message) -> int:
    return (right_option(poll_message) + 1) % len(poll_message.poll["options"])


async def test_quiz_on_a_chapter_explains_each_answer_and_scores(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [menu] = await stub.wait_for(stub.send_text(alice, "/quiz"))
    assert menu.text == t("quiz.choose_chapter", "fr")
    assert [b["text"] for b in menu.buttons][-1] == t("quiz.mix", "fr")
    # chapters by their titles in the course, numbered as /cours shows them, never by slug
    course = bot.services.course.course
    labels = {b["callback_data"]: b["text"] for b in menu.buttons}
    assert labels["qz:reseaux"] == f"{course.chapter('reseaux').number}. Réseaux"
    assert labels["qz:installation-en-entreprise"].endswith(". Installation en entreprise")
    stub.click(alice, menu, text=f"{course.chapter('docker').number}. Docker")
    [intro] = await stub.wait_for(alice)
    assert intro.text == "Quiz « Docker » : 5 questions. C'est parti !"
    asked = []
    for index in range(5):
        poll_message = await next_poll(stub, alice)
        poll = poll_message.poll
        assert poll["type"] == "quiz" and not poll["is_anonymous"]
        assert poll["question"].startswith(f"{index + 1}/5 · ")
        question = question_of(bot, poll_message)
        assert question.chapter == "docker" and question.id not in asked
        asked.append(question.id)
        assert (
            poll["options"][right_option(poll_message)]["text"]
            == question.options[question.correct_index]
        )
        choice = right_option(poll_message) if index < 3 else wrong_option(poll_message)
        stub.poll_answer(alice, poll["id"], [choice])
        [feedback] = await stub.wait_for(alice)
        verdict = (
            t("quiz.correct", "fr")
            if index < 3
            else t("quiz.wrong", "fr", answer=question.options[question.correct_index])
        )
        assert feedback.text.startswith(verdict)
        assert question.explanation in feedback.text
        if question.section:
            assert feedback.buttons[0]["callback_data"] == f"s:{question.section}:0"
    [score] = await stub.wait_for(alice)
    assert score.text.startswith("Quiz terminé : 3 bonnes réponses sur 5.")
    assert "2 questions à revoir" in score.text


async def test_section_button_opens_the_course_section(bot):
    stub = bot.stub
    bob = stub.user(first_name="Bob")
    stub.send_text(bob, "/quiz reseaux")
    poll_message = await next_poll(stub, bob)
    question = question_of(bot, poll_message)
    stub.poll_answer(bob, poll_message.poll["id"], [wrong_option(poll_message)])
    [feedback] = await stub.wait_for(bob)
    stub.click(bob, feedback, text=t("quiz.open_section", "fr"))
    page = await stub.wait_for_edit(feedback)
    assert bot.services.course.page(question.section).section.title in page.text


async def test_options_are_shuffled_per_student_and_mapped_back(bot):
    stub = bot.stub
    orders = set()
    for number in range(6):
        student = stub.user(first_name=f"S{number}")
        stub.send_text(student, "/quiz docker")
        poll_message = await next_poll(stub, student)
        orders.add(tuple(o["text"] for o in poll_message.poll["options"]))
        stub.poll_answer(student, poll_message.poll["id"], [right_option(poll_message)])
        [feedback] = await stub.wait_for(student)
        assert feedback.text.startswith(t("quiz.correct", "fr"))
    assert len(orders) > 1


async def test_double_answers_count_once(bot):
    stub = bot.stub
    carol = stub.user(first_name="Carol")
    stub.send_text(carol, "/quiz concepts")
    first = await next_poll(stub, carol)
    stub.poll_answer(carol, first.poll["id"], [right_option(first)])
    stub.poll_answer(carol, first.poll["id"], [wrong_option(first)])
    [feedback] = await stub.wait_for(carol)
    assert feedback.text.startswith(t("quiz.correct", "fr"))
    second = await next_poll(stub, carol)
    assert second.poll["id"] != first.poll["id"]
    extra = await stub.sent_since(second.seq, chat_id=carol.id, timeout=0.5)
    assert extra == []  # the second answer to the first poll produced nothing
    states = await bot.services.quiz.solo.states(carol.id)
    assert states[question_of(bot, first).id].streak == 1
    assert states[question_of(bot, first).id].wrong_count == 0


async def test_unanswered_question_times_out_and_the_quiz_goes_on(tmp_path):
    async with start_bot(tmp_path, quiz_solo_seconds=2) as bot:
        stub = bot.stub
        dan = stub.user(first_name="Dan")
        stub.send_text(dan, "/quiz volumes")
        first = await next_poll(stub, dan)
        question = question_of(bot, first)
        [timeout] = await stub.wait_for(dan, timeout=5)
        assert timeout.text.startswith(
            t("quiz.timeout", "fr", answer=question.options[question.correct_index])
        )
        second = await next_poll(stub, dan)
        assert second.poll["question"].startswith("2/5")
        assert any(c.params.get("message_id") == first.message_id for c in stub.calls("stopPoll"))


async def test_mistakes_come_back_until_right_twice_in_a_row_across_days(bot):
    stub = bot.stub
    clock = ManualClock()
    bot.services.quiz.set_clock(clock)
    eve = stub.user(first_name="Eve")
    [nothing] = await stub.wait_for(stub.send_text(eve, "/revision"))
    assert nothing.text == t("quiz.no_mistakes", "fr")

    stub.send_text(eve, "/quiz images")
    missed = set()
    for _ in range(5):
        poll_message = await next_poll(stub, eve)
        missed.add(question_of(bot, poll_message).id)
        stub.poll_answer(eve, poll_message.poll["id"], [wrong_option(poll_message)])
        await stub.wait_for(eve)
    [score] = await stub.wait_for(eve)
    assert "5 questions à revoir" in score.text

    async def revise(expect_pending: int) -> set[str]:
        [intro] = await stub.wait_for(stub.send_text(eve, "/revision"))
        assert intro.text == "Révision : 5 questions parmi vos erreurs."
        seen = set()
        for _ in range(5):
            poll_message = await next_poll(stub, eve)
            seen.add(question_of(bot, poll_message).id)
            stub.poll_answer(eve, poll_message.poll["id"], [right_option(poll_message)])
            await stub.wait_for(eve)
        [done] = await stub.wait_for(eve)
        assert done.text.startswith("Quiz terminé : 5 bonnes réponses sur 5.")
        pending = t_count("quiz.mistakes_pending", expect_pending, "fr", count=expect_pending)
        assert (pending in done.text) == bool(expect_pending)
        return seen

    assert await revise(expect_pending=5) == missed  # right once: still to review
    clock.advance(days=1)
    assert await revise(expect_pending=0) == missed  # right twice in a row: mastered
    clock.advance(days=1)
    [nothing] = await stub.wait_for(stub.send_text(eve, "/revision"))
    assert nothing.text == t("quiz.no_mistakes", "fr")


async def test_an_answer_after_a_restart_is_still_scored(tmp_path):
    async with start_bot(tmp_path) as bot:
        frank = bot.stub.user(first_name="Frank")
        bot.stub.send_text(frank, "/quiz outils")
        poll_message = await next_poll(bot.stub, frank)
        poll_id, choice = poll_message.poll["id"], right_option(poll_message)
        question = question_of(bot, poll_message)
    async with start_bot(tmp_path) as bot:
        stub = bot.stub
        stub.api._ids = itertools.count(10_000)  # Telegram never reuses poll ids
        frank = stub.user(id=frank.id, first_name="Frank")
        stub.inject(
            {
                "poll_answer": {
                    "poll_id": poll_id,
                    "user": frank.to_dict(),
                    "option_ids": [choice],
                    "option_persistent_ids": [f"option-{choice}"],
                }
            }
        )
        [feedback] = await stub.wait_for(frank)
        assert feedback.text.startswith(t("quiz.correct", "fr"))
        assert question.explanation in feedback.text
        second = await next_poll(stub, frank)
        assert second.poll["question"].startswith("2/5")


async def test_quiz_in_a_group_is_refused_politely(bot):
    stub = bot.stub
    alice, group = stub.user(), stub.group()
    [reply] = await stub.wait_for(stub.send_text(alice, "/quiz", chat=group))
    assert reply.text == t("quiz.private_only", "fr")
