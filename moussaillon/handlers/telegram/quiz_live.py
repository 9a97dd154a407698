"""Live group quizzes in Telegram: the runner that asks, closes and announces.

Each question is a non-anonymous quiz poll; its close is a JobQueue job named after the session
and position, armed when the poll is sent and re-armed from SQLite by ``resume`` after a restart
(immediately if its time has passed). After a close, the next question follows a short pause so
the class can read the leaderboard. Every step is idempotent in the service, and a per-session
lock keeps a close and a ``/quiz_stop`` from interleaving. Telegram failures while announcing are
logged and the game goes on: the scores live in SQLite, not in the messages.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, JobQueue

from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import quiz_views
from moussaillon.handlers.telegram.context import Context, language, services

if TYPE_CHECKING:
    from moussaillon.quiz.service import QuizService

log = logging.getLogger("moussaillon.quiz.live")

DEFAULT_QUESTIONS = 10
MAX_QUESTIONS = 50
SECONDS_RANGE = (2, 600)
PAUSE_MAX = 5.0


def _quiz(bot_data: dict) -> QuizService:
    return bot_data["services"].quiz


def _lock(bot_data: dict, session_id: int) -> asyncio.Lock:
    locks: dict[int, asyncio.Lock] = bot_data.setdefault("quiz_live_locks", {})
    return locks.setdefault(session_id, asyncio.Lock())


def _close_job(session_id: int, position: int) -> str:
    return f"live:{session_id}:{position}"


def _next_job(session_id: int) -> str:
    return f"live-next:{session_id}"


def screen_url(bot_data: dict, session_id: int) -> str:
    settings = bot_data["services"].settings
    base = (
        getattr(settings, "public_url", None) or f"http://{settings.http_host}:{settings.http_port}"
    )
    return f"{base.rstrip('/')}/live/{session_id}"


def parse_args(
    args: list[str], chapters: list[str], default_seconds: int
) -> tuple[str | None, int, int] | None:
    """(chapter or None for the mix, questions, seconds), or None when the usage is wrong."""
    if not args:
        return None
    word = args[0].casefold()
    if word not in chapters and word not in quiz_views.MIX_WORDS:
        return None
    try:
        count = int(args[1]) if len(args) > 1 else DEFAULT_QUESTIONS
        seconds = int(args[2]) if len(args) > 2 else default_seconds
    except ValueError:
        return None
    if not 1 <= count <= MAX_QUESTIONS or not SECONDS_RANGE[0] <= seconds <= SECONDS_RANGE[1]:
        return None
    return (None if word in quiz_views.MIX_WORDS else word), count, seconds


async def _group_instructor(update: Update, context: Context) -> bool:
    """Refuse politely outside a group or to a non-instructor; True when allowed."""
    lang = await language(update, context)
    message = update.effective_message
    if update.effective_chat.type == ChatType.PRIVATE:
        await message.reply_text(t("quiz.live.group_only", lang))
        return False
    if not services(context).is_instructor(update.effective_user.id):
        await message.reply_text(t("quiz.live.instructors_only", lang))
        return False
    return True


async def quiz_live_command(update: Update, context: Context) -> None:
    if not await _group_instructor(update, context):
        return
    lang = await language(update, context)
    quiz = _quiz(context.bot_data)
    parsed = parse_args(list(context.args or []), quiz.bank.chapters, quiz.live_seconds)
    if parsed is None:
        chapters = ", ".join([*quiz.bank.chapters, quiz_views.MIX])
        await update.effective_message.reply_text(t("quiz.live.usage", lang, chapters=chapters))
        return
    chapter, count, seconds = parsed
    chat_id = update.effective_chat.id
    try:
        session = await quiz.live.create(
            chat_id, update.effective_user.id, chapter=chapter, n=count, period=seconds
        )
    except MoussaillonError as error:
        await update.effective_message.reply_text(error.message(lang))
        return
    await context.bot.send_message(
        chat_id,
        t(
            "quiz.live.starting",
            lang,
            chapter=quiz_views.chapter_name(chapter, lang),
            count=session.count,
            seconds=seconds,
            url=screen_url(context.bot_data, session.id),
        ),
    )
    await ask_next(context.bot, context.job_queue, context.bot_data, session.id)


async def ask_next(bot: Bot, jobs: JobQueue | None, bot_data: dict, session_id: int) -> None:
    """Send the next question and arm its close, or finish the game when none is left."""
    quiz = _quiz(bot_data)
    asked = await quiz.live.next_question(session_id)
    if asked is None:
        session = await quiz.live.session(session_id)
        if session.status == "running":
            await finish(bot, bot_data, session_id)
        return
    question = asked.question
    try:
        if question.code:
            await bot.send_message(
                asked.chat_id, quiz_views.code_block(question.code), parse_mode="HTML"
            )
        message = await bot.send_poll(
            asked.chat_id,
            quiz_views.poll_question(question, asked.position, asked.count),
            list(asked.shown.options),
            is_anonymous=False,
            type="quiz",
            correct_option_ids=[asked.shown.correct_index],
            explanation=question.explanation,
            open_period=quiz_views.open_period(asked.period_s),
        )
    except TelegramError:
        log.exception(
            "live %s: could not send question %s; game aborted", session_id, asked.position
        )
        await quiz.live.finish(session_id, aborted=True)
        return
    opened = await quiz.live.question_opened(
        asked, poll_id=message.poll.id, message_id=message.message_id
    )
    if jobs is not None:
        jobs.run_once(
            close_job,
            when=asked.period_s,
            data=(session_id, asked.position),
            name=_close_job(session_id, opened.position),
        )


async def close_job(context: CallbackContext) -> None:
    session_id, position = context.job.data
    await close_and_continue(context.bot, context.job_queue, context.bot_data, session_id, position)


async def next_job(context: CallbackContext) -> None:
    await ask_next(context.bot, context.job_queue, context.bot_data, int(context.job.data))


async def close_and_continue(
    bot: Bot,
    jobs: JobQueue | None,
    bot_data: dict,
    session_id: int,
    position: int,
    *,
    go_on: bool = True,
) -> None:
    quiz = _quiz(bot_data)
    async with _lock(bot_data, session_id):
        open_question = await quiz.live.open_question(session_id)
        closed = await quiz.live.close_question(session_id, position)
        if closed is None:
            return
        if open_question is not None and open_question.message_id is not None:
            try:
                await bot.stop_poll(closed.chat_id, open_question.message_id)
            except TelegramError as error:
                log.info("live %s: stop_poll: %s", session_id, error)
        state = await quiz.live.state(session_id)
        lang = bot_data["services"].settings.default_language
        try:
            await bot.send_message(
                closed.chat_id,
                quiz_views.live_results(closed, state.players, lang),
                parse_mode="HTML",
            )
        except TelegramError:
            log.exception("live %s: could not post the results of %s", session_id, position)
    if not go_on:
        return
    if closed.is_last:
        await finish(bot, bot_data, session_id)
    elif jobs is not None:
        pause = min(PAUSE_MAX, (await quiz.live.session(session_id)).period_s / 2)
        jobs.run_once(next_job, when=pause, data=session_id, name=_next_job(session_id))


async def finish(bot: Bot, bot_data: dict, session_id: int, *, aborted: bool = False) -> None:
    """The podium in the group, then each player's total in private (when they can be reached)."""
    quiz = _quiz(bot_data)
    svc = bot_data["services"]
    results = await quiz.live.finish(session_id, aborted=aborted)
    lang = svc.settings.default_language
    try:
        await bot.send_message(results.chat_id, quiz_views.podium(results, lang), parse_mode="HTML")
    except TelegramError:
        log.exception("live %s: could not post the podium", session_id)
    for line in results.ranking:
        user_lang = await svc.users.language(line.user_id)
        try:
            await bot.send_message(
                line.user_id, quiz_views.private_result(results, line, user_lang), parse_mode="HTML"
            )
            status = "sent"
        except TelegramError as error:  # never started the bot, or blocked it
            log.info("live %s: no private result for %s: %s", session_id, line.user_id, error)
            status = "unreachable"
        await quiz.live.mark_notified(session_id, line.user_id, status)


