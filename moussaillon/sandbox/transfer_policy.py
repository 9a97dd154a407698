"""What ``docker cp`` and ``docker commit`` may do: pure checks, beside ``policy.py``.

The local side of a ``cp`` is the student's workspace, never the host: an absolute path or one
climbing out with ``..`` has nothing to name here, and ``-`` (a tar on stdin/stdout) has no
terminal to stream to. A commit's ``-c`` changes are limited to what shapes how the image
starts; ``VOLUME``, ``ONBUILD``, ``STOPSIGNAL``, ``HEALTHCHECK`` are refused with the reason.
"""

from __future__ import annotations

import posixpath

from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.requests import CommitRequest, CpRequest

COMMIT_CHANGES = ("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "WORKDIR")
RESERVED_LABEL_PREFIX = "moussaillon."
MAX_COMMIT_TEXT = 1000


def workspace_path(typed: str) -> str:
    """The workspace path a ``cp`` names (``""`` for the root), trailing ``/`` and ``/.``
    kept apart by the caller; absolute paths and ``..`` are refused."""
    if typed.startswith("/") or typed.startswith("~"):
        raise SandboxRefused("sandbox.transfer.host_path", path=typed[:100])
    cleaned = posixpath.normpath(typed or ".")
    if cleaned == ".." or cleaned.startswith("../"):
        raise SandboxRefused("sandbox.transfer.host_path", path=typed[:100])
    return "" if cleaned == "." else cleaned


def check_cp(request: CpRequest) -> None:
    if request.container is None:
        return  # docker's own error, printed by the executor
    if request.local_path == "-":
        raise SandboxRefused("sandbox.transfer.stdin")
    workspace_path(request.local_path)


def check_commit(request: CommitRequest) -> None:
    for text in (request.message or "", request.author or ""):
        if len(text) > MAX_COMMIT_TEXT:
            raise SandboxRefused("sandbox.transfer.commit_text", limit=MAX_COMMIT_TEXT)
    for change in request.changes:
        if "\n" in change or "\r" in change:
            raise SandboxRefused("sandbox.transfer.commit_lines")
        word, _, rest = change.strip().partition(" ")
        instruction = word.upper()
        if instruction not in COMMIT_CHANGES:
            raise SandboxRefused(
                "sandbox.transfer.commit_change",
                change=word[:40],
                allowed=", ".join(COMMIT_CHANGES),
            )
        if instruction == "LABEL" and RESERVED_LABEL_PREFIX in rest:
            raise SandboxRefused("sandbox.refused.reserved_label", label=rest.strip()[:100])
