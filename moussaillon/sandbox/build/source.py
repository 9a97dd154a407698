"""Where the sandbox reads and writes the student's files, without importing that area.

The workspace area implements it (``WorkspaceService``); the composition root hands it to
``SandboxService(files=...)``. Builds read a ``snapshot``; ``docker cp`` also writes (``seed``
with ``replace``, which checks every bound of the workspace as it would be) and reads the
``limits`` first, so an oversized copy is refused before the engine sends a byte. Without a
source, ``docker build`` and ``docker cp`` say they are unavailable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class FileLimits(Protocol):
    """The workspace's bounds, in bytes (``moussaillon.workspace.limits.Limits``)."""

    @property
    def max_files(self) -> int: ...

    @property
    def max_total(self) -> int: ...

    @property
    def max_file(self) -> int: ...

    @property
    def max_depth(self) -> int: ...

    @property
    def max_archive(self) -> int: ...

    @property
    def max_entries(self) -> int: ...


class FileSource(Protocol):
    @property
    def limits(self) -> FileLimits: ...

    async def snapshot(self, user_id: int) -> Mapping[str, bytes]: ...

    async def seed(
        self, user_id: int, files: Mapping[str, bytes], *, replace: bool = False
    ) -> list[str]:
        """Write ``files`` all or none (``replace``: over the student's own); the paths
        written. A bound crossed raises the area's error, carrying the student's message."""
        ...
