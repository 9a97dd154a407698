"""Commands the bot does not know (``/aide``, a typo): the closest known one and /help.

Registered after every command handler, so only what none of them took gets here. In a group
the bot answers only a command addressed to it (``/aide@ThisBot``): other bots' commands and
bare typos stay theirs, and the group is not spammed.
"""

from __future__ import annotations

from telegram import MessageEntity, Update
from telegram.constants import ChatType

from moussaillon.classes.roles import Role
from moussaillon.handlers.telegram import help_views
from moussaillon.handlers.telegram.commands import ALIASES, COMMANDS
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    services,
)


def typed_command(update: Update) -> tuple[str, str]:
    """(name, bot username or "") of the command the message starts with."""
    message = message_of(update)
    text = message.text or ""
    entity = next(
        (e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0),
        None,
    )
    word = text[1 : entity.length] if entity else (text[1:].split() or [""])[0]
    name, _, target = word.partition("@")
    return name, target


async def on_unknown_command(update: Update, context: Context) -> None:
    name, target = typed_command(update)
    addressed = bool(target) and target.lower() == (context.bot.username or "").lower()
    if target and not addressed:
        return  # another bot's command
    if chat_of(update).type != ChatType.PRIVATE and not addressed:
        return
    lang = await language(update, context)
    user = update.effective_user
    role = services(context).classes.roles.role(user.id) if user else Role.STUDENT
    suggested = help_views.suggestion(name, COMMANDS, ALIASES, role)
    await message_of(update).reply_html(help_views.unknown_command(name, suggested, lang))
