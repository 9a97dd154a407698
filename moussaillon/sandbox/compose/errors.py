"""Errors of the compose file model: the file, its YAML, its interpolation, its keys.

They sit in the sandbox's family as refusals, so the service answers them like any other. The
message names where the problem is as Compose does (``services.web.ports[0]``) and the line of
the file, since a student edits the file, not a data structure.
"""

from __future__ import annotations

from moussaillon.core.i18n import t
from moussaillon.sandbox.errors import SandboxRefused


class ComposeError(SandboxRefused):
    """The compose file cannot be used: it does not parse, breaks the Compose Specification,
    or asks for what the sandbox does not run. ``path`` is the key path, ``line`` 1-based."""

    def __init__(
        self, key: str, /, *, path: str | None = None, line: int | None = None, **params: object
    ) -> None:
        self.path = path
        self.line = line
        super().__init__(key, **params)
        where = f"{path}: " if path else ""
        at = f" (line {line})" if line is not None else ""
        self.args = (f"{where}{key} {params}{at}",)

    def message(self, lang: str | None = None) -> str:
        text = t(self.key, lang, **self.params)
        if self.path:
            text = f"{self.path}: {text}"
        if self.line is not None:
            text += t("sandbox.compose.at_line", lang, line=self.line)
        return text


__all__ = ["ComposeError"]
