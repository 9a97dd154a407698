"""Where a build reads the student's files from, without the sandbox importing that area.

The workspace area implements it (``WorkspaceService.snapshot``); the composition root hands
it to ``SandboxService(files=...)``. Without one, ``docker build`` says builds are unavailable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class FileSource(Protocol):
    async def snapshot(self, user_id: int) -> Mapping[str, bytes]: ...
