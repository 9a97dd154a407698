"""A stream that fails once more than a bound came out of it: an archive as it inflates.

A gzip bomb is stopped at its first chunk past the bound, never inflated whole. Both places
that read a student's archive (the workspace's uploads, a terminal build's context) read
through it, each with its own error.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Protocol

CHUNK = 16 * 1024


class Source(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Bounded(io.RawIOBase):
    def __init__(
        self,
        inner: Source,
        limit: int,
        too_much: Callable[[], Exception],
        seen: Callable[[int], None] | None,
    ) -> None:
        self.inner = inner
        self.limit = limit
        self.too_much = too_much
        self.seen = seen
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.inner.read(min(len(buffer), CHUNK))
        self.count += len(chunk)
        if self.count > self.limit:
            raise self.too_much()
        if self.seen is not None:
            self.seen(self.count)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def bounded(
    inner: Source,
    limit: int,
    too_much: Callable[[], Exception],
    seen: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """``inner`` read in chunks; ``too_much()`` is raised past ``limit`` bytes, ``seen`` gets
    the running count after each chunk."""
    return io.BufferedReader(_Bounded(inner, limit, too_much, seen), CHUNK)
