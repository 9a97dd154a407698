"""What every Telegram handler needs: the services and the user's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import ContextTypes

from moussaillon.core.i18n import Lang

if TYPE_CHECKING:
    from moussaillon.services import Services

Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    return context.bot_data["services"]


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
