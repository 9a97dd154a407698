"""A small Go ``text/template`` interpreter for ``--format`` / ``-f``, never ``eval``.

Students copy format strings from the docker docs (``{{.Names}}\\t{{.Status}}``,
``{{json .NetworkSettings}}``, ``{{range $k, $v := .Config.Labels}}…{{end}}``), so this covers
fields, variables, pipelines, ``if/else if/else``, ``range``, ``with``, docker's helper functions
(json, join, split, upper, lower, title, pad, truncate, println) and Go's (index, len, print,
printf, eq, ne, lt, le, gt, ge, and, or, not). Output is capped so a nested range cannot flood.
"""

from moussaillon.sandbox.gotemplate.execute import MAX_OUTPUT, render
from moussaillon.sandbox.gotemplate.functions import FUNCTIONS, to_text, truth
from moussaillon.sandbox.gotemplate.syntax import TemplateError, parse

__all__ = [
    "FUNCTIONS",
    "MAX_OUTPUT",
    "TemplateError",
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
