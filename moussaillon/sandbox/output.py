"""Text that looks like the docker CLI printed it: tables, ages, sizes, daemon errors.

Students compare what they see here with the course and with a real terminal, so the formats
follow docker's own (go-units ``HumanDuration`` / ``HumanSizeWithPrecision`` / ``BytesSize`` and
the CLI's tabwriter: minimum width 10, padding 3, last column unpadded).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence


class DaemonError(Exception):
    """A mistake docker itself would report: printed as-is, with docker's exit code."""

    def __init__(self, text: str, exit_code: int = 1) -> None:
        self.text = text
        self.exit_code = exit_code
        super().__init__(text)


def human_duration(seconds: float) -> str:
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = s // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = round(seconds / 3600)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def ago(timestamp: float, now: float | None = None) -> str:
    return human_duration((now or time.time()) - timestamp) + " ago"


def _scaled(size: float, base: float, units: Sequence[str]) -> tuple[float, str]:
    i = 0
    while size >= base and i < len(units) - 1:
        size /= base
        i += 1
    return size, units[i]


def human_size(size: float, precision: int = 3) -> str:
    """Decimal units, as ``docker images`` prints them (``7.05MB``)."""
    value, unit = _scaled(float(size), 1000.0, ("B", "kB", "MB", "GB", "TB", "PB"))
    return f"{value:.{precision}g}{unit}"


def bytes_size(size: float) -> str:
    """Binary units, as ``docker stats`` prints them (``1.5MiB``)."""
    value, unit = _scaled(float(size), 1024.0, ("B", "KiB", "MiB", "GiB", "TiB", "PiB"))
    return f"{value:.4g}{unit}"


def ellipsis(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def quoted_command(command: str, width: int = 20) -> str:
    return json.dumps(ellipsis(command, width), ensure_ascii=False)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], min_width: int = 10) -> str:
    """Docker's tabwriter layout; an empty header list prints only the rows (``docker top``
    asks its tabwriter for columns of 20 at least)."""
    lines = ([list(headers)] if headers else []) + [list(row) for row in rows]
    if not lines:
        return ""
    count = max(len(line) for line in lines)
    widths = [
        max(min_width, max(len(line[i]) for line in lines if i < len(line)) + 3)
        for i in range(count)
    ]
    out = []
    for line in lines:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])] + line[-1:]
        out.append("".join(cells))
    return "\n".join(out)


def short_id(full: str) -> str:
    return full.removeprefix("sha256:")[:12]


def keep_tail(data: bytes, limit: int) -> tuple[bytes, bool]:
    """The last ``limit`` bytes (cut at a line start when possible) and whether we cut."""
    if len(data) <= limit:
        return data, False
    tail = data[-limit:]
    newline = tail.find(b"\n")
    if 0 <= newline < len(tail) - 1 and newline < 256:
        tail = tail[newline + 1 :]
    return tail, True
