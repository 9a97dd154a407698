"""The student's files in Telegram: documents sent to the bot, /fichier, /fichiers, /voir,
/supprimer and ``/reset fichiers``. Every rule is the workspace service's."""

from __future__ import annotations

import io
import logging

from telegram import Update
from telegram.error import TelegramError

from moussaillon.core.i18n import t, t_count
from moussaillon.handlers.telegram import confirm
from moussaillon.handlers.telegram import workspace_views as views
from moussaillon.handlers.telegram.context import (
    Context,
    error_html,
    language,
    message_of,
    services,
    user_of,
)
from moussaillon.workspace import WorkspaceError
from moussaillon.workspace.text import inline_file, is_text

log = logging.getLogger("moussaillon.telegram")

RESET_WORDS = frozenset({"fichiers", "fichier", "files"})  # /reset fichiers


def _argument(update: Update) -> str:
    """What follows the command, newlines and inner spaces kept."""
    parts = (message_of(update).text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _caption_target(caption: str | None) -> str:
    """The caption names where the file goes; ``/fichier app/`` is read as ``app/``."""
    words = (caption or "").strip().split(maxsplit=1)
    if words and words[0].split("@", 1)[0].lower() == "/fichier":
        return words[1] if len(words) > 1 else ""
    return (caption or "").strip()


async def _refuse(update: Update, error: WorkspaceError, lang: str) -> None:
    await message_of(update).reply_html(f"⛔ {error_html(error, lang)}")


async def fichier_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    parsed = inline_file(_argument(update))
    if parsed is None or not parsed[1]:
        await message_of(update).reply_html(t("workspace.tg.fichier_usage", lang))
        return
    name, content = parsed
    try:
        written = await services(context).workspace.write(
            user_of(update).id, name, content.encode()
        )
    except WorkspaceError as error:
        await _refuse(update, error, lang)
        return
    await message_of(update).reply_html(views.saved([written], None, lang))


async def on_document(update: Update, context: Context) -> None:
    """A document in a private chat: stored (an archive unpacked); its caption names the
    target (``app/``, ``app/index.php``)."""
    lang = await language(update, context)
    message = message_of(update)
    document = message.document
    if document is None:
        return
    workspace = services(context).workspace
    filename = document.file_name
    try:
        workspace.check_upload(filename, document.file_size)  # before downloading anything
        try:
            file = await document.get_file()
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("workspace: download of a document failed: %s", exc)
            await message.reply_html(t("workspace.tg.download_failed", lang))
            return
        stored = await workspace.upload(
            user_of(update).id, filename, data, target=_caption_target(message.caption)
        )
    except WorkspaceError as error:
        await _refuse(update, error, lang)
        return
    archive = filename if filename and workspace.is_archive(filename) else None
    await message.reply_html(views.saved(stored, archive, lang))


async def fichiers_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    workspace = services(context).workspace
    files = await workspace.list(user_of(update).id)
    await message_of(update).reply_html(views.listing(files, workspace.limits, lang))


async def voir_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    name = _argument(update).strip()
    message = message_of(update)
    if not name:
        await message.reply_html(t("workspace.tg.voir_usage", lang))
        return
    try:
        data = await services(context).workspace.read(user_of(update).id, name)
    except WorkspaceError as error:
        await _refuse(update, error, lang)
        return
    path = name.strip("/")
    if not is_text(data):
        await message.reply_html(
            t(
                "workspace.tg.binary",
                lang,
                path=views.escape(path),
                size=views.size(len(data), lang),
            )
        )
        return
    text = views.shown(path, data.decode(), lang)
    if text is not None:
        await message.reply_html(text)
        return
    await message.reply_html(
        t(
            "workspace.tg.as_document",
            lang,
            path=views.escape(path),
            size=views.size(len(data), lang),
        )
    )
    await message.reply_document(io.BytesIO(data), filename=path.rsplit("/", 1)[-1])


async def supprimer_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    name = _argument(update).strip()
    if not name:
        await message_of(update).reply_html(t("workspace.tg.supprimer_usage", lang))
        return
    try:
        await services(context).workspace.delete(user_of(update).id, name)
    except WorkspaceError as error:
        await _refuse(update, error, lang)
        return
    await message_of(update).reply_html(
        t("workspace.tg.deleted", lang, path=views.escape(name.strip("/")))
    )


async def reset_files(update: Update, context: Context) -> None:
    """``/reset fichiers``: asks first (``confirm``), like ``/reset``."""
    lang = await language(update, context)
    workspace = services(context).workspace
    user_id = user_of(update).id
    count = len(await workspace.list(user_id))
    if not count:
        await message_of(update).reply_html(t("workspace.tg.reset_nothing", lang))
        return

    async def wipe(update: Update, context: Context) -> str:
        removed = await workspace.reset(user_id)
        return t_count("workspace.tg.reset_done", removed, lang, count=removed)

    keyboard = confirm.ask(context, wipe, t("workspace.tg.reset_yes", lang), lang)
    question = t("workspace.tg.reset_confirm", lang, count=count, minutes=confirm.ttl_minutes())
    await message_of(update).reply_html(question, reply_markup=keyboard)
