"""Interactive shells in a private chat: open one, type into it, read its bursts, leave it.

While a shell is open, every plain text message of the student goes to its stdin (``docker
ps`` too: inside a shell it is what the shell runs); ``/`` commands keep their meaning and
``/quitter_shell`` closes it. The session and its rules live in the sandbox; this module only
moves text between the chat and ``ShellSession``.
"""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING

from telegram import Bot, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import Application

from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import sandbox_replies
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    services,
    user_of,
)
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.results import CommandResult

if TYPE_CHECKING:
    from moussaillon.sandbox import Burst, ShellSession

log = logging.getLogger(__name__)


async def open_shell(update: Update, context: Context, line: str) -> None:
    lang = await language(update, context)
    message = message_of(update)
    sandbox = services(context).sandbox
    if sandbox is None:
        await message.reply_html(t("tg.docker_disabled", lang))
        return
    if chat_of(update).type != ChatType.PRIVATE:
        await message.reply_html(t("sandbox.shell.private_only", lang))
        return
    session = await sandbox.open_shell(user_of(update).id, line, lang)
    if isinstance(session, CommandResult):  # refused, or docker's error
        if session.refused:
            await message.reply_html(f"⛔ {escape(session.reason or '')}")
        else:
            await message.reply_html(sandbox_replies.result_html(session, lang))
        return
    name = escape(session.target)
    key = "sandbox.shell.opened_attach" if session.kind == "attach" else "sandbox.shell.opened"
    text = t(key, lang, name=name)
    if not session.stdin:
        text += "\n" + t("sandbox.shell.attach_no_stdin", lang)
    await message.reply_html(text)
    context.application.create_task(
        forward(session, context.bot, message.chat_id, lang), update=update
    )


async def forward(session: ShellSession, bot: Bot, chat_id: int, lang: str) -> None:
    """Each burst as one message (a file when long), then why the shell ended."""
    try:
        async for burst in session.bursts():
            try:
                await _send_burst(bot, chat_id, burst, lang)
            except TelegramError as exc:
                log.info("shell: a burst for chat %s was not sent: %s", chat_id, exc)
    finally:
        if session.ended is None:  # this task failed or was cancelled: nobody reads any more
            await session.close("lost")
        session.abandon()
    ended = session.ended
    if ended is not None:
        try:
            await bot.send_message(chat_id, escape(ended.message), parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.info("shell: the end of a shell for chat %s was not sent: %s", chat_id, exc)


async def _send_burst(bot: Bot, chat_id: int, burst: Burst, lang: str) -> None:
    text = burst.text
    note = t("sandbox.shell.dropped", lang, count=burst.dropped) if burst.dropped else ""
    if not text.strip() and not note:
        return
    if len(text) > sandbox_replies.INLINE_OUTPUT:
        await bot.send_document(chat_id, text.encode(), filename="shell.txt", caption=note or None)
        return
    html = f"<pre>{escape(text)}</pre>" if text.strip() else ""
    if note:
        html += f"\n<i>{escape(note)}</i>"
    await bot.send_message(chat_id, html.strip(), parse_mode=ParseMode.HTML)


async def to_shell(update: Update, context: Context) -> bool:
    """Send the message to the student's open shell; False when they have none (the message
    is then handled as usual)."""
    sandbox = services(context).sandbox
    if sandbox is None:
        return False
    user_id = user_of(update).id
    session = sandbox.shell_of(user_id)
    if session is None:
        if sandbox.shell_ended_by_restart(user_id):
            await message_of(update).reply_html(
                t("sandbox.shell.restarted", await language(update, context))
            )
            return True
        return False
    try:
        await session.send(message_of(update).text or "")
    except SandboxError as exc:
        await message_of(update).reply_html(f"⛔ {escape(exc.message(session.lang))}")
    return True


async def on_stopping(application: Application) -> None:
    """Before polling stops: PTB waits for every task it runs, the shells' forwarding ones
    included, so the shells end first (their students read why while the bot can still send)."""
    sandbox = services(application).sandbox
    if sandbox is not None:
        await sandbox.close_shells()


async def quit_shell(update: Update, context: Context) -> None:
    """/quitter_shell: the forwarding task says the shell is closed."""
    lang = await language(update, context)
    sandbox = services(context).sandbox
    session = sandbox.shell_of(user_of(update).id) if sandbox is not None else None
    if session is None:
        await message_of(update).reply_html(t("sandbox.shell.none", lang))
        return
    await session.close("quit")
