"""Go's ``%v`` printing and the functions templates may call: docker's helpers and Go's.

Every function receives the render's ``Budget`` first: whatever builds text charges its size
before building it, and every width or count is checked against ``MAX_WIDTH`` first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from moussaillon.sandbox.gotemplate.budget import Budget, check_width


def _go_float(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[str(value)]
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    exp = len(digits) + int(exponent) - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return prefix + format(Decimal(repr(abs(value))).normalize(), "f")


def to_text(value: Any) -> str:
    """Go's ``%v``."""
    if value is None:
        return "<no value>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        return "map[" + " ".join(f"{k}:{_inner(v)}" for k, v in items) + "]"
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        return "[" + " ".join(_inner(item) for item in value) + "]"
    return str(value)


def _inner(value: Any) -> str:
    return "<nil>" if value is None else to_text(value)


def _json(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def truth(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, int | float | str | Mapping | Sequence):
        return bool(value)
    return True


_PRINTF = re.compile(r"%([-+ 0#]*)(\d*)(?:\.(\d*))?([svdqxXfte%])")
_QUOTED_PER_CHAR = 6  # the worst JSON escape: \u0000


def _count(digits: str | None, what: str) -> int | None:
    """A printf width or precision, bounded before ``int()`` (a 5000-digit width is an error)."""
    if digits is None:
        return None
    if len(digits) > 12:
        return check_width(10**12, what, shown=digits[:12] + "…")
    return check_width(int(digits or 0), what)


def _printf(budget: Budget, fmt: str, *args: Any) -> str:
    if not isinstance(fmt, str):
        raise ValueError(f"wrong type for value; expected string; got {type(fmt).__name__}")
    queue = list(args)
    budget.build(len(fmt), "printf")

    def one(match: re.Match[str]) -> str:
        flags, width_digits, precision_digits, verb = match.groups()
        budget.step("printf")
        width = _count(width_digits or None, "printf width")
        precision = _count(precision_digits, "printf precision")
        if verb == "%":
            return "%"
        if not queue:
            return f"%!{verb}(MISSING)"
        arg = queue.pop(0)
        try:
            if verb in "sv":
                text = to_text(arg)
                text = text[:precision] if precision is not None else text
            elif verb == "q":
                text = to_text(arg)
                budget.build(len(text) * _QUOTED_PER_CHAR + 2, "printf %q")
                text = json.dumps(text, ensure_ascii=False)
            elif verb == "d":
                text = str(int(arg))
            elif verb in "xX":
                text = format(int(arg), verb)
            elif verb in "fe":
                text = format(float(arg), f".{6 if precision is None else precision}{verb}")
            else:
                text = to_text(truth(arg))
        except (TypeError, ValueError, OverflowError):
            return f"%!{verb}({to_text(arg)})"
        budget.build(max(len(text), width or 0), "printf")
        if not width:
            return text
        align = "<" if "-" in flags else ">"
        fill = "0" if "0" in flags and align == ">" and verb not in "sqv" else " "
        return format(text, f"{fill}{align}{width}")

    return _PRINTF.sub(one, fmt)


def _joined(budget: Budget, what: str, parts: list[str], sep: str) -> str:
    budget.build(sum(map(len, parts)) + len(sep) * max(len(parts) - 1, 0), what)
    return sep.join(parts)


def _join(budget: Budget, items: Any, sep: str) -> str:
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise ValueError(f"wrong type for value; expected []string; got {type(items).__name__}")
    if not isinstance(sep, str):
        raise ValueError("wrong type for separator; expected string")
    return _joined(budget, "join", [to_text(item) for item in items], sep)


def _split(budget: Budget, text: Any, sep: Any) -> list[str]:
    """Go's ``strings.Split``: an empty separator splits after each character."""
    if not isinstance(text, str) or not isinstance(sep, str):
        raise ValueError("wrong type for value; expected string")
    pieces = text.count(sep) + 1 if sep else len(text)
    budget.build(len(text) + 64 * pieces, "split")  # a list item costs far more than a char
    return text.split(sep) if sep else list(text)


def _pad(budget: Budget, text: Any, before: Any, after: Any) -> str:
    """Docker's ``pad``: spaces before and after, nothing around an empty string."""
    left, right = check_width(before, "pad"), check_width(after, "pad")
    shown: str = to_text(text)
    if not shown:
        return shown
    budget.build(left + len(shown) + right, "pad")
    return " " * left + shown + " " * right


def _truncate(budget: Budget, text: Any, length: Any) -> str:
    """Docker's ``truncate``: at most ``length`` characters; a longer length keeps the text."""
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise ValueError(f"bad length {length!r}")
    return to_text(text)[:length]


def _cased(change: Callable[[str], str], what: str) -> Callable[[Budget, Any], str]:
    def cased(budget: Budget, text: Any) -> str:
        text = to_text(text)
        budget.build(len(text) * 3, what)  # Unicode case mapping grows a char to 3 at most
        return change(text)

    return cased


def _title(budget: Budget, text: Any) -> str:
    text = to_text(text)
    budget.build(len(text) * 3, "title")

    def upper(match: re.Match[str]) -> str:
        budget.step("title")
        return match.group().upper()

    return re.sub(r"\b\w", upper, text)


def _json_text(budget: Budget, value: Any) -> str:
    if isinstance(value, str):
        budget.build(len(value) * _QUOTED_PER_CHAR + 2, "json")
        return _json(value)
    text = _json(value)
    budget.build(len(text), "json")
    return text


def _print(budget: Budget, *args: Any) -> str:
    return _joined(budget, "print", [to_text(arg) for arg in args], "")


def _println(budget: Budget, *args: Any) -> str:
    return _joined(budget, "println", [to_text(arg) for arg in args], " ") + "\n"


def _index(_: Budget, container: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(container, Mapping):
            container = container.get(key)
        elif isinstance(container, Sequence) and not isinstance(container, str):
            if not isinstance(key, int) or not -len(container) <= key < len(container):
                raise ValueError(f"index out of range: {key}")
            container = container[key]
        else:
            raise ValueError(f"can't index item of type {type(container).__name__}")
    return container


def _compare(op: Callable[[Any, Any], bool]) -> Callable[[Budget, Any, Any], bool]:
    def compare(_: Budget, a: Any, b: Any) -> bool:
        if type(a) is not type(b) and not (
            isinstance(a, int | float) and isinstance(b, int | float)
        ):
            raise ValueError("incompatible types for comparison")
        return op(a, b)

    return compare


def _first(pick: Callable[[Any], bool]) -> Callable[..., Any]:
    def first(_: Budget, *args: Any) -> Any:
        return next((arg for arg in args if pick(arg)), args[-1])

    return first


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "json": _json_text,
    "join": _join,
    "split": _split,
    "upper": _cased(str.upper, "upper"),
    "lower": _cased(str.lower, "lower"),
    "title": _title,
    "pad": _pad,
    "truncate": _truncate,
    "println": _println,
    "print": _print,
    "printf": _printf,
    "index": _index,
    "len": lambda _, value: len(value),
    "eq": lambda _, a, *others: any(a == other for other in others),
    "ne": lambda _, a, b: a != b,
    "lt": _compare(lambda a, b: a < b),
    "le": _compare(lambda a, b: a <= b),
    "gt": _compare(lambda a, b: a > b),
    "ge": _compare(lambda a, b: a >= b),
    "not": lambda _, value: not truth(value),
    "and": _first(lambda arg: not truth(arg)),
    "or": _first(truth),
}
