"""A small Go ``text/template`` interpreter for ``--format`` / ``-f``, never ``eval``.

Students copy format strings from the docker docs (``{{.Names}}\\t{{.Status}}``,
``{{json .NetworkSettings}}``, ``{{range $k, $v := .Config.Labels}}…{{end}}``), so this covers
fields, variables, pipelines, ``if/else if/else``, ``range``, ``with``, docker's helper functions
(json, join, split, upper, lower, title, pad, truncate, println) and Go's (index, len, print,
printf, eq, ne, lt, le, gt, ge, and, or, not).

A template is an untrusted program: ``budget.py`` bounds what one render may cost (length,
nesting, steps, wall time, output, built text, widths), each checked before the work.
"""

from moussaillon.sandbox.gotemplate.budget import (
    MAX_BUILT_CHARS,
    MAX_DEPTH,
    MAX_OUTPUT,
    MAX_SECONDS,
    MAX_STEPS,
    MAX_TEMPLATE_CHARS,
    MAX_WIDTH,
    Budget,
)
from moussaillon.sandbox.gotemplate.errors import TemplateError
from moussaillon.sandbox.gotemplate.execute import execute, render
from moussaillon.sandbox.gotemplate.functions import FUNCTIONS, to_text, truth
from moussaillon.sandbox.gotemplate.syntax import parse

__all__ = [
    "FUNCTIONS",
    "MAX_BUILT_CHARS",
    "MAX_DEPTH",
    "MAX_OUTPUT",
    "MAX_SECONDS",
    "MAX_STEPS",
    "MAX_TEMPLATE_CHARS",
    "MAX_WIDTH",
    "Budget",
    "TemplateError",
    "execute",
    "is_table",
    "parse",
    "render",
    "to_text",
    "truth",
]


def is_table(template: str) -> tuple[bool, str]:
    """Docker's ``table`` prefix: a header row is the executor's job, the rest is the template."""
    if template.startswith("table"):
        return True, template[len("table") :].strip(" ")
    return False, template
