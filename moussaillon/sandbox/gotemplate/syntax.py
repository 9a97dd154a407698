"""Lexing and parsing Go templates into a small tree; errors read like Go's own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from moussaillon.sandbox.gotemplate.budget import MAX_DEPTH, MAX_TEMPLATE_CHARS
from moussaillon.sandbox.gotemplate.errors import TemplateError
from moussaillon.sandbox.gotemplate.functions import FUNCTIONS

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
    depth: int = 0  # open parentheses

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
class Operand:
    kind: str  # field, var, dot, literal, ident, pipeline
    value: Any
    chain: tuple[str, ...] = ()


@dataclass
class Pipeline:
    commands: list[list[Operand]]
    declare: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class Block:
    kind: str  # text, output, if, range, with
    text: str = ""
    pipeline: Pipeline | None = None
    body: list[Block] = field(default_factory=list)
    orelse: list[Block] = field(default_factory=list)


def _parse_operand(tokens: _Tokens) -> Operand:
    kind, text = tokens.take()
    if kind == "field":
        return Operand("field", None, tuple(text[1:].split(".")))
    if kind == "var":
        name, *chain = text.split(".")
        return Operand("var", name, tuple(chain))
    if kind == "dot":
        return Operand("dot", None)
    if kind == "str":
        return Operand("literal", _unquote(text))
    if kind == "raw":
        return Operand("literal", text[1:-1])
    if kind == "num":
        return Operand("literal", float(text) if any(c in text for c in ".eE") else int(text))
    if kind == "ident":
        constants = {"true": True, "false": False, "nil": None}
        if text in constants:
            return Operand("literal", constants[text])
        if text not in FUNCTIONS:
            raise TemplateError(
                f'template: {tokens.where}: function "{text}" not defined', parsing=True
            )
        return Operand("ident", text)
    if kind == "lparen":
        tokens.depth += 1
        if tokens.depth > MAX_DEPTH:
            raise _too_deep(tokens.where)
        inner = _parse_pipeline(tokens, closing=True)
        _, close = tokens.take()
        tokens.depth -= 1
        return Operand("pipeline", inner, tuple(close[1:].split(".")[1:]))
    raise TemplateError(f"template: {tokens.where}: unexpected {text!r} in operand", parsing=True)


def _parse_pipeline(tokens: _Tokens, *, closing: bool = False) -> Pipeline:
    pipeline = Pipeline(commands=[[]], where=tokens.where)
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


def _too_deep(where: str) -> TemplateError:
    return TemplateError(
        f"template: {where}: nesting too deep",
        parsing=True,
        key="sandbox.template.too_deep",
        limit=MAX_DEPTH,
    )


def parse(template: str) -> list[Block]:
    """The tree of ``template``; its length is checked before anything else is done with it."""
    if len(template) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            f"template: too long ({len(template)} characters)",
            parsing=True,
            key="sandbox.template.too_long",
            limit=MAX_TEMPLATE_CHARS,
        )
    pieces = _split(template)
    stack: list[tuple[Block, list[Block]]] = []
    root: list[Block] = []
    current = root
    for kind, text, where in pieces:
        if kind == "text":
            current.append(Block("text", text=text.replace("\\t", "\t").replace("\\n", "\n")))
            continue
        if text.startswith("/*") and text.endswith("*/"):
            continue
        tokens = _lex(text, where)
        head = tokens.peek()
        word = head[1] if head and head[0] == "ident" else ""
        if word in ("if", "range", "with"):
            tokens.take()
            block = Block(word, pipeline=_parse_pipeline(tokens))
            current.append(block)
            stack.append((block, current))
            current = block.body
            if len(stack) > MAX_DEPTH:
                raise _too_deep(where)
        elif word == "else":
            if not stack or stack[-1][0].orelse or current is stack[-1][0].orelse:
                raise TemplateError(f"template: {where}: unexpected {{{{else}}}}", parsing=True)
            tokens.take()
            block = stack[-1][0]
            current = block.orelse
            nxt = tokens.peek()
            if nxt is not None and nxt == ("ident", "if") and block.kind == "if":
                tokens.take()
                nested = Block("if", pipeline=_parse_pipeline(tokens))
                current.append(nested)
                current = nested.body
                stack.append((nested, block.orelse))
                nested.text = "chained"
                if len(stack) > MAX_DEPTH:
                    raise _too_deep(where)
        elif word == "end":
            if not stack:
                raise TemplateError(f"template: {where}: unexpected {{{{end}}}}", parsing=True)
            block, current = stack.pop()
            while block.text == "chained" and stack:
                block, current = stack.pop()
        elif word in ("define", "template", "block", "break", "continue"):
            raise TemplateError(f"template: {where}: {word} is not supported here", parsing=True)
        else:
            current.append(Block("output", pipeline=_parse_pipeline(tokens)))
    if stack:
        raise TemplateError("template: :1: unexpected EOF", parsing=True)
    return root
