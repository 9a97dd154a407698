"""Compose's variable substitution and its ``.env`` format, as the Compose Specification
describes them, so a file that works with ``docker compose`` reads the same here.

``$$`` is a literal ``$``; ``$VAR`` and ``${VAR}`` substitute; ``${VAR:-d}``/``${VAR-d}`` give a
default when unset-or-empty/unset; ``${VAR:?e}``/``${VAR?e}`` fail; ``${VAR:+r}``/``${VAR+r}``
replace when set. Defaults may nest (``${A:-${B}}``). Any other ``$`` is an invalid template,
as Compose says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class InterpolationError(ValueError):
    """A bad template or a required variable without a value; ``key`` is the catalogue key."""

    def __init__(self, key: str, **params: str) -> None:
        self.key = key
        self.params = params
        super().__init__(key, params)


def interpolate(
    text: str, env: Mapping[str, str], on_unset: Callable[[str], None] | None = None
) -> str:
    """Substitute ``text`` from ``env``; ``on_unset`` hears each unset variable used bare."""
    if "$" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "{":
            end = _closing_brace(text, i + 2)
            if end < 0:
                raise InterpolationError("sandbox.compose.interpolation.invalid", value=text)
            out.append(_braced(text[i + 2 : end], text, env, on_unset))
            i = end + 1
        else:
            match = _NAME.match(text, i + 1)
            if match is None:
                raise InterpolationError("sandbox.compose.interpolation.invalid", value=text)
            out.append(_lookup(match.group(0), env, on_unset))
            i = match.end()
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _lookup(name: str, env: Mapping[str, str], on_unset: Callable[[str], None] | None) -> str:
    if name in env:
        return env[name]
    if on_unset is not None:
        on_unset(name)
    return ""


def _braced(
    inner: str, whole: str, env: Mapping[str, str], on_unset: Callable[[str], None] | None
) -> str:
    match = _NAME.match(inner)
    if match is None:
        raise InterpolationError("sandbox.compose.interpolation.invalid", value=whole)
    name, rest = match.group(0), inner[match.end() :]
    if not rest:
        return _lookup(name, env, on_unset)
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise InterpolationError("sandbox.compose.interpolation.invalid", value=whole)
    argument = rest[len(operator) :]
    value = env.get(name)
    present = value is not None and (value != "" or not operator.startswith(":"))
    if operator.endswith("-"):
        return value if present and value is not None else interpolate(argument, env, on_unset)
    if operator.endswith("+"):
        return interpolate(argument, env, on_unset) if present else ""
    if present and value is not None:
        return value
    raise InterpolationError(
        "sandbox.compose.interpolation.required",
        name=name,
        detail=interpolate(argument, env, on_unset),
    )


def parse_dotenv(text: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Read a ``.env`` file as Compose does: ``KEY=VALUE`` lines, ``export`` allowed, ``#``
    comments, single quotes literal, double quotes with escapes; unquoted and double-quoted
    values interpolate earlier keys and ``env``. A line that is not ``KEY=...`` is an error
    (``ValueError`` carrying the 1-based line)."""
    values: dict[str, str] = {}
    base = dict(env or {})
    lines = text.replace("\r\n", "\n").split("\n")
    number = 0
    while number < len(lines):
        raw = lines[number]
        number += 1
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _NAME.fullmatch(key):
            if not sep and _NAME.fullmatch(key):
                if key in base:
                    values[key] = base[key]
                continue
            raise DotenvError(number, raw)
        value = value.lstrip()
        lookup = {**values, **base}
        if value.startswith("'"):
            end = value.find("'", 1)
            while end < 0 and number < len(lines):
                value += "\n" + lines[number]
                number += 1
                end = value.find("'", 1)
            if end < 0:
                raise DotenvError(number, raw)
            values[key] = value[1:end]
        elif value.startswith('"'):
            body, end = _double_quoted(value)
            while end < 0 and number < len(lines):
                value += "\n" + lines[number]
                number += 1
                body, end = _double_quoted(value)
            if end < 0:
                raise DotenvError(number, raw)
            values[key] = _interpolate_dotenv(body, lookup, number)
        else:
            value = re.split(r"\s#", value, maxsplit=1)[0].strip()
            values[key] = _interpolate_dotenv(value, lookup, number)
    return values


class DotenvError(ValueError):
    def __init__(self, line: int, text: str) -> None:
        self.line = line
        self.text = text
        super().__init__(line, text)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "\\$"}


def _double_quoted(value: str) -> tuple[str, int]:
    out: list[str] = []
    i = 1
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            out.append(_ESCAPES.get(value[i + 1], "\\" + value[i + 1]))
            i += 2
            continue
        if char == '"':
            return "".join(out), i
        out.append(char)
        i += 1
    return "", -1


def _interpolate_dotenv(value: str, env: Mapping[str, str], line: int) -> str:
    try:
        return interpolate(value.replace("\\$", "$$"), env)
    except InterpolationError as error:
        raise DotenvError(line, value) from error


__all__ = ["DotenvError", "InterpolationError", "interpolate", "parse_dotenv"]
