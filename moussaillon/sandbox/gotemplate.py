"""A small Go ``text/template`` interpreter for ``--format`` / ``-f``, never ``eval``.

Students copy format strings from the docker docs (``{{.Names}}\\t{{.Status}}``,
``{{json .NetworkSettings}}``, ``{{range $k, $v := .Config.Labels}}…{{end}}``), so this covers
fields, variables, pipelines, ``if/else if/else``, ``range``, ``with``, docker's helper functions
(json, join, split, upper, lower, title, pad, truncate, println) and Go's (index, len, print,
printf, eq, ne, lt, le, gt, ge, and, or, not). Output is capped so a nested range cannot flood.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from moussaillon.sandbox.errors import CommandSyntaxError

MAX_OUTPUT = 1_000_000


class TemplateError(CommandSyntaxError):
    """A ``--format`` that does not parse or execute; the detail reads like Go's own error."""

    def __init__(self, detail: str, *, parsing: bool) -> None:
        key = "sandbox.template.parse" if parsing else "sandbox.template.exec"
        super().__init__(key, detail=detail)
        self.detail = detail


def is_table(template: str) -> tuple[bool, str]:
    """Docker's ``table`` prefix: a header row is the executor's job, the rest is the template."""
    if template.startswith("table"):
        return True, template[len("table") :].strip(" ")
    return False, template


