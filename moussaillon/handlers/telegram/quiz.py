"""Solo quizzes in Telegram: native quiz polls chained by the bot, one timer per question.

The timer is a PTB JobQueue job (``run_once``) armed when the poll is sent, and the poll also
carries ``open_period`` (when 5-600 s) so students see Telegram's countdown. Whichever comes
first wins: an answer cancels the job; the job closes an unanswered poll as "time is up" and
goes on. Timers are re-armed from SQLite at start-up (``resume``), so a restart loses nothing.

Which quiz a poll answer belongs to, and the brief wait for a poll not stored yet, are the quiz
service's to decide (``QuizService.answer_poll``); live games are ``quiz/runner.py``'s.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, JobQueue

from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t, t_count
from moussaillon.handlers.telegram import quiz_views
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    query_of,
    services,
    user_of,
)
from moussaillon.quiz.requests import MIX_WORDS
from moussaillon.quiz.solo import SoloAnswer

if TYPE_CHECKING:
    from moussaillon.quiz.service import QuizService

log = logging.getLogger("moussaillon.quiz")


async def quiz_command(update: Update, context: Context) -> None:
    """``/quiz [chapter]``: start at once on a known chapter, otherwise offer the chapters."""
    lang = await language(update, context)
    message = message_of(update)
    if chat_of(update).type != ChatType.PRIVATE:
        await message.reply_text(t("quiz.private_only", lang))
        return
    quiz = services(context).quiz
    word = (context.args or [""])[0].casefold()
    if word in quiz.bank.chapters or word in MIX_WORDS:
        await start_quiz(update, context, None if word in MIX_WORDS else word)
        return
    await message.reply_text(
        t("quiz.choose_chapter", lang),
        reply_markup=quiz_views.chapter_keyboard(
            quiz.bank.chapters, services(context).course.course, lang
        ),
    )


async def revision_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    if chat_of(update).type != ChatType.PRIVATE:
        await message_of(update).reply_text(t("quiz.private_only", lang))
        return
    await start_quiz(update, context, None, revision=True)


async def on_chapter_button(update: Update, context: Context) -> None:
    query = query_of(update)
    lang = await language(update, context)
    try:
        chapter = quiz_views.parse_chapter_callback(query.data)
    except MoussaillonError as error:
        await query.answer(error.message(lang), show_alert=True)
        return
    await query.answer()
    await start_quiz(update, context, chapter)


async def start_quiz(
    update: Update, context: Context, chapter: str | None, *, revision: bool = False
) -> None:
    lang = await language(update, context)
    chat_id = chat_of(update).id
    quiz = services(context).quiz
    try:
        started = await quiz.solo.start(
            user_of(update).id, chat_id, chapter=chapter, revision=revision
        )
    except MoussaillonError as error:
        await context.bot.send_message(chat_id, error.message(lang))
        return
    if revision:
        text = t_count("quiz.revision_start", started.count, lang, count=started.count)
    else:
        name = quiz_views.chapter_name(chapter, lang, services(context).course.course)
        text = t_count("quiz.start", started.count, lang, chapter=name, count=started.count)
    await context.bot.send_message(chat_id, text)
    await ask_solo(context.bot, context.job_queue, quiz, started.quiz_id)


async def ask_solo(bot: Bot, jobs: JobQueue | None, quiz: QuizService, quiz_id: int) -> None:
    asked = await quiz.solo.current(quiz_id)
    if asked is None:
        return
    chat_id = asked.chat_id
    question = asked.question
    if question.code:
        await bot.send_message(chat_id, quiz_views.code_block(question.code), parse_mode="HTML")
    seconds = quiz.solo_seconds
    message = await bot.send_poll(
        chat_id,
        quiz_views.poll_question(question, asked.position, asked.count),
        list(asked.shown.options),
        is_anonymous=False,
        type="quiz",
        correct_option_ids=quiz_views.correct_option_ids(asked.shown.correct_index),
        explanation=question.explanation,
        open_period=quiz_views.open_period(seconds),
    )
    if message.poll is None:  # Telegram answers send_poll with the poll it made
        raise TelegramError(f"send_poll to {chat_id} returned no poll")
    poll = await quiz.solo.poll_sent(
        asked,
        poll_id=message.poll.id,
        chat_id=chat_id,
        message_id=message.message_id,
        seconds=seconds,
    )
    if jobs is not None:
        jobs.run_once(solo_timeout, when=float(seconds), data=poll.poll_id, name=_job(poll.poll_id))


def _job(poll_id: str) -> str:
    return f"solo:{poll_id}"


async def on_poll_answer(update: Update, context: Context) -> None:
    """Every PollAnswer goes to the quiz service; a solo answer it recorded moves that quiz on."""
    answer = update.poll_answer
    if answer is None or answer.user is None:  # a vote on behalf of a chat
        return
    user = answer.user
    quiz = services(context).quiz
    routed = await quiz.answer_poll(
        answer.poll_id, user.id, user.first_name or user.username or str(user.id), answer.option_ids
    )
    result = routed.solo_recorded
    if result is None:
        return
    if context.job_queue is not None:
        for job in context.job_queue.get_jobs_by_name(_job(answer.poll_id)):
            job.schedule_removal()
    await after_answer(context.bot, context.job_queue, quiz, result, context)


async def solo_timeout(context: CallbackContext) -> None:
    quiz = services(context).quiz
    if context.job is None:  # PTB hands a job callback its job
        raise RuntimeError("solo_timeout runs only as a JobQueue job")
    poll_id = str(context.job.data)
    result = await quiz.solo.timeout(poll_id)
    if result is None or result.status != "timeout":
        return
    try:
        if result.message_id is not None:
            await context.bot.stop_poll(result.chat_id, result.message_id)
    except TelegramError as error:  # already closed by open_period, or gone
        log.info("stop_poll %s: %s", poll_id, error)
    await after_answer(context.bot, context.job_queue, quiz, result, context)


async def after_answer(
    bot: Bot, jobs: JobQueue | None, quiz: QuizService, result: SoloAnswer, context: CallbackContext
) -> None:
    """The explanation with a link to the section, then the next question or the score."""
    lang = await services(context).users.language(result.user_id)
    await bot.send_message(
        result.chat_id,
        quiz_views.solo_feedback(result, lang),
        parse_mode="HTML",
        reply_markup=quiz_views.section_button(result.question, lang),
    )
    if result.finished:
        await bot.send_message(
            result.chat_id, quiz_views.solo_finished(result, lang), parse_mode="HTML"
        )
        return
    await ask_solo(bot, jobs, quiz, result.quiz_id)


async def resume(application: Application) -> None:
    """Re-arm what was pending before a restart: solo timers, then live games."""
    quiz = services(application).quiz
    if application.job_queue is None:
        return
    now = quiz.solo.clock()
    for poll in await quiz.solo.open_polls():
        delay = max((poll.closes_at - now).total_seconds(), 0.0)
        application.job_queue.run_once(
            solo_timeout, when=delay, data=poll.poll_id, name=_job(poll.poll_id)
        )
    if quiz.runner is not None:
        await quiz.runner.resume()
