"""Telling text from binary, and taking a file's content out of a chat message."""

from __future__ import annotations

import re

# ```lang … ``` around the whole content, as chat users (and Telegram clients) write code.
_FENCE = re.compile(r"\A\s*```[^\n`]*\n(?P<body>.*?)\n?```\s*\Z", re.S)

_INLINE = re.compile(r"(?P<name>\S+)(?:[ \t]*\r?\n|[ \t]+)?(?P<rest>.*)\Z", re.S)


def is_text(data: bytes) -> bool:
    """UTF-8 without NUL: what can be shown in a message. Everything else is kept, not shown."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def unwrap_fence(content: str) -> str:
    """The code inside one fenced block that is the whole content; anything else as it is."""
    match = _FENCE.match(content)
    return match["body"] if match else content


def inline_file(text: str) -> tuple[str, str] | None:
    """``NAME`` then the content (same line or next lines) → ``(name, content)``; the content
    ends with one newline as editors save files. None without a name."""
    match = _INLINE.match(text.lstrip(" \t"))
    if match is None:
        return None
    content = unwrap_fence(match["rest"])
    if content and not content.endswith("\n"):
        content += "\n"
    return match["name"], content
