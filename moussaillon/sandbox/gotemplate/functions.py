"""Go's ``%v`` printing and the functions templates may call: docker's helpers and Go's."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel


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


_PRINTF = re.compile(r"%([-+ 0#]*)(\d*)(?:\.(\d+))?([svdqxXfte%])")


def _printf(fmt: str, *args: Any) -> str:
    queue = list(args)

    def one(match: re.Match[str]) -> str:
        flags, width, precision, verb = match.groups()
        if verb == "%":
            return "%"
        if not queue:
            return f"%!{verb}(MISSING)"
        arg = queue.pop(0)
        try:
            if verb in "sv":
                text = to_text(arg)
                text = text[: int(precision)] if precision else text
            elif verb == "q":
                text = json.dumps(to_text(arg), ensure_ascii=False)
            elif verb == "d":
                text = str(int(arg))
            elif verb in "xX":
                text = format(int(arg), verb)
            elif verb in "fe":
                text = format(float(arg), f".{precision or 6}{verb}")
            else:
                text = to_text(truth(arg))
        except (TypeError, ValueError):
            return f"%!{verb}({to_text(arg)})"
        align = "<" if "-" in flags else ">"
        fill = "0" if "0" in flags and align == ">" and verb not in "sqv" else " "
        return format(text, f"{fill}{align}{width}") if width else text

    return _PRINTF.sub(one, fmt)


def _index(container: Any, *keys: Any) -> Any:
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


def _compare(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if type(a) is not type(b) and not (
            isinstance(a, int | float) and isinstance(b, int | float)
        ):
            raise ValueError("incompatible types for comparison")
        return op(a, b)

    return compare


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "json": _json,
    "join": lambda items, sep: sep.join(to_text(item) for item in items),
    "split": lambda text, sep: text.split(sep),
    "upper": lambda text: to_text(text).upper(),
    "lower": lambda text: to_text(text).lower(),
    "title": lambda text: re.sub(r"\b\w", lambda m: m.group().upper(), to_text(text)),
    "pad": lambda text, before, after: " " * before + to_text(text) + " " * after,
    "truncate": lambda text, length: to_text(text)[:length],
    "println": lambda *args: " ".join(to_text(arg) for arg in args) + "\n",
    "print": lambda *args: "".join(to_text(arg) for arg in args),
    "printf": _printf,
    "index": _index,
    "len": len,
    "eq": lambda a, *others: any(a == other for other in others),
    "ne": lambda a, b: a != b,
    "lt": _compare(lambda a, b: a < b),
    "le": _compare(lambda a, b: a <= b),
    "gt": _compare(lambda a, b: a > b),
    "ge": _compare(lambda a, b: a >= b),
    "not": lambda value: not truth(value),
    "and": lambda *args: next((arg for arg in args if not truth(arg)), args[-1]),
    "or": lambda *args: next((arg for arg in args if truth(arg)), args[-1]),
}
