"""Live group quizzes in Telegram: the commands that start, stop and recall a game.

The game itself (questions, closes, leaderboards, podium, resumption) is ``quiz/runner.py``;
these handlers read the command, call the runner and say what came of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ChatType

from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import quiz_views
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    may,
    message_of,
    services,
    user_of,
)
from moussaillon.quiz.requests import parse_live

if TYPE_CHECKING:
    from moussaillon.quiz.runner import LiveRunner


def _runner(context: Context) -> LiveRunner:
    runner = services(context).quiz.runner
    if runner is None:
        raise RuntimeError("the live quiz runner is not attached")
    return runner


async def _group_instructor(update: Update, context: Context) -> bool:
    """Refuse politely outside a group or to a non-instructor; True when allowed."""
    lang = await language(update, context)
    message = message_of(update)
    if chat_of(update).type == ChatType.PRIVATE:
        await message.reply_text(t("quiz.live.group_only", lang))
        return False
    if not may(update, context):
        await message.reply_text(t("quiz.live.instructors_only", lang))
        return False
    return True


async def quiz_live_command(update: Update, context: Context) -> None:
    if not await _group_instructor(update, context):
        return
    lang = await language(update, context)
    quiz = services(context).quiz
    request = parse_live(list(context.args or []), quiz.bank.chapters, quiz.live_seconds)
    if request is None:
        chapters = ", ".join([*quiz.bank.chapters, quiz_views.MIX])
        await message_of(update).reply_text(t("quiz.live.usage", lang, chapters=chapters))
        return
    try:
        await _runner(context).start(chat_of(update).id, user_of(update).id, request)
    except MoussaillonError as error:
        await message_of(update).reply_text(error.message(lang))


async def quiz_stop_command(update: Update, context: Context) -> None:
    if not await _group_instructor(update, context):
        return
    lang = await language(update, context)
    stopped = await _runner(context).stop(chat_of(update).id, user_of(update).id)
    if stopped is None:
        await message_of(update).reply_text(t("quiz.live.nothing_running", lang))


async def quiz_results_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    results = await services(context).quiz.live.last_results(chat_of(update).id)
    if results is None:
        await message_of(update).reply_text(t("quiz.live.no_results", lang))
        return
    course = services(context).course.course
    await message_of(update).reply_html(quiz_views.results_summary(results, lang, course))
