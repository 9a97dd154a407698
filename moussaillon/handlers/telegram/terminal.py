"""/terminal: the student's certificate for their own docker CLI; /terminal revoquer.

Sent only in a private chat (the zip holds the student's key). The rules and the text of the
commands are the terminal's (``TerminalCerts``).
"""

from __future__ import annotations

import html
import io

from telegram import Update

from moussaillon.core.i18n import t
from moussaillon.handlers.telegram.context import Context, language, message_of, services, user_of

REVOKE_WORDS = frozenset({"revoquer", "révoquer", "revoke"})


async def terminal_command(update: Update, context: Context) -> None:
    lang = await language(update, context)
    message = message_of(update)
    certs = services(context).terminal
    if certs is None:
        await message.reply_html(t("terminal.unavailable", lang))
        return
    words = (message.text or "").split()[1:]
    if words and words[0].lower() in REVOKE_WORDS:
        count = await certs.revoke(user_of(update).id)
        await message.reply_html(t("terminal.revoked_count", lang, count=count))
        return
    if update.effective_chat is None or update.effective_chat.type != "private":
        await message.reply_html(t("terminal.tg.private_only", lang))
        return
    bundle = await certs.issue(user_of(update).id)
    commands = f"<pre>{html.escape(certs.commands())}</pre>"
    token_commands = f"<pre>{html.escape(certs.token_commands())}</pre>"
    await message.reply_document(
        io.BytesIO(bundle.zip()),
        filename=certs.zip_name,
        caption=t("terminal.issued", lang, commands=commands, token_commands=token_commands),
        parse_mode="HTML",
    )
