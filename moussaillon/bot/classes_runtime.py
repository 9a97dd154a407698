"""How classes plug into the bot's lifecycle: role menus, the broadcast sender (PTB errors in the
broadcaster's words), release timers on PTB's JobQueue, attach on start and detach on stop."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from telegram import BotCommandScopeChat
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes

from moussaillon.classes.broadcasts import (
    Ambiguous,
    Blocked,
    BroadcastMessage,
    RetryLater,
    Sender,
)
from moussaillon.classes.releases import Fire
from moussaillon.classes.roles import Role
from moussaillon.core.i18n import LANGUAGES
from moussaillon.handlers.telegram import classes_views as views
from moussaillon.handlers.telegram.context import services
from moussaillon.labs.model import LabSet

if TYPE_CHECKING:
    from moussaillon.services import Services

log = logging.getLogger("moussaillon.telegram.classes")


async def instructor_menus(bot, user_ids: Sequence[int]) -> None:
    """Each instructor's private chat gets the full menu; Telegram refuses chats it does not
    know yet (an instructor who never wrote to the bot): they get it once promoted or restarted."""
    from moussaillon.bot.application import COMMANDS as ALL

    for user_id in user_ids:
        for lang in LANGUAGES:
            try:
                await bot.set_my_commands(
                    views.menu(ALL, lang, Role.INSTRUCTOR), scope=BotCommandScopeChat(user_id),
                    language_code=None if lang == "fr" else lang)
            except (BadRequest, Forbidden) as exc:
                log.info("no instructor menu for %s yet: %s", user_id, exc)
                break


async def set_role_menus(application: Application,
                         commands: Sequence[tuple[str, object, str]]) -> None:
    """Students see only what they may run (default scope); instructors see everything."""
    for lang in LANGUAGES:
        await application.bot.set_my_commands(
            views.menu(commands, lang, Role.STUDENT), language_code=None if lang == "fr" else lang)
    await instructor_menus(application.bot, services_of(application).classes.roles.instructors())


def services_of(application: Application) -> Services:
    return services(application)


def telegram_sender(bot, labs: LabSet) -> Sender:
    """Each message rendered for Telegram (``classes_views.broadcast``), and Telegram's answers
    in the broadcaster's words."""

    async def send(chat_id: int, message: BroadcastMessage) -> int:
        text = views.broadcast(message, labs)
        try:
            sent = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                          disable_web_page_preview=True)
        except RetryAfter as exc:
            wait = exc.retry_after
            raise RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else wait) from exc
        except Forbidden as exc:
            raise Blocked(exc.message) from exc
        except TimedOut as exc:
            raise Ambiguous(str(exc)) from exc
        except TelegramError:
            raise
        return sent.message_id

    return send


class JobQueueTimer:
    """Release timers on PTB's JobQueue (one job per pending release, named after it)."""

    def __init__(self, job_queue) -> None:
        self._queue = job_queue

    def arm(self, key: str, when: datetime, callback: Fire) -> None:
        for job in self._queue.get_jobs_by_name(key):
            job.schedule_removal()

        async def run(_: ContextTypes.DEFAULT_TYPE) -> None:
            await callback()

        delay = max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())
        self._queue.run_once(run, when=delay, name=key)

    def cancel_all(self) -> None:
        for job in self._queue.jobs():
            if job.name and job.name.startswith("release-"):
                job.schedule_removal()


async def on_started(application: Application) -> None:
    svc = services_of(application)
    bot = application.bot
    if getattr(bot, "rate_limiter", None) is not None:
        # The broadcaster paces itself; PTB's AIORateLimiter on top would delay sends past our
        # windows and bunch them up again. Broadcasts get their own plain Bot.
        from telegram import Bot

        from moussaillon.bot.request import AiohttpRequest

        bot = Bot(svc.settings.token or "", base_url=svc.settings.telegram_base_url,
                  base_file_url=svc.settings.telegram_base_file_url,
                  request=AiohttpRequest(connection_pool_size=32))
        await bot.initialize()
        application.bot_data["classes.broadcast_bot"] = bot
    timer = JobQueueTimer(application.job_queue) if application.job_queue else None
    await svc.classes.attach(telegram_sender(bot, svc.classes.labs), timer)


async def on_stopping(application: Application) -> None:
    await services_of(application).classes.detach()
    own_bot = application.bot_data.pop("classes.broadcast_bot", None)
    if own_bot is not None:
        await own_bot.shutdown()
