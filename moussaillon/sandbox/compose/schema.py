"""The official Compose Specification schema, vendored (see ``SCHEMA_SOURCE.md``), checked
with ``jsonschema`` so a file is judged by the same rules ``docker compose`` applies.

The validator is compiled once per process. Of jsonschema's errors the most relevant one is
reported, phrased as Compose phrases it, with the key path and the line.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from moussaillon.sandbox.compose.errors import ComposeError
from moussaillon.sandbox.compose.yamlread import Document, dotted

SCHEMA_FILE = "compose-spec.json"
# How Compose names the JSON types (YAML's words, not JSON's).
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "null": "null",
}
_UNEXPECTED = re.compile(r"'([^']+)'")


@cache
def validator() -> Draft202012Validator:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return Draft202012Validator(schema)


def validate(document: Document) -> None:
    """Raise the first schema error of ``document``, with its key path and line."""
    errors = list(validator().iter_errors(document.data))
    # A key whose value is wrong also counts as "unevaluated" for its parent: the value's own
    # error says more.
    direct = [error for error in errors if error.validator != "unevaluatedProperties"]
    error = best_match(direct or errors)
    if error is None:
        return
    path = tuple(error.absolute_path)
    raise _compose_error(error, path, document)


def _expected_types(error: ValidationError) -> list[str]:
    """The types a value may have: the ``type`` rule's, or, for "one of these forms" (a list
    or a mapping, say), every form's when each says only a type."""
    if error.validator == "type":
        expected = error.validator_value
        return [str(kind) for kind in (expected if isinstance(expected, list) else [expected])]
    if error.validator in ("oneOf", "anyOf") and error.context:
        here = [branch for branch in error.context if not branch.relative_path]
        if here and all(branch.validator == "type" for branch in here):
            kinds: list[str] = []
            for branch in here:
                kinds += [kind for kind in _expected_types(branch) if kind not in kinds]
            return kinds
    return []


def _compose_error(
    error: ValidationError, path: tuple[str | int, ...], document: Document
) -> ComposeError:
    where = dotted(path) or None
    line = document.line(path)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        named = set(_UNEXPECTED.findall(error.message))
        instance = error.instance if isinstance(error.instance, dict) else {}
        key = next((str(k) for k in instance if k in named), next(iter(named), "?"))
        line = document.line((*path, key)) or line
        return ComposeError("sandbox.compose.schema.unknown_key", path=where, line=line, key=key)
    kinds = _expected_types(error)
    if kinds:
        return ComposeError(
            "sandbox.compose.schema.type",
            path=where,
            line=line,
            expected=" or ".join(_TYPE_NAMES.get(kind, kind) for kind in kinds),
        )
    return ComposeError(
        "sandbox.compose.schema.other", path=where, line=line, detail=error.message[:200]
    )


__all__ = ["validate", "validator"]
