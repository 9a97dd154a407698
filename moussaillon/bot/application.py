"""Builds the PTB Application: handlers registered in one place, menus in fr and en."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    TypeHandler,
    filters,
)

from moussaillon.bot import classes_runtime, quiz_runtime
from moussaillon.bot.ordering import PerSenderOrder
from moussaillon.bot.request import AiohttpRequest
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import (
    confirm,
    course,
    labs,
    quiz,
    quiz_views,
    search,
    shell,
    unknown,
    workspace,
)
from moussaillon.handlers.telegram.commands import COMMANDS
from moussaillon.handlers.telegram.context import Context, language, remember_user
from moussaillon.ops.updates import UpdateObserver

if TYPE_CHECKING:
    from moussaillon.services import Services

log = logging.getLogger("moussaillon.telegram")


async def on_error(update: object, context: Context) -> None:
    """Log the failure and tell the user kindly; the bot keeps serving everyone else."""
    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        lang = await language(update, context)
        if update.callback_query is not None:
            await update.callback_query.answer(t("tg.oops", lang), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, t("tg.oops", lang))
    except Exception:  # the error path must never raise
        log.exception("could not tell the user about the failure")


async def set_menus(application: Application) -> None:
    """Per role: the default scope lists students' commands, each instructor's chat all of them
    (``roles.PERMISSIONS`` decides)."""
    await classes_runtime.set_role_menus(application, COMMANDS)


def create_telegram_app(services: Services, *, rate_limiter: bool | None = None) -> Application:
    settings = services.settings
    builder = (
        Application.builder()
        .token(settings.token or "")
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .concurrent_updates(PerSenderOrder(256))
        .request(AiohttpRequest(connection_pool_size=64))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
    )
    application: Application  # its bot's type depends on the rate limiter
    if rate_limiter if rate_limiter is not None else settings.telegram_rate_limiter:
        application = builder.rate_limiter(AIORateLimiter(max_retries=3)).build()
    else:
        application = builder.build()
    application.bot_data["services"] = services

    UpdateObserver(services.metrics, (name for name, _, _ in COMMANDS)).install(application)
    application.add_handler(TypeHandler(Update, remember_user), group=-1)
    for name, callback, _ in COMMANDS:
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(labs.on_button, pattern=r"^tp(:|$)"))
    application.add_handler(CallbackQueryHandler(confirm.on_button, pattern=confirm.PATTERN))
    application.add_handler(
        CallbackQueryHandler(quiz.on_chapter_button, pattern=quiz_views.CALLBACK_PATTERN)
    )
    application.add_handler(PollAnswerHandler(quiz.on_poll_answer))
    application.add_handler(CallbackQueryHandler(course.on_button))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, search.on_text)
    )
    # A file sent to the bot goes into the student's workspace (an archive is unpacked).
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, workspace.on_document)
    )
    # Last of its group: PTB gives a message to the first handler that takes it, so this one
    # sees only the commands no CommandHandler knew.
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown.on_unknown_command)
    )
    application.add_error_handler(on_error)
    return application


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[Application]:
    """PTB's manual lifecycle: menus, start, long polling; on exit, stop in order so in-flight
    handlers finish before the services behind them close."""
    updater = application.updater
    if updater is None:  # built with .updater(None): nothing would poll
        raise RuntimeError("the application has no updater to poll with")
    async with application:
        await set_menus(application)
        await application.start()
        quiz_runtime.attach(application)
        await quiz.resume(application)
        await updater.start_polling(poll_interval=0, timeout=10, drop_pending_updates=False)
        await classes_runtime.on_started(application)
        try:
            yield application
        finally:
            await shell.on_stopping(application)
            await classes_runtime.on_stopping(application)
            await updater.stop()
            await application.stop()
