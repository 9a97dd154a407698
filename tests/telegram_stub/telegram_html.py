"""Telegram's HTML parse mode: visible text and entities, or Telegram's parse error.

Follows the parser of Telegram's own library (tdlib ``parse_html``): the same allowed tags,
the same attribute rules and the same error sentences with UTF-8 byte offsets. One deliberate
difference, on by default (``strict``): a ``&`` that starts no entity is refused, because the
Bot API documentation requires escaping it and such text usually means unescaped user input.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

ALLOWED_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
     "tg-emoji", "span", "pre", "code", "blockquote"}
)
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + ".-")
_SPECIAL = re.compile(r"[<&]")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; ``str(err)`` is Telegram's sentence."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    argument: str | None
    offset: int


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    match = _ENTITY.match(text, pos)
    if match is None:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        value = _NAMED.get(name)
        return (value, match.end()) if value is not None else None
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


class _Parser:
    def __init__(self, text: str, *, strict: bool) -> None:
        self.text = text
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.text[:pos].encode())

    def fail(self, sentence: str) -> HtmlError:
        return HtmlError(sentence)

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.utf16 += utf16_len(chunk)

    def char(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text = self.text
        while self.pos < len(text):
            special = _SPECIAL.search(text, self.pos)
            end = special.start() if special else len(text)
            if end > self.pos:
                self.emit(text[self.pos : end])
                self.pos = end
                continue
            ch = text[self.pos]
            if ch == "&":
                decoded = _decode_entity(text, self.pos)
                if decoded is not None:
                    self.emit(decoded[0])
                    self.pos = decoded[1]
                    continue
                if self.strict:
                    raise self.fail(
                        f'Unescaped "&" at byte offset {self.byte_offset(self.pos)}: '
                        "write &amp; or a supported HTML entity"
                    )
                self.emit(ch)
                self.pos += 1
                continue
            if self.char(1) == "/":
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self) -> None:
        text, size = self.text, len(self.text)
        tag_start = self.pos
        self.pos += 1
        name_start = self.pos
        while self.pos < size and not text[self.pos].isspace() and text[self.pos] != ">":
            self.pos += 1
        if self.pos >= size:
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
        name = text[name_start : self.pos].lower()
        if name not in ALLOWED_TAGS:
            raise self.fail(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(tag_start)}'
            )
        argument: str | None = None
        while text[self.pos] != ">":
            while self.pos < size and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= size:
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(tag_start)}")
            if text[self.pos] == ">":
                break
            attr_start = self.pos
            while (self.pos < size and not text[self.pos].isspace()
                   and text[self.pos] not in "=>/\"'"):
                self.pos += 1
            attr = text[attr_start : self.pos].lower()
            if not attr:
                raise self.fail(
                    f'Empty attribute name in the tag "{name}" at byte offset '
                    f"{self.byte_offset(tag_start)}"
                )
            while self.pos < size and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= size:
                raise self.fail(
                    f'Unclosed start tag "{name}" at byte offset {self.byte_offset(tag_start)}'
                )
            if text[self.pos] != "=":
                if name == "blockquote" and attr == "expandable":
                    argument = "expandable"
                continue
            self.pos += 1
            while self.pos < size and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= size:
                raise self.fail(
                    f'Unclosed start tag "{name}" at byte offset {self.byte_offset(tag_start)}'
                )
            value = self.attribute_value()
            if name == "a" and attr == "href":
                argument = value
            elif name == "code" and attr == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif name == "span" and attr == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif name == "tg-emoji" and attr == "emoji-id":
                argument = value
            elif name == "blockquote" and attr == "expandable":
                argument = "expandable"
        self.pos += 1
        if name == "span" and argument != "spoiler":
            raise self.fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{self.byte_offset(tag_start)}"
            )
        self.stack.append(_Open(name, argument, self.utf16))

    def attribute_value(self) -> str:
        text, size = self.text, len(self.text)
        quote = text[self.pos]
        if quote not in "\"'":
            start = self.pos
            while self.pos < size and text[self.pos] in _TOKEN_CHARS:
                self.pos += 1
            if self.pos >= size or not (text[self.pos].isspace() or text[self.pos] == ">"):
                raise self.fail(
                    f"Unexpected end of name token at byte offset {self.byte_offset(self.pos)}"
                )
            return text[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < size and text[self.pos] != quote:
            if text[self.pos] == "&" and (decoded := _decode_entity(text, self.pos)):
                value.append(decoded[0])
                self.pos = decoded[1]
                continue
            value.append(text[self.pos])
            self.pos += 1
        if self.pos >= size:
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(self.pos)}")
        self.pos += 1
        return "".join(value)

    def end_tag(self) -> None:
        text, size = self.text, len(self.text)
        tag_start = self.pos
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(tag_start)}")
        self.pos += 2
        name_start = self.pos
        while self.pos < size and not text[self.pos].isspace() and text[self.pos] != ">":
            self.pos += 1
        end_name = text[name_start : self.pos].lower()
        while self.pos < size and text[self.pos].isspace():
            self.pos += 1
        if self.pos >= size or text[self.pos] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(tag_start)}")
        self.pos += 1
        opened = self.stack[-1]
        if end_name and end_name != opened.name:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(tag_start)}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        self.stack.pop()
        self.close_entity(opened)

    def close_entity(self, opened: _Open) -> None:
        length = self.utf16 - opened.offset
        if length <= 0:
            return
        entity: dict[str, Any] = {"offset": opened.offset, "length": length}
        name = opened.name
        if name in _SIMPLE or (name == "span" and opened.argument == "spoiler"):
            entity["type"] = _SIMPLE.get(name, "spoiler")
        elif name == "a":
            if not opened.argument:
                return
            entity.update(type="text_link", url=opened.argument)
        elif name == "tg-emoji":
            if not (opened.argument or "").isdigit():
                raise self.fail("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
        elif name == "blockquote":
            entity["type"] = (
                "expandable_blockquote" if opened.argument == "expandable" else "blockquote"
            )
        elif name == "code":
            entity["type"] = "code"
            if opened.argument:
                entity["language"] = opened.argument
        else:
            entity["type"] = "pre"
            last = self.entities[-1] if self.entities else None
            if last and last["type"] == "code" and last["offset"] == opened.offset:
                self.entities.pop()
                if "language" in last:
                    entity["language"] = last["language"]
        self.entities.append(entity)


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Return the visible text and its entities (UTF-16 offsets), or raise ``HtmlError``."""
    return _Parser(text, strict=strict).run()
