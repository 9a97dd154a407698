"""Reading a student's compose YAML with every bound checked while it is read, not after.

PyYAML's safe loader still expands a "billion laughs" (aliases of aliases) into gigabytes and
recurses on deep nesting; here the composer counts aliases and depth, and the walk that turns
nodes into data counts every node it produces, so an expansion is stopped at the bound, in
milliseconds. Scalars follow YAML 1.2 as Compose's Go parser does (``no`` and ``on`` stay
strings, ``22:22`` is not a base-60 number). The walk also keeps each key's line for errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from moussaillon.sandbox.compose.errors import ComposeError

Path = tuple[str | int, ...]

MAX_ALIASES = 200
MAX_DEPTH = 32
MAX_NODES = 50_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Resolver(BaseResolver):
    """YAML 1.2 core schema implicit types, plus merge keys (Compose accepts ``<<``)."""


_Resolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(_MERGE, re.compile(r"^(?:<<)$"), ["<"])


class _Loader(Reader, Scanner, Parser, Composer, _Resolver):
    """Counts aliases and depth while composing, and the top-level ``services:`` entries as
    they are met, so a file of 500 services stops at the bound-th + 1."""

    def __init__(self, text: str, max_services: int | None) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)
        self.aliases = 0
        self.depth = 0
        self.max_services = max_services
        self.services = 0
        self.services_line = 0
        self.keys: list[object] = []  # what PyYAML passes: a key node, a list index, None

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
                raise ComposeError(
                    "sandbox.compose.yaml.aliases",
                    line=event.start_mark.line + 1,
                    limit=MAX_ALIASES,
                )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
            raise ComposeError(
                "sandbox.compose.yaml.depth", line=event.start_mark.line + 1, limit=MAX_DEPTH
            )
        self._count_service(index)
        self.keys.append(index)
        try:
            return super().compose_node(parent, index)
        finally:
            self.keys.pop()
            self.depth -= 1

    def fetch_flow_collection_start(self, TokenClass: type) -> None:
        # The scanner looks ahead over every open ``[``/``{`` for a possible key: without this
        # bound, deep flow nesting costs it half a second before the composer sees any depth.
        if self.flow_level >= MAX_DEPTH:
            raise ComposeError("sandbox.compose.yaml.depth", line=self.line + 1, limit=MAX_DEPTH)
        super().fetch_flow_collection_start(TokenClass)

    def _count_service(self, index: object) -> None:
        # Depth 1 is the root mapping, 2 its values, 3 the keys and values inside them.
        if self.max_services is None or self.depth != 3 or index is not None:
            return
        top = self.keys[1]
        if not (isinstance(top, ScalarNode) and top.value == "services"):
            return
        if self.services == 0:
            self.services_line = top.start_mark.line + 1
        self.services += 1
        if self.services > self.max_services:
            raise ComposeError(
                "sandbox.compose.too_many_services",
                path="services",
                line=self.services_line,
                limit=self.max_services,
            )


@dataclass
class Document:
    """The file's data and the line (1-based) of each key path, for error messages."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None


def compose_root(text: str, *, max_services: int | None = None) -> Node | None:
    """The root node, with aliases, depth and services bounded; a YAML error names its line."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text, max_services)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ComposeError(
            "sandbox.compose.yaml.syntax",
            line=mark.line + 1 if mark is not None else None,
            detail=str(error.problem or error.context or "invalid YAML")[:200],
        ) from None
    except yaml.YAMLError as error:
        raise ComposeError("sandbox.compose.yaml.syntax", detail=str(error)[:200]) from None
    except RecursionError:
        raise ComposeError("sandbox.compose.yaml.depth", limit=MAX_DEPTH) from None
    finally:
        if loader is not None:
            loader.dispose()


def to_data(root: Node | None) -> Document:
    """Turn nodes into plain data, counting every node produced (aliases expand here)."""
    document = Document(data=None)
    budget = [MAX_NODES]
    if root is not None:
        document.data = _walk(root, (), document, budget)
    return document


def _spend(node: Node, budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise ComposeError(
            "sandbox.compose.yaml.expansion", line=node.start_mark.line + 1, limit=MAX_NODES
        )


def _walk(node: Node, path: Path, document: Document, budget: list[int]) -> Any:
    _spend(node, budget)
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            raise _tag(node)
        items = []
        for index, item in enumerate(node.value):
            document.lines.setdefault((*path, index), item.start_mark.line + 1)
            items.append(_walk(item, (*path, index), document, budget))
        return items
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            raise _tag(node)
        return _mapping(node, path, document, budget)
    raise _tag(node)


def _mapping(node: MappingNode, path: Path, document: Document, budget: list[int]) -> Any:
    result: dict[str, Any] = {}
    merged: list[MappingNode] = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            _spend(key_node, budget)
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise ComposeError(
                        "sandbox.compose.yaml.merge", line=source.start_mark.line + 1
                    )
                merged.append(source)
            continue
        _spend(key_node, budget)
        if not isinstance(key_node, ScalarNode):
            raise ComposeError("sandbox.compose.yaml.key", line=key_node.start_mark.line + 1)
        key = _key(key_node)
        if key in result:
            raise ComposeError(
                "sandbox.compose.yaml.duplicate",
                path=_dotted((*path, key)),
                line=key_node.start_mark.line + 1,
                key=key,
            )
        document.lines.setdefault((*path, key), key_node.start_mark.line + 1)
        result[key] = _walk(value_node, (*path, key), document, budget)
    for source in merged:
        extra = _mapping(source, path, document, budget)
        for key, value in extra.items():
            result.setdefault(key, value)
    return result


def _key(node: ScalarNode) -> str:
    value = _scalar(node)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if node.tag == _STR:
        return value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return value.lower() == "true"
    if node.tag == _INT:
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value, 10)
    if node.tag == _FLOAT:
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float("nan") if lowered == ".nan" else float(value)
    raise _tag(node)


def _tag(node: Node) -> ComposeError:
    return ComposeError(
        "sandbox.compose.yaml.tag", line=node.start_mark.line + 1, tag=str(node.tag)[:60]
    )


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted

__all__ = ["Document", "Path", "compose_root", "dotted", "to_data"]
