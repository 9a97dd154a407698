"""Where a build's files come from, seen from the sandbox: a protocol, so the sandbox does not
import the workspace area (which sits beside it, not below it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class FileSource(Protocol):
    async def snapshot(self, user_id: int) -> Mapping[str, bytes]: ...
