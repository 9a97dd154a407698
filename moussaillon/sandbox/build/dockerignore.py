"""``.dockerignore`` as Docker reads it, so a context here holds what it would hold on the
student's own machine.

The rules are Docker's (its ``ignorefile`` reader and ``patternmatcher``'s
``MatchesOrParentMatches``): a line starting with ``#`` is a comment, blank lines are skipped,
each pattern is trimmed and cleaned like Go's ``filepath.Clean`` (so ``/docs/`` is ``docs``),
``*``, ``?``, ``[…]`` and ``\\`` follow Go's ``filepath.Match``, ``**`` spans any number of
folders, ``!`` re-includes, the last matching line wins, and a pattern that matches a folder
excludes everything under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2

from moussaillon.sandbox.build.errors import ContextError

__all__ = ["DockerIgnore", "go_clean"]

_REGEX_SPECIAL = set(".+()|{}$")
MAX_PATTERNS = 1000
# RE2 is Go's regexp engine (patternmatcher's): the same syntax, and linear time, where
# Python's backtracking would let "*a*a*a*a*a*a*b" on a long name stall the service.
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False
_RE2_OPTIONS.max_mem = 1 << 20


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: one slash between names, no ``.``, ``..`` folded where it can be,
    no trailing slash; an empty result is ``.``."""
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append(part)
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def _bad(pattern: str) -> ContextError:
    return ContextError("sandbox.build.context.bad_pattern", pattern=pattern[:100])


def _check_syntax(pattern: str) -> None:
    """What Go's ``filepath.Match`` rejects as ``syntax error in pattern``: a trailing ``\\``, an
    unclosed or empty ``[…]``, a range missing an end."""
    i, size = 0, len(pattern)

    def char(at: int) -> int:
        if at >= size or pattern[at] in "-]":
            raise _bad(pattern)
        if pattern[at] == "\\":
            at += 1
            if at >= size:
                raise _bad(pattern)
        return at + 1

    while i < size:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= size:
                raise _bad(pattern)
            i += 2
        elif c == "[":
            i += 1
            if i < size and pattern[i] == "^":
                i += 1
            first = True
            while True:
                if i < size and pattern[i] == "]" and not first:
                    i += 1
                    break
                i = char(i)
                if i < size and pattern[i] == "-":
                    i = char(i + 1)
                first = False
        else:
            i += 1


@dataclass(frozen=True)
class _Pattern:
    text: str  # cleaned, without the "!"
    exclusion: bool
    kind: str  # "exact", "prefix", "suffix", "regex"
    regex: Any  # a compiled re2 pattern (google-re2 ships no types)

    @classmethod
    def compile(cls, text: str, exclusion: bool) -> _Pattern:
        out, kind, i, size = "^", "exact", 0, len(text)
        while i < size:
            c = text[i]
            if c == "*":
                if i + 1 < size and text[i + 1] == "*":
                    start = i
                    i += 2
                    if i < size and text[i] == "/":
                        i += 1
                    if i >= size:
                        if kind == "exact":
                            kind = "prefix"
                        else:
                            out += ".*"
                            kind = "regex"
                    else:
                        out += "(.*/)?"
                        kind = "regex"
                    if start == 0:
                        kind = "suffix"
                    continue
                out += "[^/]*"
                kind = "regex"
            elif c == "?":
                out += "[^/]"
                kind = "regex"
            elif c in _REGEX_SPECIAL:
                out += "\\" + c
            elif c == "\\":
                if i + 1 < size:
                    out += "\\" + text[i + 1]
                    i += 1
                    kind = "regex"
                else:
                    out += "\\\\"
            elif c in "[]":
                out += c
                kind = "regex"
            else:
                out += c
            i += 1
        regex = None
        if kind == "regex":
            try:
                regex = re2.compile(out + "$", _RE2_OPTIONS)
            except re2.error:
                raise _bad(text) from None
        return cls(text, exclusion, kind, regex)

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.text
        if self.kind == "prefix":
            return path.startswith(self.text[:-2])
        if self.kind == "suffix":
            suffix = self.text[2:]
            if path.endswith(suffix):
                return True
            return suffix[:1] == "/" and path == suffix[1:]
        return self.regex is not None and self.regex.search(path) is not None


@dataclass(frozen=True)
class DockerIgnore:
    patterns: tuple[_Pattern, ...] = ()

    @staticmethod
    def read_lines(text: str) -> list[str]:
        """The patterns of a ``.dockerignore``, as Docker's ``ignorefile.ReadAll`` returns them."""
        found = []
        for line in text.removeprefix("\ufeff").split("\n"):
            line = line.removesuffix("\r")
            if line.startswith("#"):
                continue
            pattern = line.strip()
            if not pattern:
                continue
            invert = pattern.startswith("!")
            if invert:
                pattern = pattern[1:].strip()
            if pattern:
                pattern = go_clean(pattern)
                if len(pattern) > 1 and pattern.startswith("/"):
                    pattern = pattern[1:]
            found.append(("!" if invert else "") + pattern)
        return found

    @classmethod
    def from_patterns(cls, patterns: list[str]) -> DockerIgnore:
        """Patterns as ``patternmatcher.New`` takes them (``!`` first, then cleaned)."""
        if len(patterns) > MAX_PATTERNS:
            raise ContextError("sandbox.build.context.too_many_patterns", limit=MAX_PATTERNS)
        compiled = []
        for raw in patterns:
            pattern = raw.strip()
            if not pattern:
                continue
            pattern = go_clean(pattern)
            exclusion = pattern.startswith("!")
            if exclusion:
                if len(pattern) == 1:
                    raise _bad(raw)
                pattern = pattern[1:]
            _check_syntax(pattern)
            compiled.append(_Pattern.compile(pattern, exclusion))
        return cls(tuple(compiled))

    @classmethod
    def parse(cls, text: str) -> DockerIgnore:
        return cls.from_patterns(cls.read_lines(text))

    def with_kept(self, *paths: str) -> DockerIgnore:
        """Docker still sends the Dockerfile and the ``.dockerignore`` when a pattern excludes
        them: it adds ``!path`` after the student's patterns."""
        kept = [p for p in paths if self.excludes(p)]
        if not kept:
            return self
        extra = DockerIgnore.from_patterns(["!" + path for path in kept])
        return DockerIgnore(self.patterns + extra.patterns)

    def matches(self, path: str) -> bool:
        """``MatchesOrParentMatches``: the last pattern matching the path or one of its
        folders decides."""
        matched = False
        parent = go_clean(path[: path.rfind("/") + 1])
        folders = parent.split("/") if parent != "." else []
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            hit = pattern.match(path)
            if not hit:
                hit = any(pattern.match("/".join(folders[: i + 1])) for i in range(len(folders)))
            if hit:
                matched = not pattern.exclusion
        return matched

    def excludes(self, path: str) -> bool:
        """Is this file (a path relative to the context) left out of the context?"""
        cleaned = go_clean(path)
        return cleaned != "." and self.matches(cleaned)
