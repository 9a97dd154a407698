"""What every Telegram handler needs: the services, the user's language, and whether the user
may run what they asked (``permissions.check``, the one decision every transport shares)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Protocol

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import ContextTypes

from moussaillon.classes.permissions import Caller, PermissionDenied, check
from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import Lang, t

if TYPE_CHECKING:
    from moussaillon.services import Services

Context = ContextTypes.DEFAULT_TYPE


class HoldsBotData(Protocol):
    """A handler's context, a job's, or the application: each reaches PTB's ``bot_data``."""

    @property
    def bot_data(self) -> dict[Any, Any]: ...


def services(context: HoldsBotData) -> Services:
    found: Services = context.bot_data["services"]
    return found


class MissingFromUpdate(LookupError):
    """An update lacks what its handler relies on. PTB routes to a command handler only messages
    (which have a sender and a chat) and to a button handler only callback queries, so this is a
    routing mistake: ``on_error`` logs it and tells the chat, like any failure."""


def user_of(update: Update) -> User:
    if update.effective_user is None:
        raise MissingFromUpdate(f"update {update.update_id} has no sender")
    return update.effective_user


def message_of(update: Update) -> Message:
    if update.effective_message is None:
        raise MissingFromUpdate(f"update {update.update_id} has no message")
    return update.effective_message


def chat_of(update: Update) -> Chat:
    if update.effective_chat is None:
        raise MissingFromUpdate(f"update {update.update_id} has no chat")
    return update.effective_chat


def query_of(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise MissingFromUpdate(f"update {update.update_id} is not a button press")
    return update.callback_query


async def language(update: Update, context: Context) -> Lang:
    user = update.effective_user
    svc = services(context)
    if user is None:
        return svc.settings.default_language
    return await svc.users.language(user.id)


async def remember_user(update: Update, context: Context) -> None:
    """Runs first for every update (group -1) so every handler can rely on a known user."""
    user = update.effective_user
    if user is not None and not user.is_bot:
        await services(context).users.ensure(
            user.id,
            first_name=user.first_name or "",
            username=user.username,
            language_code=user.language_code,
        )


def command_of(update: Update) -> str | None:
    """The command a message runs (``/quiz_stop@bot args`` → ``quiz_stop``), if it is one."""
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    if not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower() or None


def authorise(update: Update, context: Context, action: str | None = None) -> Caller:
    """The update's user as a ``Caller`` once allowed to run ``action`` (by default the command
    the message runs); ``PermissionDenied``, carrying the sentence to reply, otherwise."""
    action = action or command_of(update)
    if action is None:
        raise ValueError("no action to check: pass it (callback queries carry no command)")
    user = update.effective_user
    caller = Caller.telegram(user.id if user else None)
    return check(action, caller, services(context).classes.roles)


def may(update: Update, context: Context, action: str | None = None) -> bool:
    """``authorise`` as a yes or no, for handlers that word their own refusal."""
    try:
        authorise(update, context, action)
    except PermissionDenied:
        return False
    return True


def error_html(exc: MoussaillonError, lang: str) -> str:
    """An error's sentence for an HTML reply: what the user typed (``/corriger tp <x``) comes
    back in its parameters, so they are escaped; the catalogue's own markup is kept."""
    params = {k: html.escape(v) if isinstance(v, str) else v for k, v in exc.params.items()}
    return t(exc.key, lang, **params)
