"""Telegram's limits, checked with Telegram's own error sentences (all answered as 400)."""

from __future__ import annotations

import re
from typing import Any

from telegram.constants import PollLimit

from .models import ApiError, bad_request
from .telegram_html import HtmlError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_QUESTION = PollLimit.MAX_QUESTION_LENGTH
MAX_OPTION = PollLimit.MAX_OPTION_LENGTH
MIN_OPTIONS = PollLimit.MIN_OPTION_NUMBER
MAX_OPTIONS = PollLimit.MAX_OPTION_NUMBER
MAX_EXPLANATION = PollLimit.MAX_EXPLANATION_LENGTH
MAX_EXPLANATION_LINE_FEEDS = PollLimit.MAX_EXPLANATION_LINE_FEEDS
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)


def render(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None, *,
    strict_html: bool, what: str = "entities",
) -> tuple[str, list[dict[str, Any]]]:
    """Apply ``parse_mode`` like Telegram: the visible text and its entities.

    MarkdownV2 and Markdown are accepted and left unparsed (the bot speaks HTML).
    """
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(text, strict=strict_html)
        except HtmlError as err:
            raise bad_request(f"can't parse {what}: {err}") from None
    if mode in ("", "markdown", "markdownv2"):
        return text, list(entities or [])
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def message_text(
    text: Any, parse_mode: str | None, entities: Any, *, strict_html: bool
) -> tuple[str, list[dict[str, Any]]]:
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    visible, found = render(text, parse_mode, entities, strict_html=strict_html)
    if not visible.strip():
        raise bad_request("message text is empty")
    if utf16_len(visible) > MAX_TEXT:
        raise bad_request("message is too long")
    return visible, found


def caption(
    text: Any, parse_mode: str | None, entities: Any, *, strict_html: bool
) -> tuple[str, list[dict[str, Any]]] | None:
    if text is None or text == "":
        return None
    visible, found = render(str(text), parse_mode, entities, strict_html=strict_html)
    if utf16_len(visible) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return visible, found


def reply_markup(markup: Any) -> dict[str, Any] | None:
    """Check an inline keyboard button by button; other keyboards pass through."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            if not any(key in button for key in _BUTTON_ACTIONS):
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode())
                if not 1 <= size <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                raise bad_request("BUTTON_URL_INVALID")
    return markup


def poll_options(options: Any) -> list[str]:
    if not isinstance(options, list):
        raise bad_request("field \"options\" must be an Array")
    texts = [option.get("text", "") if isinstance(option, dict) else str(option)
             for option in options]
    if len(texts) < MIN_OPTIONS:
        raise bad_request(f"poll must have at least {MIN_OPTIONS} option")
    if len(texts) > MAX_OPTIONS:
        raise bad_request(f"poll can't have more than {MAX_OPTIONS} options")
    for text in texts:
        if not text.strip():
            raise bad_request("poll options must be non-empty")
        if utf16_len(text) > MAX_OPTION:
            raise bad_request(f"poll options length must not exceed {MAX_OPTION}")
    return texts


def poll_question(question: Any) -> str:
    if not isinstance(question, str) or not question.strip():
        raise bad_request("poll question must be non-empty")
    if utf16_len(question) > MAX_QUESTION:
        raise bad_request(f"poll question length must not exceed {MAX_QUESTION}")
    return question


def explanation(text: Any, parse_mode: str | None, *, strict_html: bool) -> str | None:
    if text is None or text == "":
        return None
    visible, _ = render(str(text), parse_mode, None, strict_html=strict_html,
                        what="explanation entities")
    if utf16_len(visible) > MAX_EXPLANATION:
        raise bad_request(
            f"explanation is too long: at most {MAX_EXPLANATION} characters are allowed")
    if visible.count("\n") > MAX_EXPLANATION_LINE_FEEDS:
        raise bad_request(
            f"explanation can't have more than {MAX_EXPLANATION_LINE_FEEDS} line feeds")
    return visible


def quiz_answers(poll_type: str, params: dict[str, Any], option_count: int) -> list[int] | None:
    """The quiz's correct options: ``correct_option_ids`` (Bot API 9.6+) or the legacy field."""
    if poll_type != "quiz":
        return None
    ids = params.get("correct_option_ids")
    if ids is None and params.get("correct_option_id") is not None:
        ids = [params["correct_option_id"]]
    if not ids:
        raise bad_request("correct_option_ids must be specified for quiz polls")
    ids = [int(i) for i in ids]
    if any(not 0 <= i < option_count for i in ids) or ids != sorted(set(ids)):
        raise bad_request("wrong correct option ID specified")
    return ids


def commands(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list) or len(items) > 100:
        raise bad_request("commands must be an array of at most 100 BotCommand")
    checked = []
    for item in items:
        name, description = str(item.get("command", "")), str(item.get("description", ""))
        if not _COMMAND.fullmatch(name.lstrip("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("command description must be 1-256 characters long")
        checked.append({"command": name.lstrip("/"), "description": description})
    return checked


def require(params: dict[str, Any], *names: str) -> None:
    for name in names:
        if params.get(name) in (None, ""):
            raise ApiError(400, f"Bad Request: {name} is empty")
