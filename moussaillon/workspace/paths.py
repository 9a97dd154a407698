"""What a path in the workspace may be: POSIX, relative, short, with names a shell and a build
context take without surprise. One function decides, for every way a file comes in (a message,
a document, an archive member, a REST call), so an archive cannot smuggle what a message cannot.
"""

from __future__ import annotations

from moussaillon.workspace.errors import WorkspaceError
from moussaillon.workspace.limits import NAME_MAX, PATH_MAX


def normalise(path: str, max_depth: int) -> str:
    """``./app//index.php`` → ``app/index.php``; every other doubt is refused with its reason
    (``..`` is never resolved: in an archive it is the attack, in a message a mistake)."""
    visible = shown(path)
    if not path or not path.strip():
        raise WorkspaceError("workspace.path_empty")
    if "\\" in path:
        raise WorkspaceError("workspace.path_backslash", path=visible)
    if path.startswith("/"):
        raise WorkspaceError("workspace.path_absolute", path=visible)
    if len(path) > PATH_MAX:
        raise WorkspaceError("workspace.path_long", path=visible, limit=PATH_MAX)
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts:
        raise WorkspaceError("workspace.path_empty")
    for part in parts:
        check_name(part, path)
    if len(parts) > max_depth:
        raise WorkspaceError("workspace.path_deep", path=visible, depth=max_depth)
    return "/".join(parts)


def normalise_folder(folder: str, max_depth: int) -> str:
    """A folder to put files into (``app/``, ``.`` or empty for the top)."""
    if not folder.strip("/. "):
        return ""
    return normalise(folder.rstrip("/"), max_depth)


def check_name(name: str, path: str) -> None:
    visible = shown(path)
    if name == "..":
        raise WorkspaceError("workspace.path_parent", path=visible)
    if not name.isprintable():
        raise WorkspaceError("workspace.name_unprintable", path=visible)
    if name.startswith("-"):
        raise WorkspaceError("workspace.name_dash", path=visible)
    if name != name.strip():
        raise WorkspaceError("workspace.name_spaces", path=visible)
    if len(name) > NAME_MAX:
        raise WorkspaceError("workspace.name_long", path=visible, limit=NAME_MAX)


def parents(path: str) -> list[str]:
    """``a/b/c`` → ``["a", "a/b"]``: the folders a file sits in."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def shown(path: str) -> str:
    """The path as an error may repeat it: control characters made visible, cut short."""
    visible = "".join(c if c.isprintable() else "?" for c in path)
    return visible if len(visible) <= 80 else visible[:77] + "…"


def check_tree(paths: set[str]) -> None:
    """No path is both a file and a folder (``app`` beside ``app/index.php``): a build context,
    like a disk, cannot hold both."""
    for path in sorted(paths):
        for folder in parents(path):
            if folder in paths:
                raise WorkspaceError("workspace.path_conflict", path=shown(path), folder=folder)
