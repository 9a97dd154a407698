"""Stand-in for df's .dockerignore matcher (fnmatch, ``!`` exceptions); df's replaces it."""

from __future__ import annotations

import fnmatch


class DockerIgnore:
    def __init__(self, patterns: list[tuple[str, bool]]) -> None:
        self.patterns = patterns

    @classmethod
    def parse(cls, text: str) -> DockerIgnore:
        patterns = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            patterns.append((line.lstrip("!").strip("/"), negate))
        return cls(patterns)

    def excludes(self, path: str) -> bool:
        excluded = False
        for pattern, negate in self.patterns:
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern + "/*"):
                excluded = not negate
        return excluded
