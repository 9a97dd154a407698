"""Stand-in for df's Dockerfile checker: reads FROM lines only (df's real parser replaces it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from moussaillon.sandbox.errors import CommandSyntaxError, SandboxRefused

_FROM = re.compile(r"^(\s*FROM\s+)(?:--platform=\S+\s+)?(\S+)(\s+AS\s+(\S+))?\s*$", re.I)
_COPY_FROM = re.compile(r"(--from=)(\S+)", re.I)


class DockerfileError(SandboxRefused):
    pass


class DockerfileSyntaxError(CommandSyntaxError):
    pass


@dataclass(frozen=True)
class Stage:
    index: int
    name: str | None
    base: str


@dataclass(frozen=True)
class DockerfilePlan:
    stages: tuple[Stage, ...]
    instructions: int
    user: str | None
    healthcheck: bool
    exposed: tuple[str, ...]
    target: str | None
    text: str = ""

    def _internal(self, ref: str, before: int) -> bool:
        if ref.lower() == "scratch":
            return True
        return any(s.name == ref.lower() or str(s.index) == ref for s in self.stages[:before])

    def bases(self) -> list[str]:
        found: list[str] = []
        for stage in self.stages:
            if not self._internal(stage.base, stage.index) and stage.base not in found:
                found.append(stage.base)
        return found

    def render(self, engine_ref: Callable[[str], str]) -> str:
        out: list[str] = []
        index = 0
        for line in self.text.splitlines():
            match = _FROM.match(line)
            if match:
                ref = match.group(2)
                if not self._internal(ref, index):
                    line = match.group(1) + engine_ref(ref) + (match.group(3) or "")
                index += 1
            elif re.match(r"^\s*COPY\s", line, re.I):
                line = _COPY_FROM.sub(
                    lambda m: (
                        m.group(1)
                        + (
                            m.group(2)
                            if self._internal(m.group(2), index)  # noqa: B023
                            else engine_ref(m.group(2))
                        )
                    ),
                    line,
                )
            out.append(line)
        return "\n".join(out) + "\n"


def check_dockerfile(
    text: bytes | str,
    *,
    build_args: Mapping[str, str] | None = None,
    target: str | None = None,
    max_instructions: int = 100,
    max_stages: int = 5,
) -> DockerfilePlan:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    stages: list[Stage] = []
    instructions = 0
    user: str | None = None
    healthcheck = False
    exposed: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        instructions += 1
        match = _FROM.match(line)
        if match:
            name = match.group(4).lower() if match.group(4) else None
            stages.append(Stage(len(stages), name, match.group(2)))
            user, healthcheck, exposed = None, False, []
            continue
        word, _, rest = stripped.partition(" ")
        if word.upper() == "USER":
            user = rest.strip()
        elif word.upper() == "HEALTHCHECK":
            healthcheck = rest.strip().upper() != "NONE"
        elif word.upper() == "EXPOSE":
            exposed += rest.split()
    if not stages:
        raise DockerfileSyntaxError("sandbox.build.standin.no_from")
    if instructions > max_instructions or len(stages) > max_stages:
        raise DockerfileError("sandbox.build.standin.too_big")
    return DockerfilePlan(
        tuple(stages), instructions, user, healthcheck, tuple(exposed), target, text
    )
