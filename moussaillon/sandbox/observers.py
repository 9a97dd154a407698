"""Hooks on every student command, for what watches the sandbox from outside (metrics, logs).

``SandboxService`` calls ``on_command`` of each observer it was given once per line a student
sent, whatever became of it (it ran, was refused, did not parse, was rate-limited, timed out),
after the line is journaled. Observers never see the line itself, which may hold secrets
(``-e PASSWORD=…``): only the student, the docker command typed (``command_action``) and the
result. They run on the event loop, inside the student's request: they must be quick and must
not block; one that raises is logged and the others still run.
"""

from __future__ import annotations

import re
from typing import Protocol

from moussaillon.sandbox.results import CommandResult

_VERB = re.compile(r"[a-z][a-z-]{0,14}")


class CommandObserver(Protocol):
    def on_command(self, user_id: int, action: str, result: CommandResult) -> None:
        """``action`` is ``command_action`` of the student's line (``docker run``)."""


def command_action(line: str) -> str:
    """``docker run`` from the student's line: the verb only, never arguments."""
    words = line.split(maxsplit=2)
    if words[:1] != ["docker"]:
        return "other"
    verb = words[1] if len(words) > 1 else ""
    return f"docker {verb}" if _VERB.fullmatch(verb) else "docker ?"


__all__ = ["CommandObserver", "command_action"]
