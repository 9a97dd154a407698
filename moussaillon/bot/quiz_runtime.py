"""How live quizzes plug into the bot: the runner's transport on PTB's Bot (texts rendered by
``quiz_views``, Telegram errors in the runner's words) and its timers on PTB's JobQueue.

Languages: what the whole group reads (results, podium, resumption) is in the course's default
language; the start and the stop in the language of the instructor who asked; a private result in
its reader's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, JobQueue

from moussaillon.core.i18n import Lang, t
from moussaillon.handlers.telegram import quiz_views
from moussaillon.quiz.live_models import LiveQuestion
from moussaillon.quiz.runner import LiveRunner
from moussaillon.quiz.transport import (
    Announcement,
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

if TYPE_CHECKING:
    from moussaillon.services import Services


def screen_url(services: Services, session_id: int) -> str:
    return f"{services.settings.public_base_url}/live/{session_id}"


class TelegramLiveTransport:
    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services

    async def send_question(self, asked: LiveQuestion) -> PollRef:
        question = asked.question
        try:
            if question.code:
                await self.bot.send_message(
                    asked.chat_id, quiz_views.code_block(question.code), parse_mode="HTML"
                )
            message = await self.bot.send_poll(
                asked.chat_id,
                quiz_views.poll_question(question, asked.position, asked.count),
                list(asked.shown.options),
                is_anonymous=False,
                type="quiz",
                correct_option_ids=quiz_views.correct_option_ids(asked.shown.correct_index),
                explanation=question.explanation,
                open_period=quiz_views.open_period(asked.period_s),
            )
        except TelegramError as error:
            raise DeliveryFailed(str(error)) from error
        if message.poll is None:  # Telegram answers send_poll with the poll it made
            raise DeliveryFailed(f"send_poll to {asked.chat_id} returned no poll")
        return PollRef(poll_id=message.poll.id, message_id=message.message_id)

    async def stop_poll(self, chat_id: int, message_id: int) -> None:
        try:
            await self.bot.stop_poll(chat_id, message_id)
        except TelegramError as error:
            raise DeliveryFailed(str(error)) from error

    async def announce(self, chat_id: int, news: Announcement) -> None:
        text, html = await self._render(news)
        try:
            if html:
                await self.bot.send_message(chat_id, text, parse_mode="HTML")
            else:
                await self.bot.send_message(chat_id, text)
        except TelegramError as error:  # for a private result: never started the bot, or blocked
            raise DeliveryFailed(str(error)) from error

    async def _language(self, user_id: int) -> Lang:
        return await self.services.users.language(user_id)

    async def _render(self, news: Announcement) -> tuple[str, bool]:
        """The text, and whether it is HTML."""
        group = self.services.settings.default_language
        course = self.services.course.course
        match news:
            case GameStarting(session=session, seconds=seconds, class_size=class_size):
                lang = await self._language(session.host_user_id)
                text = t(
                    "quiz.live.starting",
                    lang,
                    chapter=quiz_views.chapter_name(session.chapter, lang, course),
                    count=session.count,
                    seconds=seconds,
                    url=screen_url(self.services, session.id),
                )
                if class_size:
                    rule = t("quiz.live.reveal_rule_class", lang, count=class_size)
                else:
                    rule = t("quiz.live.reveal_rule", lang)
                return f"{text}\n{rule}", False
            case QuestionResults(closed=closed, players=players):
                return quiz_views.live_results(closed, players, group), True
            case GameStopped(by_user_id=user_id):
                return t("quiz.live.stopped", await self._language(user_id)), False
            case Podium(results=results):
                return quiz_views.podium(results, group), True
            case PrivateResult(results=results, line=line):
                lang = await self._language(line.user_id)
                return quiz_views.private_result(results, line, lang, course), True
            case GameResumed(position=position, count=count):
                return t("quiz.live.resumed", group, index=position + 1, count=count), False
        raise TypeError(f"not a live announcement: {news!r}")


class JobQueueScheduler:
    """The runner's timers as PTB jobs, one per key (a key armed again replaces its job)."""

    def __init__(self, job_queue: JobQueue) -> None:
        self._queue = job_queue

    def call_later(self, key: str, delay_s: float, callback: Fire) -> None:
        self.cancel(key)

        async def run(_: CallbackContext) -> None:
            await callback()

        self._queue.run_once(run, when=delay_s, name=key)

    def cancel(self, key: str) -> None:
        for job in self._queue.get_jobs_by_name(key):
            job.schedule_removal()


def attach(application: Application) -> LiveRunner | None:
    """Give the quiz service its live runner on this bot (no JobQueue, no live games)."""
    services = application.bot_data["services"]
    if application.job_queue is None:
        return None
    return services.quiz.attach(
        TelegramLiveTransport(application.bot, services), JobQueueScheduler(application.job_queue)
    )
