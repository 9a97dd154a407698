"""The course reader: table of contents, chapters and sections, edited in place."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest

from moussaillon.core.errors import BadInput, MoussaillonError
from moussaillon.handlers.telegram import callbacks, start, views
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    query_of,
    services,
    user_of,
)


async def contents(update: Update, context: Context) -> None:
    svc = services(context)
    read = await svc.progress.sections_read(user_of(update).id)
    text, keyboard = views.table_of_contents(
        svc.course.course, read, await language(update, context)
    )
    await message_of(update).reply_html(text, reply_markup=keyboard)


async def on_button(update: Update, context: Context) -> None:
    """Every inline button of the reader; stale or forged data gets a polite alert."""
    query = query_of(update)
    lang = await language(update, context)
    svc = services(context)
    try:
        kind, arg, part = callbacks.parse(query.data)
        if kind == "lang":
            await start.set_language(update, context, arg or "fr")
            return
        user_id = user_of(update).id
        if kind == "toc":
            view = views.table_of_contents(
                svc.course.course, await svc.progress.sections_read(user_id), lang
            )
        elif arg is None:  # callbacks.parse gives every other kind its argument
            raise BadInput("tg.stale_button")
        elif kind == "ch":
            chapter = svc.course.course.chapter(arg)
            view = views.chapter_menu(chapter, await svc.progress.sections_read(user_id), lang)
        else:
            page = svc.course.page(arg, part)
            await svc.progress.record_view(user_id, page.section.id)
            view = views.section_page(page, lang)
    except MoussaillonError as error:
        await query.answer(error.message(lang), show_alert=True)
        return
    await query.answer()
    text, keyboard = view
    if kind == "so" or query.message is None:
        await context.bot.send_message(
            chat_of(update).id, text, parse_mode="HTML", reply_markup=keyboard
        )
        return
    try:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
