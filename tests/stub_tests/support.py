"""Tiny bots and constants shared by the stand-in's own tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from tests.telegram_stub import TelegramStub

REPO = Path(__file__).resolve().parents[2]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def api(stub: TelegramStub, method: str) -> str:
    return f"/bot{stub.token}/{method}"


# -- a small bot, the real PTB way -----------------------------------------------------------


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Chapitre 1", callback_data="ch:1"),
                                      InlineKeyboardButton("Chapitre 2", callback_data="ch:2")]])
    await update.effective_message.reply_text("<b>Bienvenue</b> !", parse_mode=ParseMode.HTML,
                                              reply_markup=keyboard)


async def on_cours(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(f"cours {' '.join(context.args or [])}".strip())


async def on_click(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"ouverture {query.data}")
    await query.edit_message_text(f"Chapitre choisi : {query.data}")


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    answer = update.poll_answer
    await context.bot.send_message(answer.user.id, f"vote {answer.option_ids}")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def course_bot(stub: TelegramStub) -> Application[Any, Any, Any, Any, Any, Any]:
    return with_handlers(stub.application_builder().build())


def with_handlers(
    app: Application[Any, Any, Any, Any, Any, Any],
) -> Application[Any, Any, Any, Any, Any, Any]:
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("cours", on_cours))
    app.add_handler(CallbackQueryHandler(on_click))
    app.add_handler(PollAnswerHandler(on_vote))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return app


# -- HTTP: envelopes, bodies, long polling ----------------------------------------------------


