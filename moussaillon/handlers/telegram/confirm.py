"""A button that confirms a command before it destroys anything (``/classe_fermer``, ``/reset``).

The command keeps what it would do under a random nonce in the asker's ``user_data`` and offers
two buttons carrying that nonce. A tap takes the nonce out before anything runs, so a second tap,
the other button or the same update delivered twice finds nothing and does nothing; so does a
tap after ``CONFIRM_TTL_S`` or after a restart (nonces live in memory only), and a tap by anyone
else (their ``user_data`` never held it). The action checks what it needs when it runs, as the
command would have.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from moussaillon.content.render import visible_text
from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram.context import Context, language, query_of

CONFIRM_TTL_S = 120.0
PATTERN = r"^cf:"
ALERT_LIMIT = 200  # Telegram refuses longer callback answers
_DATA = re.compile(r"^cf:([A-Za-z0-9_-]{8,16}):([yn])$")
_KEY = "confirm.pending"

Action = Callable[[Update, Context], Awaitable[str]]
"""Does the confirmed thing; returns the HTML that replaces the question."""


@dataclass(frozen=True)
class Pending:
    action: Action
    expires: float


def ttl_minutes() -> int:
    return max(1, round(CONFIRM_TTL_S / 60))


def _pending(context: Context) -> dict[str, Pending]:
    data: dict[Any, Any] | None = context.user_data
    if data is None:  # an update without a user: nothing to keep, nothing to find
        return {}
    found: dict[str, Pending] = data.setdefault(_KEY, {})
    return found


def ask(context: Context, action: Action, yes: str, lang: str) -> InlineKeyboardMarkup:
    """Keep ``action`` for one tap within ``CONFIRM_TTL_S``; the keyboard that confirms it."""
    pending = _pending(context)
    now = time.monotonic()
    for nonce in [n for n, p in pending.items() if p.expires < now]:
        del pending[nonce]
    nonce = secrets.token_urlsafe(9)
    pending[nonce] = Pending(action, now + CONFIRM_TTL_S)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"cf:{nonce}:y"),
                InlineKeyboardButton(t("tg.confirm_cancel", lang), callback_data=f"cf:{nonce}:n"),
            ]
        ]
    )


async def on_button(update: Update, context: Context) -> None:
    query = query_of(update)
    lang = await language(update, context)
    match = _DATA.match(query.data or "")
    pending = _pending(context).pop(match[1], None) if match else None
    if match is None or pending is None or pending.expires < time.monotonic():
        await query.answer(t("tg.confirm_expired", lang), show_alert=True)
        if pending is not None:  # the asker's own expired question: its buttons go
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(reply_markup=None)
        return
    if match[2] == "n":
        text = t("tg.confirm_cancelled", lang)
    else:
        try:
            text = await pending.action(update, context)
        except MoussaillonError as error:
            alert = visible_text(error.message(lang))[:ALERT_LIMIT]
            await query.answer(alert, show_alert=True)
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(reply_markup=None)
            return
    await query.answer()
    with contextlib.suppress(BadRequest):  # the question was deleted meanwhile
        await query.edit_message_text(text, parse_mode="HTML", reply_markup=None)
