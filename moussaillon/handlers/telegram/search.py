"""Questions in plain words: /chercher, and any private text that is not a command."""

from __future__ import annotations

from telegram import Update

from moussaillon.content.questions import looks_like_question
from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import questions, sandbox, shell, views
from moussaillon.handlers.telegram.context import Context, language, message_of, services


async def search_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    query = " ".join(context.args or [])
    if not query.strip():
        await message_of(update).reply_html(t("tg.search_usage", lang))
        return
    await _answer(update, context, query)


async def on_text(update: Update, context: Context) -> None:
    text = message_of(update).text or ""
    if await shell.to_shell(update, context):  # an open shell takes every plain message
        return
    if text.lstrip().lower().startswith("docker ") or text.strip().lower() == "docker":
        if looks_like_question(text):
            await questions.answer(update, context, text.strip())
            return
        await sandbox.run(update, context, text.strip())
        return
    await _answer(update, context, text)


async def _answer(update: Update, context: Context, query: str) -> None:
    lang = await language(update, context)
    try:
        course = services(context).course
        hits = await course.search(query, limit=3)
    except MoussaillonError as error:
        await message_of(update).reply_html(error.message(lang))
        return
    text, keyboard = views.search_results(query, hits, lang, english=course.in_english(query))
    await message_of(update).reply_html(text, reply_markup=keyboard)
