"""/start, /help, /langue and the language buttons."""

from __future__ import annotations

from html import escape

from telegram import Message, Update

from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import classes, help_views, views
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    query_of,
    services,
    user_of,
)


async def start(update: Update, context: Context) -> None:
    if context.args:  # a deep link t.me/<bot>?start=<class code>
        await classes.join_from_link(update, context)
        return
    lang = await language(update, context)
    name = escape(update.effective_user.first_name or "") if update.effective_user else ""
    await message_of(update).reply_html(
        t("tg.welcome", lang, name=name), reply_markup=views.languages()
    )


async def help_command(update: Update, context: Context) -> None:
    """Built from the command table and the role's permissions, so it cannot drift."""
    from moussaillon.handlers.telegram.commands import COMMANDS  # the table lists this module

    lang = await language(update, context)
    role = services(context).classes.roles.role(user_of(update).id)
    await message_of(update).reply_html(help_views.help_text(COMMANDS, role, lang))


async def choose_language(update: Update, context: Context) -> None:
    lang = await language(update, context)
    await message_of(update).reply_html(
        t("tg.language_prompt", lang), reply_markup=views.languages()
    )


async def set_language(update: Update, context: Context, code: str) -> None:
    query = query_of(update)
    lang = await services(context).users.set_language(user_of(update).id, code)
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    text = t("tg.language_set", lang)
    if isinstance(query.message, Message):
        await query.message.reply_html(text)
    else:  # a message the bot can no longer reach
        await context.bot.send_message(chat_of(update).id, text, parse_mode="HTML")
