"""The build context: a folder of the student's workspace, ``.dockerignore`` applied, packed as
the tar the Engine API's ``/build`` takes.

The tar is deterministic (sorted names, mtime 0, owner 0, fixed modes) because the classic
builder's cache keys ``COPY``/``ADD`` on the files' content and metadata: the same files give
the same tar, so a rebuild hits the cache.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping

from moussaillon.sandbox.build.dockerignore import DockerIgnore, go_clean
from moussaillon.sandbox.build.errors import ContextError

__all__ = [
    "DOCKERIGNORE",
    "OUTSIDE_DOCKERFILE",
    "context_tar",
    "locate_dockerfile",
    "normalize_dir",
    "select_context",
]

DOCKERIGNORE = ".dockerignore"
# Where a Dockerfile from outside the context goes in the tar (the docker CLI does the same
# with a random name; a fixed one keeps the tar, and so the cache, stable).
OUTSIDE_DOCKERFILE = ".dockerfile.moussaillon"


def normalize_dir(path: str) -> str:
    """A context or ``-f`` path as the student typed it (``.``, ``./app/``) → ``app``; ``.``
    for the workspace root. Absolute paths and ``..`` are refused: the workspace is all there
    is."""
    cleaned = go_clean(path.strip() or ".")
    if cleaned.startswith("/") or cleaned == ".." or cleaned.startswith("../"):
        raise ContextError("sandbox.build.context.invalid", path=path[:100])
    return cleaned


def _under(workspace: Mapping[str, bytes], folder: str) -> dict[str, bytes]:
    if folder == ".":
        return dict(workspace)
    prefix = folder + "/"
    return {
        path[len(prefix) :]: data for path, data in workspace.items() if path.startswith(prefix)
    }


def select_context(workspace: Mapping[str, bytes], context_dir: str = ".") -> dict[str, bytes]:
    """The files under ``context_dir``, relative to it, that ``.dockerignore`` leaves in, as the
    build finally sees them. ``.dockerignore`` stays in for the engine, which drops it when it
    names itself; an ignored Dockerfile is left out (Docker sends it, then the engine drops it):
    the one the engine reads travels apart (``context_tar``)."""
    folder = normalize_dir(context_dir)
    files = _under(workspace, folder)
    if not files:
        key = "not_dir" if folder in workspace else "empty" if folder == "." else "missing"
        raise ContextError(f"sandbox.build.context.{key}", path=context_dir[:100])
    ignore_file = files.get(DOCKERIGNORE)
    if ignore_file is None:
        return files
    ignore = DockerIgnore.parse(ignore_file.decode("utf-8", "replace"))
    ignore = ignore.with_kept(DOCKERIGNORE)
    return {path: data for path, data in files.items() if not ignore.excludes(path)}


def locate_dockerfile(
    workspace: Mapping[str, bytes], context_dir: str = ".", file: str | None = None
) -> tuple[str, bytes]:
    """The Dockerfile to build and its name inside the context's tar.

    ``file`` (``-f``) is relative to the workspace root, like a path typed in a shell at the
    root; without it the Dockerfile is ``<context>/Dockerfile``. A Dockerfile outside the
    context is allowed, as Docker allows it with ``-f``. The rendered file always travels under
    a reserved name (the student's stays where it is, for ``COPY``): see ``context_tar``.
    """
    folder = normalize_dir(context_dir)
    path = normalize_dir(file) if file is not None else go_clean(f"{folder}/Dockerfile")
    data = workspace.get(path)
    if data is None:
        raise ContextError("sandbox.build.context.dockerfile_missing", path=path[:100])
    return OUTSIDE_DOCKERFILE, data


def _info(name: str, *, size: int = 0, directory: bool = False) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if directory:
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
    else:
        info.size = size
        info.mode = 0o644
    return info


def context_tar(files: Mapping[str, bytes], *, dockerfile_name: str, dockerfile_text: str) -> bytes:
    """The context as a tar, with ``dockerfile_text`` (the rendered Dockerfile) under
    ``dockerfile_name``. Same files, same bytes.

    Under ``OUTSIDE_DOCKERFILE`` the rendered file also goes in the tar's ``.dockerignore``: the
    engine reads the Dockerfile, then drops from the context what ``.dockerignore`` names, so a
    ``COPY . .`` copies the student's own Dockerfile, never the one naming the engine's refs."""
    entries = dict(files)
    entries[dockerfile_name] = dockerfile_text.encode("utf-8")
    if dockerfile_name == OUTSIDE_DOCKERFILE:
        own = entries.get(DOCKERIGNORE)
        # Without one of the student's, ours names itself too, so it leaves with the Dockerfile.
        head = own.decode("utf-8", "replace").rstrip("\n") + "\n" if own else DOCKERIGNORE + "\n"
        entries[DOCKERIGNORE] = (head + OUTSIDE_DOCKERFILE + "\n").encode("utf-8")
    folders = sorted(
        {
            "/".join(path.split("/")[:depth])
            for path in entries
            for depth in range(1, path.count("/") + 1)
        }
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for folder in folders:
            tar.addfile(_info(folder + "/", directory=True))
        for path in sorted(entries):
            data = entries[path]
            tar.addfile(_info(path, size=len(data)), io.BytesIO(data))
    return buffer.getvalue()
