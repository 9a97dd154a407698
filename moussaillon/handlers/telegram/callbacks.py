"""Callback data: short, typed, and checked on the way back in (clients can forge it)."""

from __future__ import annotations

import re

from moussaillon.core.errors import BadInput

_PATTERN = re.compile(r"^(toc|ch|s|so|lang)(?::([a-z0-9-]{1,48}))?(?::(\d{1,3}))?$")


def toc() -> str:
    return "toc"


def chapter(chapter_id: str) -> str:
    return f"ch:{chapter_id}"


def section(section_id: str, part: int = 0) -> str:
    return f"s:{section_id}:{part}"


def open_section(section_id: str) -> str:
    return f"so:{section_id}"


def lang(code: str) -> str:
    return f"lang:{code}"


def parse(data: str | None) -> tuple[str, str | None, int]:
    match = _PATTERN.match(data or "")
    if match is None:
        raise BadInput("tg.stale_button")
    kind, arg, part = match.groups()
    if kind in {"ch", "s", "so", "lang"} and not arg:
        raise BadInput("tg.stale_button")
    return kind, arg, int(part or 0)


# Labs: "tp" (the list) or "tp:<lab id ≤ 40>:<action>:<step>", at most 53 bytes.
# "verify": the check offered under a command's answer; "about": objective and limits;
# "read": the course sections to read first.
LAB_ACTIONS = ("open", "go", "hint", "done", "check", "fix", "verify", "about", "read")
_LAB_PATTERN = re.compile(rf"^tp(?::([a-z0-9-]{{1,40}}):({'|'.join(LAB_ACTIONS)}):(\d{{1,3}}))?$")


def lab_list() -> str:
    return "tp"


def lab(lab_id: str, action: str, step: int = 0) -> str:
    return f"tp:{lab_id}:{action}:{step}"


def parse_lab(data: str | None) -> tuple[str | None, str, int]:
    """``(None, "list", 0)`` for the list, else ``(lab_id, action, step)``."""
    match = _LAB_PATTERN.match(data or "")
    if match is None:
        raise BadInput("tg.stale_button")
    lab_id, action, step = match.groups()
    if lab_id is None:
        return None, "list", 0
    return lab_id, action, int(step)
