"""A ``docker …`` message that reads as a question: answered from the course, with the help.

"docker ps sert à quoi ?" gets the course sections about ``docker ps``, the first lines of the
command's own help (usage and summary), and, when the sandbox does not offer the command
("docker compose up marche pas"), the sandbox's one line saying so.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update

from moussaillon.core.errors import MoussaillonError
from moussaillon.handlers.telegram import views
from moussaillon.handlers.telegram.context import Context, language, message_of, services
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.help import GROUP_SUMMARIES, TOPICS, help_text
from moussaillon.sandbox.parser import help_topic

HELP_LINES = 3
MAX_COMMAND_WORDS = 3


def command_help(line: str, lang: str) -> str:
    """Telegram HTML: the named command's usage and summary, or the sandbox's word on it."""
    words = [word.lower() for word in line.split()[1 : 1 + MAX_COMMAND_WORDS]]
    words = [word for word in words if word.isalpha()]
    try:
        topic = help_topic(words)
    except SandboxError:
        return ""
    if topic is None:
        return ""
    text = help_text(topic, lang)
    if topic in TOPICS or topic in GROUP_SUMMARIES:
        return f"<pre>{escape(chr(10).join(text.splitlines()[:HELP_LINES]))}</pre>"
    return f"<i>{escape(text.splitlines()[0] if text else '')}</i>"


async def answer(update: Update, context: Context, line: str) -> None:
    lang = await language(update, context)
    keyboard: InlineKeyboardMarkup | None
    try:
        course = services(context).course
        hits = await course.search(line, limit=3)
        text, keyboard = views.search_results(line, hits, lang, english=course.in_english(line))
    except MoussaillonError as error:
        text, keyboard = error.message(lang), None
    extra = command_help(line, lang)
    await message_of(update).reply_html(
        text + ("\n\n" + extra if extra else ""), reply_markup=keyboard
    )
