"""/tp and the lab buttons: list, open, hint, done, check on the real sandbox, correction.

A check also comes from under a command's answer (``verify``, offered by ``sandbox.run``): its
verdict arrives as a new lab card at the bottom of the chat, where the student is typing."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import BadRequest

from moussaillon.core.errors import MoussaillonError, NotFound
from moussaillon.handlers.telegram import callbacks, labs_views
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    query_of,
    services,
    user_of,
)
from moussaillon.labs.service import CorrectionLocked, LabView

if TYPE_CHECKING:
    from moussaillon.services import Services

ALERT_LIMIT = 200  # Telegram refuses longer callback answers


def _sections(svc: Services, section_ids: list[str]) -> list[tuple[str, str]]:
    found = []
    for section_id in section_ids:
        try:
            found.append((section_id, svc.course.course.section(section_id).title))
        except NotFound:  # a course served instead of the bundled one may lack it
            continue
    return found


def _page(svc: Services, view: LabView, lang: str, extra: str | None = None, **how: bool):
    """The lab card; ``how`` is ``about`` or ``reading`` (see ``labs_views.lab_page``)."""
    lab = svc.labs.labs.get(view.lab_id)
    return labs_views.lab_page(
        lab,
        view,
        _sections(svc, view.prerequisites),
        lang,
        extra=extra,
        sandbox=svc.practice.available,
        **how,
    )


async def _list(svc: Services, user_id: int, lang: str):
    return labs_views.lab_list(await svc.labs.list_for(user_id), lang)


STARTER_WORDS = frozenset({"fichiers", "files", "depart", "départ", "starter"})
CORRECTION_WORDS = frozenset({"correction", "solution"})


async def _open(svc: Services, user_id: int, lab_id: str, what: str, lang: str):
    """``/tp N``; ``/tp N fichiers`` puts the starter files back, ``/tp N correction`` loads the
    correction's files (both say what they wrote above the lab card)."""
    labs = svc.labs
    if what in STARTER_WORDS:
        loaded = labs_views.files_loaded(
            await labs.seed_starter(user_id, lab_id), lang, correction=False
        )
    elif what in CORRECTION_WORDS:
        loaded = labs_views.files_loaded(
            await labs.load_correction(user_id, lab_id), lang, correction=True
        )
    else:
        return _page(svc, await labs.open(user_id, lab_id), lang)
    return _page(svc, await labs.open(user_id, lab_id), lang, loaded)


async def tp_command(update: Update, context: Context) -> None:
    """``/tp`` lists the labs; ``/tp <number or id>`` opens one at the student's current step;
    ``/tp <number> fichiers`` or ``/tp <number> correction`` also loads the lab's files."""
    svc = services(context)
    lang = await language(update, context)
    user_id = user_of(update).id
    message = message_of(update)
    if context.args:
        what = context.args[1].lower() if len(context.args) > 1 else ""
        try:
            lab = svc.labs.labs.find(context.args[0])
            text, keyboard = await _open(svc, user_id, lab.id, what, lang)
        except MoussaillonError as error:
            text, keyboard = await _list(svc, user_id, lang)
            await message.reply_html(f"{error.message(lang)}\n\n{text}", reply_markup=keyboard)
            return
    else:
        text, keyboard = await _list(svc, user_id, lang)
    await message.reply_html(text, reply_markup=keyboard)


async def _act(svc: Services, user_id: int, lab_id: str, action: str, step: int, lang: str):
    labs = svc.labs
    if action == "open":
        return _page(svc, await labs.open(user_id, lab_id), lang)
    if action == "go":
        return _page(svc, await labs.go_to(user_id, lab_id, step), lang)
    if action in ("about", "read"):
        view = await labs.go_to(user_id, lab_id, step)
        return _page(svc, view, lang, about=action == "about", reading=action == "read")
    if action == "hint":
        hint = await labs.hint(user_id, lab_id, step)
        view = await labs.go_to(user_id, lab_id, step)
        return _page(svc, view, lang, labs_views.hint_block(hint, lang))
    if action == "done":
        view = await labs.mark_done(user_id, lab_id, step)
        return _page(svc, view, lang, labs_views.check_done_note(step, lang))
    if action in ("check", "verify"):
        result = await svc.practice.check(user_id, lab_id, step, lang)
        view = await labs.go_to(user_id, lab_id, step)
        return _page(svc, view, lang, labs_views.check_block(step, result, lang))
    # "fix": the correction, or why it is not available yet
    view = await labs.go_to(user_id, lab_id, step) if step else await labs.open(user_id, lab_id)
    try:
        order = labs.labs.get(lab_id).order
        extra = labs_views.correction_block(await labs.correction(user_id, lab_id), lang, order)
    except CorrectionLocked as locked:
        extra = f"🔒 {locked.message(lang)}"
    return _page(svc, view, lang, extra)


async def on_button(update: Update, context: Context) -> None:
    """Every ``tp`` button; stale or forged data gets a polite alert, never a crash."""
    query = query_of(update)
    svc = services(context)
    lang = await language(update, context)
    user_id = user_of(update).id
    try:
        lab_id, action, step = callbacks.parse_lab(query.data)
        if lab_id is None:
            text, keyboard = await _list(svc, user_id, lang)
        else:
            text, keyboard = await _act(svc, user_id, lab_id, action, step, lang)
    except MoussaillonError as error:
        await query.answer(error.message(lang)[:ALERT_LIMIT], show_alert=True)
        return
    await query.answer()
    if action == "verify" and query.message is not None:
        # The answer keeps its output and loses its button; the card comes under it.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(reply_markup=None)
        await context.bot.send_message(
            chat_of(update).id, text, parse_mode="HTML", reply_markup=keyboard
        )
        return
    if query.message is None:
        await context.bot.send_message(
            chat_of(update).id, text, parse_mode="HTML", reply_markup=keyboard
        )
        return
    try:
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
