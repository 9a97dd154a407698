"""Turn section Markdown into HTML for the REST API and into Telegram's small HTML dialect.

Telegram accepts only a handful of tags and rejects the whole message on anything else, so the
Telegram renderer walks the Markdown tree itself and emits nothing it has not escaped. Its
output is a sequence of blocks separated by blank lines, which ``split_telegram`` relies on to
cut long sections between blocks.
"""

from __future__ import annotations

import html
import re
import textwrap
from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

TELEGRAM_LIMIT = 4096
RULE = "──────────"
TABLE_CELL_WIDTH = 30
SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)
LANGUAGE = re.compile(r"^[\w+#.-]{1,30}$")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def to_html(markdown: str) -> str:
    """Standard HTML; raw HTML in the deck is shown as text, never passed through."""
    return _markdown().render(markdown)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _plain(node: SyntaxTreeNode) -> str:
    """Visible text of an inline subtree, without any markup."""
    if node.type in ("text", "code_inline", "html_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if node.type == "image":
        return _image_label(node)
    return "".join(_plain(child) for child in node.children)


def _image_label(node: SyntaxTreeNode) -> str:
    alt = "".join(_plain(child) for child in node.children).strip()
    if not alt:
        src = str(node.attrs.get("src", ""))
        alt = src.rstrip("/").rsplit("/", 1)[-1] or "image"
    return f"🖼 {alt}"


def _inline(node: SyntaxTreeNode, flat: bool = False) -> str:
    """Inline Markdown as Telegram HTML.

    ``flat`` is for places where Telegram forbids code and links (inside a link or a
    blockquote: only bold, italic, underline and strike may nest); they become plain text.
    """
    kind = node.type
    if kind in ("text", "html_inline"):
        return _esc(node.content)
    if kind == "code_inline":
        return _esc(node.content) if flat else f"<code>{_esc(node.content)}</code>"
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "image":
        return _esc(_image_label(node))
    if kind == "link":
        href = str(node.attrs.get("href", ""))
        inner = "".join(_inline(child, True) for child in node.children)
        if not SAFE_LINK.match(href):
            return inner
        if flat:
            return f"{inner} ({_esc(href)})" if inner and inner != _esc(href) else _esc(href)
        return f'<a href="{html.escape(href, quote=True)}">{inner or _esc(href)}</a>'
    inner = "".join(_inline(child, flat) for child in node.children)
    tag = {"strong": "b", "em": "i", "s": "s"}.get(kind)
    if tag is None or not inner:
        return inner
    return f"<{tag}>{inner}</{tag}>"


def _inlines(node: SyntaxTreeNode, flat: bool) -> str:
    return "".join(_inline(child, flat) for child in node.children)


def _code(node: SyntaxTreeNode, quoted: bool) -> str:
    code = _esc(node.content.rstrip("\n"))
    if quoted:
        return code
    words = (node.info or "").split(maxsplit=1) if node.type == "fence" else []
    language = words[0] if words else ""
    if language and LANGUAGE.match(language):
        return f'<pre><code class="language-{html.escape(language.lower())}">{code}</code></pre>'
    return f"<pre>{code}</pre>"


def _list(node: SyntaxTreeNode, depth: int, quoted: bool) -> str:
    lines: list[str] = []
    number = int(node.attrs.get("start", 1) or 1)
    indent = "    " * depth
    for item in node.children:
        marker = f"{number}." if node.type == "ordered_list" else "•"
        number += 1
        parts: list[str] = []
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                parts.append(_list(child, depth + 1, quoted))
            else:
                parts.extend(_blocks(child, depth + 1, quoted))
        first, *rest = parts or [""]
        lines.append(f"{indent}{marker} {first}")
        lines.extend(part if part.startswith(" ") else f"{indent}    {part}" for part in rest)
    return "\n".join(lines)


def _table(node: SyntaxTreeNode, quoted: bool) -> str:
    rows: list[list[list[str]]] = []
    aligns: list[str] = []
    for section in node.children:
        for row_node in section.children:
            cells = []
            for index, cell in enumerate(row_node.children):
                style = str(cell.attrs.get("style", ""))
                if len(aligns) <= index:
                    aligns.append(style.removeprefix("text-align:") or "left")
                text = " ".join(_plain(child) for child in cell.children).strip()
                cells.append(textwrap.wrap(text, TABLE_CELL_WIDTH) or [""])
            rows.append(cells)
    columns = max((len(row) for row in rows), default=0)
    widths = [
        max((len(line) for row in rows if i < len(row) for line in row[i]), default=0)
        for i in range(columns)
    ]
    out: list[str] = []
    for number, row in enumerate(rows):
        height = max((len(cell) for cell in row), default=1)
        for line in range(height):
            texts = []
            for i in range(columns):
                text = row[i][line] if i < len(row) and line < len(row[i]) else ""
                align = aligns[i] if i < len(aligns) else "left"
                fill = {"right": str.rjust, "center": str.center}.get(align, str.ljust)
                texts.append(fill(text, widths[i]))
            out.append(" | ".join(texts).rstrip())
        if number == 0:
            out.append("-+-".join("-" * width for width in widths))
    text = _esc("\n".join(out))
    return text if quoted else f"<pre>{text}</pre>"


def _blocks(node: SyntaxTreeNode, depth: int = 0, quoted: bool = False) -> list[str]:
    kind = node.type
    if kind == "root":
        return [block for child in node.children for block in _blocks(child, depth, quoted)]
    if kind in ("paragraph", "inline"):
        return [_inlines(node, quoted)]
    if kind == "heading":
        text = re.sub(r"</?b>", "", _inlines(node, quoted))
        return [f"<b>{text}</b>"] if text else []
    if kind in ("fence", "code_block"):
        return [_code(node, quoted)]
    if kind == "hr":
        return [RULE]
    if kind in ("bullet_list", "ordered_list"):
        return [_list(node, depth, quoted)]
    if kind == "table":
        return [_table(node, quoted)]
    if kind == "blockquote":
        inner = "\n".join(b for child in node.children for b in _blocks(child, depth, True))
        return [inner] if quoted else [f"<blockquote>{inner}</blockquote>"]
    if kind == "html_block":
        return [_esc(node.content.rstrip("\n"))]
    return [b for child in node.children for b in _blocks(child, depth, quoted)]


def to_telegram_html(markdown: str, *, reflow: bool = False) -> str:
    """Telegram HTML (b, i, s, code, pre, a, blockquote only), blocks separated by blank lines.

    ``reflow`` joins the lines of each paragraph (a soft break becomes a space, as in a browser):
    for text wrapped by hand at a fixed width, like the lab sheets, whose line breaks would cut
    sentences on a phone. Slides keep their breaks, which their authors place on purpose.
    """
    tokens = _markdown().parse(markdown)
    if reflow:
        for token in tokens:
            for child in token.children or []:
                if child.type == "softbreak":
                    child.type, child.content = "text", " "
    tree = SyntaxTreeNode(tokens)
    return "\n\n".join(block for block in _blocks(tree) if block.strip())


TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
VISIBLE_CHAR = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]\w*);|.", re.DOTALL)
EMPTY_PAIR = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*></\1>")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def visible_text(markup: str) -> str:
    """What Telegram shows once it has parsed the entities: tags gone, entities decoded."""
    return html.unescape(TAG.sub("", markup))


