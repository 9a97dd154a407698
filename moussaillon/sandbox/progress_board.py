"""One progress line per image on the operator's terminal while ``sandbox prepare`` works.

Builds run side by side, so a terminal gets a block of bars redrawn in place; a log file or a
CI console (not a terminal) gets one plain line each time an image's state changes.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24
REDRAW_S = 0.2


class ProgressBoard:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.tty = self.out.isatty()
        self.rows: dict[str, tuple[float | None, str]] = {}
        self.started: dict[str, float] = {}
        self.drawn = 0
        self.last_draw = 0.0

    def __call__(self, ref: str, fraction: float | None, status: str) -> None:
        previous = self.rows.get(ref, (None, ""))
        fraction = fraction if fraction is not None else previous[0]
        self.started.setdefault(ref, time.monotonic())
        self.rows[ref] = (fraction, status)
        if not self.tty:
            if status != previous[1] and not status.startswith(("Unpacking", "Setting up", "Get:")):
                self.out.write(self._line(ref) + "\n")
                self.out.flush()
            return
        finished = fraction is not None and fraction >= 1.0
        if finished or time.monotonic() - self.last_draw >= REDRAW_S:
            self._draw()

    def message(self, text: str) -> None:
        """A line of its own above the bars (the busybox stand-ins' messages)."""
        if self.tty and self.drawn:
            self.out.write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = 0
        self.out.write(text + "\n")
        self.out.flush()
        if self.tty and self.rows:
            self._draw()

    def _line(self, ref: str) -> str:
        fraction, status = self.rows[ref]
        elapsed = time.monotonic() - self.started[ref]
        if fraction is None:
            bar = "[" + "." * WIDTH + "]"
        else:
            full = round(min(max(fraction, 0.0), 1.0) * WIDTH)
            bar = "[" + "#" * full + "-" * (WIDTH - full) + "]"
        return f"{ref:<40.40} {bar} {elapsed:5.0f}s {status}"

    def _draw(self) -> None:
        width = 160
        if self.drawn:
            self.out.write(f"\x1b[{self.drawn}F")
        for ref in self.rows:
            self.out.write("\x1b[2K" + self._line(ref)[:width] + "\n")
        self.drawn = len(self.rows)
        self.last_draw = time.monotonic()
        self.out.flush()
