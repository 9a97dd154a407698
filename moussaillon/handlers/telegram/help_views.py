"""``/help`` and the answer to an unknown command, both read from the command table.

``/help`` lists every command of ``commands.COMMANDS`` the caller's role may run
(``roles.PERMISSIONS`` decides, as for the menus), described with the menu's own text: a new
command appears in /help the moment it is in the table, and an instructor's only for them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from html import escape as _escape

from moussaillon.classes.roles import Role, required_role
from moussaillon.core.i18n import t


def escape(text: str) -> str:
    return _escape(text, quote=False)


Row = tuple[str, object, str]  # name, handler, catalogue key of its description

NAME_SHOWN = 32  # Telegram's longest command name
FUZZY_ALIAS = 5  # shorter aliases match only exactly


def help_text(commands: Iterable[Row], role: Role, lang: str) -> str:
    """Students' commands, a tip about plain messages, then (for instructors) theirs."""
    rows = list(commands)

    def lines(level: Role) -> list[str]:
        return [
            t("tg.help_line", lang, name=name, text=escape(t(key, lang)))
            for name, _, key in rows
            if required_role(name) == level
        ]

    parts = [t("tg.help_title", lang), *lines(Role.STUDENT), "", t("tg.help_tip", lang)]
    if role >= Role.INSTRUCTOR:
        parts += ["", t("tg.help_instructor", lang), *lines(Role.INSTRUCTOR)]
    return "\n".join(parts)


def suggestion(
    typed: str, commands: Iterable[Row], aliases: Mapping[str, str], role: Role
) -> str | None:
    """The command closest to ``typed`` that this role may run, or None when nothing is close:
    an exact name or alias (``aide`` → ``help``), else the first command it begins
    (``classe`` → ``classe_creer``), else the nearest spelling (``revison`` → ``revision``).
    Short aliases (``cle``) count only when typed exactly: near any word, they would win."""
    allowed = [name for name, _, _ in commands if required_role(name) <= role]
    known = {name: name for name in allowed}
    known.update({alias: target for alias, target in aliases.items() if target in allowed})
    word = typed.lower()
    if word in known:
        return known[word]
    if len(word) >= 3:
        starting = [name for name in allowed if name.startswith(word)]
        if starting:
            return starting[0]
    spellings = [name for name in known if name in allowed or len(name) >= FUZZY_ALIAS]
    close = difflib.get_close_matches(word, spellings, n=1, cutoff=0.6)
    return known[close[0]] if close else None


def unknown_command(typed: str, suggested: str | None, lang: str) -> str:
    name = escape(typed[:NAME_SHOWN])
    if suggested is None or suggested == "help":
        return t("tg.unknown_command", lang, name=name)
    return t("tg.unknown_command_suggest", lang, name=name, suggestion=suggested)