async def on_live_answer(update: Update, context: Context) -> str:
    """Record a live answer; returns the service's decision (``unknown_poll`` if not live)."""
    answer = update.poll_answer
    user = answer.user
    name = user.first_name or user.username or str(user.id)
    outcome = await _quiz(context.bot_data).live.record_answer(
        answer.poll_id, user.id, name, list(answer.option_ids)
    )
    if outcome.status not in ("recorded", "unknown_poll"):
        log.info("live answer from %s to %s: %s", user.id, answer.poll_id, outcome.status)
    return outcome.status


async def quiz_stop_command(update: Update, context: Context) -> None:
    if not await _group_instructor(update, context):
        return
    lang = await language(update, context)
    quiz = _quiz(context.bot_data)
    session = await quiz.live.active_in(update.effective_chat.id)
    if session is None:
        await update.effective_message.reply_text(t("quiz.live.nothing_running", lang))
        return
    if context.job_queue is not None:
        for name in (_next_job(session.id), _close_job(session.id, session.current_position)):
            for job in context.job_queue.get_jobs_by_name(name):
                job.schedule_removal()
    open_question = await quiz.live.open_question(session.id)
    if open_question is not None:
        await close_and_continue(
            context.bot, None, context.bot_data, session.id, open_question.position, go_on=False
        )
    await context.bot.send_message(update.effective_chat.id, t("quiz.live.stopped", lang))
    await finish(context.bot, context.bot_data, session.id, aborted=True)


async def quiz_results_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    results = await _quiz(context.bot_data).live.last_results(update.effective_chat.id)
    if results is None:
        await update.effective_message.reply_text(t("quiz.live.no_results", lang))
        return
    await update.effective_message.reply_html(quiz_views.results_summary(results, lang))


async def resume(application: Application) -> None:
    """After a restart: re-arm each running game's close, or ask its next question."""
    quiz = _quiz(application.bot_data)
    jobs = application.job_queue
    if jobs is None:
        return
    now = quiz.live.clock()
    lang = application.bot_data["services"].settings.default_language
    for session in await quiz.live.running():
        open_question = await quiz.live.open_question(session.id)
        if open_question is None:
            jobs.run_once(next_job, when=0, data=session.id, name=_next_job(session.id))
            continue
        delay = max((open_question.closes_at - now).total_seconds(), 0.0)
        jobs.run_once(
            close_job,
            when=delay,
            data=(session.id, open_question.position),
            name=_close_job(session.id, open_question.position),
        )
        try:
            await application.bot.send_message(
                session.chat_id,
                t(
                    "quiz.live.resumed",
                    lang,
                    index=open_question.position + 1,
                    count=open_question.count,
                ),
            )
        except TelegramError as error:
            log.info("live %s: could not announce the resumption: %s", session.id, error)
