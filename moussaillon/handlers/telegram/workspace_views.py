"""The workspace's messages: the file tree with sizes, a file shown, what an upload stored."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as _escape

from moussaillon.core.i18n import number, t, t_count
from moussaillon.workspace import Limits, WorkspaceFile


def escape(text: str) -> str:
    return _escape(text, quote=False)


INLINE_FILE = 3500  # characters of a file shown in a message; beyond, it comes as a document
NAME_COLUMN = 32


def size(n: int, lang: str) -> str:
    """``120 o``, ``1,2 Kio`` (``120 B``, ``1.2 KiB``): binary units, as the limits are set."""
    if n < 1024:
        return t("workspace.size_bytes", lang, n=number(n, lang))
    digits = 0 if n % 1024 == 0 or n >= 100 * 1024 else 1
    return t("workspace.size_kib", lang, n=number(n / 1024, lang, digits))


def tree(files: Sequence[WorkspaceFile], lang: str) -> list[str]:
    """One line per folder (once) and per file, indented by depth, sizes in a column."""
    lines: list[tuple[str, str]] = []
    shown: set[str] = set()
    for file in files:  # sorted by path: a folder's files are together
        parts = file.path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in shown:
                shown.add(folder)
                lines.append(("  " * (depth - 1) + parts[depth - 1] + "/", ""))
        lines.append(("  " * (len(parts) - 1) + parts[-1], size(file.size, lang)))
    width = min(NAME_COLUMN, max(len(name) for name, _ in lines))
    return [f"{name:<{width}}  {weight}".rstrip() for name, weight in lines]


def listing(files: Sequence[WorkspaceFile], limits: Limits, lang: str) -> str:
    if not files:
        return t("workspace.tg.list_empty", lang)
    title = t(
        "workspace.tg.list_title",
        lang,
        count=len(files),
        max_files=limits.max_files,
        total=size(sum(f.size for f in files), lang),
        max_total=size(limits.max_total, lang),
    )
    body = escape("\n".join(tree(files, lang)))
    return f"{title}\n<pre>{body}</pre>\n{t('workspace.tg.list_hint', lang)}"


def saved(files: Sequence[WorkspaceFile], archive: str | None, lang: str) -> str:
    total = size(sum(f.size for f in files), lang)
    if archive is None and len(files) == 1:
        [file] = files
        return t("workspace.tg.saved", lang, path=escape(file.path), size=total)
    head = t_count(
        "workspace.tg.unpacked",
        len(files),
        lang,
        name=escape(archive or ""),
        count=len(files),
        size=total,
    )
    return f"{head}\n<pre>{escape(chr(10).join(tree(files, lang)))}</pre>"


def shown(path: str, text: str, lang: str) -> str | None:
    """The file in a code block, or None when it is too long for a message."""
    if not text.strip():
        return t("workspace.tg.empty_file", lang, path=escape(path))
    if len(text) > INLINE_FILE:
        return None
    return f"<b>{escape(path)}</b>\n<pre>{escape(text)}</pre>"
