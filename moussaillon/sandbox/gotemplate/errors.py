"""The one error a template raises: its detail reads like Go's, its key says what went wrong."""

from __future__ import annotations

from moussaillon.sandbox.errors import CommandSyntaxError


class TemplateError(CommandSyntaxError):
    """A ``--format`` that does not parse, fails, or goes over one of its budgets.

    ``detail`` is Go's (or Docker-like) wording; a budget's own ``key`` adds the sandbox's
    explanation and the bound, in the student's language.
    """

    def __init__(
        self, detail: str, *, parsing: bool, key: str | None = None, **params: object
    ) -> None:
        key = key or ("sandbox.template.parse" if parsing else "sandbox.template.exec")
        super().__init__(key, detail=detail, **params)
        self.detail = detail
