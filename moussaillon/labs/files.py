"""What the labs need of the student's workspace: putting a lab's files into it.

The labs never import the workspace area: ``app.py`` hands ``LabService`` the workspace service,
which fits this protocol (``WorkspaceService.seed``: without ``replace`` only the paths the
student does not have yet are written, with it these paths are overwritten; the paths written
come back). The workspace checks every limit before it writes anything, so a seed that does not
fit changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from moussaillon.core.errors import MoussaillonError


class WorkspaceSeeder(Protocol):
    async def seed(
        self, user_id: int, files: Mapping[str, bytes], *, replace: bool = False
    ) -> list[str]: ...


class NoWorkspace(MoussaillonError):
    """This deployment has no workspace: the lab's files cannot be handed out."""

    status = 503


def as_bytes(files: Mapping[str, str]) -> dict[str, bytes]:
    return {path: text.encode("utf-8") for path, text in files.items()}
