"""What one ``--format`` may cost: steps, wall time, output, built text, widths and nesting.

A student's template is a program. Go's own interpreter would happily run
``{{range 1000000}}{{range 1000000}}{{end}}{{end}}`` or pad to ``%3000000000s``; the docker CLI
only hurts its own user, but here one process serves the whole class. Every bound is checked
*before* the work it guards, and each breach raises a ``TemplateError`` naming the bound, so the
student reads why their template stopped (Docker-like wording, then our explanation).
"""

from __future__ import annotations

import time

from moussaillon.sandbox.gotemplate.errors import TemplateError

MAX_TEMPLATE_CHARS = 4096
"""Docker's documented formats are under 200 characters; 4 KiB leaves room for long tables
while keeping parsing (and the tree it builds) trivially small."""

MAX_DEPTH = 24
"""Nesting of ``if/range/with/else if`` blocks and of parentheses. Real formats nest 2 or 3
deep; the bound keeps the interpreter's recursion far from Python's limit (each level costs a
few frames) and rules out a template built as one deep tower."""

MAX_STEPS = 100_000
"""Every node evaluated and every ``range`` iteration is a step. A ``docker ps`` table of five
containers costs about 160 steps, an inspect ranging over ten labels and ten env vars about 150:
100 000 is several hundred times that, and about 0.1 s of CPU here, so a bomb ends fast."""

MAX_SECONDS = 0.5
"""Wall-clock backstop for what steps do not see (slow Python on a loaded machine, threads
competing for the GIL). Rendering runs off the event loop, so this bounds the worker thread,
not the other students' latency."""

MAX_BUILT_CHARS = 4 * 1024 * 1024
"""Text that functions may build during one render (``printf``, ``print``, ``join``, ``pad``,
``json``, ``upper`` …), counted before each allocation. It bounds memory even when a template
doubles a variable again and again: 4 Mi characters stay under 20 MB whatever the characters."""

MAX_WIDTH = 4096
"""Widths and precisions of ``printf`` (``%4096s``, ``%-20s``, ``%.2f``) and ``pad`` counts.
A table column never needs more than a few dozen; past 4096 we refuse with an error instead of
clamping, because a silently different width would be a wrong answer. (Go itself gives up on
widths over 10^6 and prints ``%!(NOVERB)``; no output limit here could hold such a width.)"""

MAX_OUTPUT = 1_000_000
"""Output cap when the caller gives none (the sandbox gives its own output limit)."""

_CHECKPOINT_EVERY = 64  # steps between two checkpoints: well under a millisecond apart


class Budget:
    """One render's allowance; shared by every item a command renders (``docker ps`` rows).

    Plain counters, touched only by the thread that renders; ``cancel`` may come from the event
    loop (a cancelled command) and only sets a flag the renderer reads at its next step.
    """

    def __init__(
        self,
        *,
        max_output: int = MAX_OUTPUT,
        max_steps: int = MAX_STEPS,
        max_seconds: float = MAX_SECONDS,
        max_built: int = MAX_BUILT_CHARS,
    ) -> None:
        self.max_output = max_output
        self.max_steps = max_steps
        self.max_seconds = max_seconds
        self.max_built = max_built
        self.steps = 0
        self.output = 0
        self.built = 0
        self.cancelled = False
        self._deadline: float | None = None

    def start(self) -> None:
        """The clock starts when the render does, not when the command was queued."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.max_seconds

    def cancel(self) -> None:
        self.cancelled = True

    def step(self, where: str = "") -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise TemplateError(
                f"template: {where or ':1'}: execution stopped: too many steps",
                parsing=False,
                key="sandbox.template.steps",
                steps=self.max_steps,
            )
        if self.steps % _CHECKPOINT_EVERY == 0:
            self._checkpoint(where)

    def _checkpoint(self, where: str) -> None:
        # Hand the GIL over: the event loop's thread gets it now, not after Python's 5 ms
        # switch interval (measured here: the loop's mean wake-up delay 6-9 ms → 0.4 ms).
        time.sleep(0)
        if self.cancelled:
            raise TemplateError(
                "template: execution stopped: cancelled",
                parsing=False,
                key="sandbox.template.cancelled",
            )
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise TemplateError(
                f"template: {where or ':1'}: execution stopped: timeout",
                parsing=False,
                key="sandbox.template.timeout",
                seconds=self.max_seconds,
            )

    def write(self, size: int) -> None:
        self.output += size
        if self.output > self.max_output:
            raise TemplateError(
                "template: execution stopped: output too long",
                parsing=False,
                key="sandbox.template.output",
                limit=self.max_output,
            )

    def build(self, size: int, what: str) -> None:
        """Charge ``size`` characters a function is about to build, before it builds them."""
        self.built += size
        if self.built > self.max_built:
            raise TemplateError(
                f"template: execution stopped: {what} builds too much text",
                parsing=False,
                key="sandbox.template.memory",
                limit=self.max_built,
            )


def check_width(value: object, what: str, *, shown: str = "") -> int:
    """A width, precision or repeat count: an int in 0..MAX_WIDTH, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TemplateError(f"template: {what}: expected an integer, got {value!r}", parsing=False)
    if not 0 <= value <= MAX_WIDTH:
        raise TemplateError(
            f"template: {what}: {shown or value} is out of range",
            parsing=False,
            key="sandbox.template.width",
            value=shown or value,
            limit=MAX_WIDTH,
        )
    return value
