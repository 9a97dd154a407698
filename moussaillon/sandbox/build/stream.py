"""The engine's build messages turned into the classic CLI's output, as the student's names.

The classic builder speaks in JSON lines: ``{"stream": "Step 1/5 : FROM alpine"}``,
``" ---> Running in 1a2b…"``, ``" ---> 0123…"``, ``{"aux": {"ID": …}}``, ``{"error": …}``.
``BuildLog`` prints them as ``docker build`` does, and on the way keeps what the sandbox
needs: the image ids the build made or reused (to remove them later), the step container
running now (watched for disk, removed if the build is cut short), the final id and the error.

The engine sees engine references (``alpine:latest``, ``m-u42/base:1``) and the sandbox's own
``LABEL moussaillon.…`` steps; the student sees neither: the refs go back to what they typed,
the hidden steps are left out and the step numbers count only theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$", re.S)
_RUNNING = re.compile(r"^ ---> Running in ([0-9a-f]{12})\s*$")
_IMAGE = re.compile(r"^ ---> ([0-9a-f]{12})\s*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
HIDDEN_LABEL = "LABEL moussaillon."


@dataclass
class BuildLog:
    hidden_steps: int = 0  # the sandbox's own LABEL steps, the last ones
    refs: Mapping[str, str] = field(default_factory=dict)  # engine ref -> as the student typed
    quiet: bool = False
    scrub: Callable[[str], str] = str  # engine names and paths out (``hide_internal``)
    text: list[str] = field(default_factory=list)  # what the student sees
    images: list[str] = field(default_factory=list)  # short ids of images made or reused
    containers: list[str] = field(default_factory=list)  # every step container started
    running: str | None = None
    final: str | None = None
    error: str | None = None
    error_code: int | None = None
    size: int = 0  # bytes received from the engine (the output cap)
    _hiding: bool = False
    _seen_hidden: int = 0
    _after_from: bool = False

    def feed(self, message: Mapping[str, Any]) -> str:
        """One engine message; returns the text to show now (possibly empty)."""
        if "errorDetail" in message or "error" in message:
            detail = message.get("errorDetail") or {}
            self.error = str(detail.get("message") or message.get("error") or "")
            self.error_code = detail.get("code")
            self.running = None
            return self._show(self._student(self.error) + "\n", always=True)
        aux = message.get("aux")
        if isinstance(aux, Mapping) and isinstance(aux.get("ID"), str):
            self.final = aux["ID"]
            return ""
        chunk = message.get("stream")
        if not isinstance(chunk, str):
            return ""
        self.size += len(chunk)
        return self._stream(_ANSI.sub("", chunk))

    def _stream(self, chunk: str) -> str:
        step = _STEP.match(chunk)
        if step:
            number, total, instruction = int(step.group(1)), int(step.group(2)), step.group(3)
            self._after_from = instruction.upper().startswith("FROM ")
            if instruction.startswith(HIDDEN_LABEL) and number > total - self.hidden_steps:
                self._hiding = True
                self._seen_hidden += 1
                return ""
            self._hiding = False
            shown = total - self.hidden_steps
            head = f"Step {number - self._seen_hidden}/{shown} : "
            return self._show(head + self._student(instruction))
        if chunk.startswith("Successfully"):
            self._hiding = False
        running = _RUNNING.match(chunk)
        if running:
            self.running = running.group(1)
            self.containers.append(self.running)
        image = _IMAGE.match(chunk)
        if image:
            self.running = None
            if not self._after_from:
                self.images.append(image.group(1))
            self._after_from = False
        if chunk.startswith("Removing intermediate container"):
            self.running = None
        if self._hiding:
            return ""
        return self._show(self._student(chunk))

    def _student(self, text: str) -> str:
        for engine_ref, typed in self.refs.items():
            if engine_ref != typed:
                text = re.sub(rf"(?<![\w./:-]){re.escape(engine_ref)}(?![\w.:/-])", typed, text)
        return text

    def _show(self, text: str, *, always: bool = False) -> str:
        text = self.scrub(text)
        self.text.append(text)
        return "" if self.quiet and not always else text

    @property
    def output(self) -> str:
        return "".join(self.text)