class _Atom(NamedTuple):
    raw: str
    name: str = ""
    closing: bool = False
    visible: str = ""
    units: int = 0


def _atoms(markup: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    position = 0
    for tag in TAG.finditer(markup):
        atoms.extend(_chars(markup[position : tag.start()]))
        atoms.append(_Atom(tag.group(0), tag.group(2).lower(), tag.group(1) == "/"))
        position = tag.end()
    atoms.extend(_chars(markup[position:]))
    return atoms


def _chars(text: str) -> list[_Atom]:
    if "&" not in text:
        return [_Atom(char, "", False, char, 2 if char > "\uffff" else 1) for char in text]
    atoms = []
    for match in VISIBLE_CHAR.finditer(text):
        raw = match.group(0)
        visible = html.unescape(raw) if len(raw) > 1 else raw
        units = (2 if visible > "\uffff" else 1) if len(visible) == 1 else utf16_len(visible)
        atoms.append(_Atom(raw, "", False, visible, units))
    return atoms


def _cut(atoms: list[_Atom], start: int, limit: int) -> tuple[int, int]:
    """Where the part beginning at ``start`` must end: (end index, separator atoms to skip).

    Prefers, in order: a blank line outside any tag (block boundary), a line break (list item,
    code line), a space, and only then a hard cut.
    """
    count, depth, index = 0, 0, start
    best: dict[int, tuple[int, int]] = {}
    while index < len(atoms):
        atom = atoms[index]
        if atom.name:
            depth += -1 if atom.closing else 1
            index += 1
            continue
        if count + atom.units > limit:
            break
        if atom.visible == "\n":
            following = atoms[index + 1] if index + 1 < len(atoms) else None
            if depth == 0 and following is not None and following.visible == "\n":
                best[3] = (index, 2)
            else:
                best[2] = (index, 1)
        elif atom.visible == " ":
            best[1] = (index, 1)
        count += atom.units
        index += 1
    if index >= len(atoms):
        return len(atoms), 0
    for level in (3, 2, 1):
        if level in best and best[level][0] > start:
            return best[level]
    return max(index, start + 1), 0


def _stack_after(atoms: list[_Atom], start: int, end: int, stack: list[_Atom]) -> list[_Atom]:
    stack = list(stack)
    for atom in atoms[start:end]:
        if not atom.name:
            continue
        if atom.closing:
            for position in range(len(stack) - 1, -1, -1):
                if stack[position].name == atom.name:
                    del stack[position]
                    break
        else:
            stack.append(atom)
    return stack


def split_telegram(markup: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` visible UTF-16 units each.

    Cuts fall between blocks when possible; a block too long on its own is cut at a line break
    (or a space) and every tag open at the cut is closed, then reopened in the next message.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    if utf16_len(visible_text(markup)) <= limit:
        return [markup] if visible_text(markup).strip() else []
    atoms = _atoms(markup)
    parts: list[str] = []
    start = 0
    stack: list[_Atom] = []
    while start < len(atoms):
        end, skip = _cut(atoms, start, limit)
        after = _stack_after(atoms, start, end, stack)
        body = "".join(a.raw for a in stack) + "".join(a.raw for a in atoms[start:end])
        body += "".join(f"</{a.name}>" for a in reversed(after))
        while (cleaned := EMPTY_PAIR.sub("", body)) != body:
            body = cleaned
        if visible_text(body).strip():
            parts.append(body.strip())
        stack = _stack_after(atoms, end, end + skip, after)
        start = end + skip
    return parts


def truncate_telegram(markup: str, limit: int = TELEGRAM_LIMIT, mark: str = "…") -> str:
    """``markup`` if it fits in one message of ``limit`` visible UTF-16 units, else its longest
    start that fits with a line holding ``mark`` after it: cut at a space or a line break when
    there is one, every tag open at the cut closed. For a message that must stay one message."""
    if utf16_len(visible_text(markup)) <= limit:
        return markup
    budget = limit - utf16_len(mark) - 1
    atoms = _atoms(markup)
    count, end, last_break = 0, 0, 0
    for index, atom in enumerate(atoms):
        end = index
        if atom.name:
            continue
        if count + atom.units > budget:
            break
        if atom.visible in (" ", "\n"):
            last_break = index
        count += atom.units
    cut = last_break or end
    body = "".join(atom.raw for atom in atoms[:cut]).rstrip()
    body += "".join(f"</{atom.name}>" for atom in reversed(_stack_after(atoms, 0, cut, [])))
    while (cleaned := EMPTY_PAIR.sub("", body)) != body:
        body = cleaned
    return f"{body}\n{mark}"


def to_plain_text(markdown: str) -> str:
    """The words of a section without Markdown syntax, for the search index."""
    blocks: list[str] = []
    for token in _markdown().parse(markdown):
        if token.type in ("fence", "code_block"):
            blocks.append(token.content)
        elif token.type == "inline":
            blocks.append(
                "".join(
                    " " if child.type in ("softbreak", "hardbreak") else child.content
                    for child in token.children or []
                    if child.type
                    in ("text", "code_inline", "html_inline", "image", "softbreak", "hardbreak")
                )
            )
    return "\n".join(block.strip() for block in blocks if block.strip())


def to_code_text(markdown: str) -> str:
    """Only the code of a section (blocks and inline): the words of its commands."""
    blocks: list[str] = []
    for token in _markdown().parse(markdown):
        if token.type in ("fence", "code_block"):
            blocks.append(token.content)
        elif token.type == "inline":
            blocks.extend(
                child.content for child in token.children or [] if child.type == "code_inline"
            )
    return "\n".join(blocks)