# --- lexing -----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s+
    | (?P<str>"(?:[^"\\\n]|\\.)*")
    | (?P<raw>`[^`]*`)
    | (?P<num>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    | (?P<field>(?:\.[A-Za-z_]\w*)+)
    | (?P<var>\$\w*(?:\.[A-Za-z_]\w*)*)
    | (?P<dot>\.)
    | (?P<declare>:=)
    | (?P<pipe>\|)
    | (?P<lparen>\()
    | (?P<rparen>\)(?:\.[A-Za-z_]\w*)*)
    | (?P<comma>,)
    | (?P<ident>[A-Za-z_]\w*)
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "0": "\0"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


@dataclass
class _Tokens:
    items: list[tuple[str, str]]
    where: str
    pos: int = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.items[self.pos]
        self.pos += 1
        return item


def _lex(action: str, where: str) -> _Tokens:
    items: list[tuple[str, str]] = []
    pos = 0
    while pos < len(action):
        match = _TOKEN.match(action, pos)
        if match is None or match.end() == pos:
            raise TemplateError(f"template: {where}: unexpected {action[pos]!r}", parsing=True)
        pos = match.end()
        if match.lastgroup:
            items.append((match.lastgroup, match.group()))
    return _Tokens(items, where)


# --- the tree ---------------------------------------------------------------------------------


@dataclass
class _Operand:
    kind: str  # field, var, dot, literal, ident, pipeline
    value: Any
    chain: tuple[str, ...] = ()


@dataclass
class _Pipeline:
    commands: list[list[_Operand]]
    declare: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class _Block:
    kind: str  # text, output, if, range, with
    text: str = ""
    pipeline: _Pipeline | None = None
    body: list[_Block] = field(default_factory=list)
    orelse: list[_Block] = field(default_factory=list)


def _parse_operand(tokens: _Tokens) -> _Operand:
    kind, text = tokens.take()
    if kind == "field":
        return _Operand("field", None, tuple(text[1:].split(".")))
    if kind == "var":
        name, *chain = text.split(".")
        return _Operand("var", name, tuple(chain))
    if kind == "dot":
        return _Operand("dot", None)
    if kind == "str":
        return _Operand("literal", _unquote(text))
    if kind == "raw":
        return _Operand("literal", text[1:-1])
    if kind == "num":
        return _Operand("literal", float(text) if any(c in text for c in ".eE") else int(text))
    if kind == "ident":
        constants = {"true": True, "false": False, "nil": None}
        if text in constants:
            return _Operand("literal", constants[text])
        if text not in FUNCTIONS:
            raise TemplateError(
                f'template: {tokens.where}: function "{text}" not defined', parsing=True
            )
        return _Operand("ident", text)
    if kind == "lparen":
        inner = _parse_pipeline(tokens, closing=True)
        _, close = tokens.take()
        return _Operand("pipeline", inner, tuple(close[1:].split(".")[1:]))
    raise TemplateError(f"template: {tokens.where}: unexpected {text!r} in operand", parsing=True)


def _parse_pipeline(tokens: _Tokens, *, closing: bool = False) -> _Pipeline:
    pipeline = _Pipeline(commands=[[]], where=tokens.where)
    items = tokens.items
    declare_at = next((i for i in range(tokens.pos, len(items)) if items[i][0] == "declare"), None)
    if declare_at is not None and not closing:
        names = [text for kind, text in items[tokens.pos : declare_at] if kind == "var"]
        if not names or len(names) > 2:
            raise TemplateError(f"template: {tokens.where}: bad variable declaration", parsing=True)
        pipeline.declare = names
        tokens.pos = declare_at + 1
    while (token := tokens.peek()) is not None:
        if token[0] == "rparen":
            if closing:
                break
            raise TemplateError(f'template: {tokens.where}: unexpected ")"', parsing=True)
        if token[0] == "pipe":
            tokens.take()
            pipeline.commands.append([])
            continue
        pipeline.commands[-1].append(_parse_operand(tokens))
    if closing and tokens.peek() is None:
        raise TemplateError(f"template: {tokens.where}: unclosed left paren", parsing=True)
    if any(not command for command in pipeline.commands):
        raise TemplateError(f"template: {tokens.where}: missing value for command", parsing=True)
    return pipeline


def _split(template: str) -> list[tuple[str, str, str]]:
    """(kind, text, where) pieces: kind is "text" or "action"; trim markers applied."""
    pieces: list[tuple[str, str, str]] = []
    pos = 0
    while (start := template.find("{{", pos)) >= 0:
        pieces.append(("text", template[pos:start], ""))
        end = template.find("}}", start + 2)
        line = template.count("\n", 0, start) + 1
        where = f":{line}:{start - template.rfind(chr(10), 0, start) + 1}"
        if end < 0:
            raise TemplateError(f"template: :{line}: unclosed action", parsing=True)
        inner = template[start + 2 : end]
        if inner.startswith("- ") or inner == "-":
            pieces[-1] = ("text", pieces[-1][1].rstrip(), "")
            inner = inner[1:]
        trim_after = inner.endswith(" -")
        if trim_after:
            inner = inner[:-1]
        pieces.append(("action", inner.strip(), where))
        pos = end + 2
        if trim_after:
            rest = template[pos:]
            pos += len(rest) - len(rest.lstrip())
    pieces.append(("text", template[pos:], ""))
    return [piece for piece in pieces if piece[0] == "action" or piece[1]]


def parse(template: str) -> list[_Block]:
    pieces = _split(template)
    stack: list[tuple[_Block, list[_Block]]] = []
    root: list[_Block] = []
    current = root
    for kind, text, where in pieces:
        if kind == "text":
            current.append(_Block("text", text=text.replace("\\t", "\t").replace("\\n", "\n")))
            continue
        if text.startswith("/*") and text.endswith("*/"):
            continue
        tokens = _lex(text, where)
        head = tokens.peek()
        word = head[1] if head and head[0] == "ident" else ""
        if word in ("if", "range", "with"):
            tokens.take()
            block = _Block(word, pipeline=_parse_pipeline(tokens))
            current.append(block)
            stack.append((block, current))
            current = block.body
        elif word == "else":
            if not stack or stack[-1][0].orelse or current is stack[-1][0].orelse:
                raise TemplateError(f"template: {where}: unexpected {{{{else}}}}", parsing=True)
            tokens.take()
            block = stack[-1][0]
            current = block.orelse
            nxt = tokens.peek()
            if nxt is not None and nxt == ("ident", "if") and block.kind == "if":
                tokens.take()
                nested = _Block("if", pipeline=_parse_pipeline(tokens))
                current.append(nested)
                current = nested.body
                stack.append((nested, block.orelse))
                nested.text = "chained"
        elif word == "end":
            if not stack:
                raise TemplateError(f"template: {where}: unexpected {{{{end}}}}", parsing=True)
            block, current = stack.pop()
            while block.text == "chained" and stack:
                block, current = stack.pop()
        elif word in ("define", "template", "block", "break", "continue"):
            raise TemplateError(f"template: {where}: {word} is not supported here", parsing=True)
        else:
            current.append(_Block("output", pipeline=_parse_pipeline(tokens)))
    if stack:
        raise TemplateError("template: :1: unexpected EOF", parsing=True)
    return root


# --- values -----------------------------------------------------------------------------------


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


# --- execution --------------------------------------------------------------------------------


@dataclass
class _State:
    scopes: list[dict[str, Any]]
    out: list[str] = field(default_factory=list)
    size: int = 0

    def write(self, text: str) -> None:
        self.size += len(text)
        if self.size > MAX_OUTPUT:
            raise TemplateError("template: output too long", parsing=False)
        self.out.append(text)

    def lookup(self, name: str, where: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        raise TemplateError(f"template: {where}: undefined variable: {name}", parsing=False)


def _field(value: Any, chain: tuple[str, ...], where: str, shown: str) -> Any:
    for name in chain:
        if isinstance(value, Mapping) and name in value:
            value = value[name]
        elif isinstance(value, BaseModel) and name in type(value).model_fields:
            value = getattr(value, name)
        elif value is None:
            raise TemplateError(
                f'template: {where}: executing "" at <{shown}>: nil pointer evaluating .{name}',
                parsing=False,
            )
        else:
            raise TemplateError(
                f'template: {where}: executing "" at <{shown}>: can\'t evaluate field {name}',
                parsing=False,
            )
    return value


def _operand(operand: _Operand, dot: Any, state: _State, where: str) -> Any:
    if operand.kind == "literal":
        return operand.value
    if operand.kind == "dot":
        return dot
    if operand.kind == "field":
        return _field(dot, operand.chain, where, "." + ".".join(operand.chain))
    if operand.kind == "var":
        base = state.lookup(operand.value, where)
        return _field(base, operand.chain, where, operand.value)
    if operand.kind == "pipeline":
        return _field(_pipeline(operand.value, dot, state), operand.chain, where, "(…)")
    return _call(operand.value, [], dot, state, where)


def _call(name: str, args: list[Any], dot: Any, state: _State, where: str) -> Any:
    function = FUNCTIONS.get(name)
    if function is None:
        raise TemplateError(f'template: {where}: function "{name}" not defined', parsing=True)
    try:
        return function(*args)
    except TemplateError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise TemplateError(
            f'template: {where}: executing "" at <{name}>: error calling {name}: {exc}',
            parsing=False,
        ) from None


def _pipeline(pipeline: _Pipeline, dot: Any, state: _State) -> Any:
    value: Any = None
    for position, command in enumerate(pipeline.commands):
        head, *rest = command
        args = [_operand(op, dot, state, pipeline.where) for op in rest]
        if position > 0:
            args.append(value)
        if head.kind == "ident":
            value = _call(head.value, args, dot, state, pipeline.where)
        elif args:
            raise TemplateError(
                f"template: {pipeline.where}: can't give argument to non-function", parsing=False
            )
        else:
            value = _operand(head, dot, state, pipeline.where)
    return value


def _execute(blocks: list[_Block], dot: Any, state: _State) -> None:
    for block in blocks:
        if block.kind == "text":
            state.write(block.text)
            continue
        assert block.pipeline is not None
        value = _pipeline(block.pipeline, dot, state)
        if block.kind == "output":
            if block.pipeline.declare:
                state.scopes[-1][block.pipeline.declare[0]] = value
            else:
                state.write(to_text(value))
        elif block.kind == "if":
            _execute(block.body if truth(value) else block.orelse, dot, state)
        elif block.kind == "with" and truth(value):
            _execute(block.body, value, state)
        elif block.kind == "with":
            _execute(block.orelse, dot, state)
        else:
            _range(block, value, dot, state)


def _range(block: _Block, value: Any, dot: Any, state: _State) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = list(enumerate(value))
    elif value is None:
        items = []
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [(i, i) for i in range(min(value, MAX_OUTPUT))]
    else:
        raise TemplateError(f"template: range can't iterate over {to_text(value)}", parsing=False)
    if not items:
        _execute(block.orelse, dot, state)
        return
    names = block.pipeline.declare if block.pipeline else []
    for key, item in items:
        scope: dict[str, Any] = {}
        if len(names) == 1:
            scope[names[0]] = item
        elif len(names) == 2:
            scope[names[0]], scope[names[1]] = key, item
        state.scopes.append(scope)
        try:
            _execute(block.body, item, state)
        finally:
            state.scopes.pop()


def render(template: str, data: Any) -> str:
    """Render a Go template against ``data`` (dicts, lists, scalars, pydantic models)."""
    blocks = parse(template)
    state = _State(scopes=[{"$": data}])
    _execute(blocks, data, state)
    return "".join(state.out)
