"""The workspace's bounds, read once from the settings, in bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from moussaillon.config import Settings

KIB = 1024
# Beyond the files themselves an archive holds headers and padding: a tar spends 512 bytes a
# member plus up to 511 of padding and rounds up to 10 KiB records; a zip's headers are smaller.
ARCHIVE_OVERHEAD_PER_FILE = 1024
ARCHIVE_OVERHEAD = 20 * KIB
NAME_MAX = 100  # one folder or file name, in characters
PATH_MAX = 255  # a whole path


@dataclass(frozen=True)
class Limits:
    max_files: int = 64
    max_total: int = 256 * KIB
    max_file: int = 64 * KIB
    max_depth: int = 4
    ttl: timedelta = timedelta(days=90)

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_files=settings.workspace_max_files,
            max_total=settings.workspace_max_total_kb * KIB,
            max_file=settings.workspace_max_file_kb * KIB,
            max_depth=settings.workspace_max_depth,
            ttl=timedelta(days=settings.workspace_ttl_days),
        )

    @property
    def max_archive(self) -> int:
        """The largest archive worth opening: a full workspace, with every header it needs.
        Anything bigger is refused before a byte is unpacked."""
        return self.max_total + self.max_files * ARCHIVE_OVERHEAD_PER_FILE + ARCHIVE_OVERHEAD

    @property
    def max_entries(self) -> int:
        """Members an archive may list, folders included."""
        return self.max_files * 4

    @property
    def max_inflated(self) -> int:
        """Bytes a compressed tar may inflate to: the same bound as ``max_archive``, so a gzip
        bomb stops after that many bytes, whatever it declares."""
        return self.max_archive
