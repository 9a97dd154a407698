"""Errors of a build's pure half: the Dockerfile, the ``.dockerignore`` and the context.

They sit in the sandbox's family, so the service answers them like any other refusal: a syntax
error is the student's typo (exit 125, Docker's wording and line), a refusal is something the
sandbox will not build, with the reason and what to do instead.
"""

from __future__ import annotations

from moussaillon.sandbox.errors import CommandSyntaxError, SandboxRefused


class DockerfileSyntaxError(CommandSyntaxError):
    """The Dockerfile does not parse; the message names the line, as Docker's does."""

    def __init__(self, key: str, /, *, line: int, **params: object) -> None:
        self.line = line
        super().__init__(key, line=line, **params)


class DockerfileError(SandboxRefused):
    """The Dockerfile parses but asks for what the sandbox does not build (BuildKit syntax,
    remote sources, too many instructions …)."""


class ContextError(SandboxRefused):
    """The build context (a folder of the student's workspace) is missing or empty."""


__all__ = ["ContextError", "DockerfileError", "DockerfileSyntaxError"]
