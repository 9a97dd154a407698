"""The file is judged by the official Compose Specification schema (vendored): its errors name
the key path and the line, in Compose's words."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest

from moussaillon.sandbox.compose import schema
from tests.sandbox.compose.support import refusal, service

SCHEMA_ERRORS = [
    (service("imagee: typo"), "sandbox.compose.schema.unknown_key", "services.web", 4, "imagee"),
    ("services: {}\nservice: {}\n", "sandbox.compose.schema.unknown_key", None, 2, "service"),
    (service("ports: 80"), "sandbox.compose.schema.type", "services.web.ports", 4, "a list"),
    (
        service("command: [sleep, 10]"),
        "sandbox.compose.schema.type",
        "services.web.command[1]",
        4,
        "string",
    ),
    (
        "services:\n  web:\n    image: [x]\n",
        "sandbox.compose.schema.type",
        "services.web.image",
        3,
        "string",
    ),
    (
        service("environment: 3"),
        "sandbox.compose.schema.type",
        "services.web.environment",
        4,
        "a mapping or a list",
    ),
    (
        service("depends_on:\n  db:\n    condition: sometimes"),
        "sandbox.compose.schema.other",
        "services.web.depends_on.db.condition",
        6,
        "sometimes",
    ),
    (
        service("healthcheck:\n  test: [CMD, x]\n  intervall: 5s"),
        "sandbox.compose.schema.unknown_key",
        "services.web.healthcheck",
        6,
        "intervall",
    ),
    (
        "services:\n  'bad name!':\n    image: x\n",
        "sandbox.compose.schema.unknown_key",
        "services",
        2,
        "bad name!",
    ),
    ("services: 3\n", "sandbox.compose.schema.type", "services", 1, "a mapping"),
]


@pytest.mark.parametrize(("text", "key", "path", "line", "mention"), SCHEMA_ERRORS)
def test_schema_errors_name_the_key_and_the_line(
    text: str, key: str, path: str | None, line: int, mention: str
) -> None:
    error = refusal(text)
    assert (error.key, error.path, error.line) == (key, path, line)
    assert mention in error.message("en")
    assert error.message("en").endswith(f"(line {line})")


def test_an_unknown_key_reads_as_compose_says_it() -> None:
    error = refusal(service("imagee: typo"))
    assert (
        error.message("en") == "services.web: additional properties 'imagee' not allowed (line 4)"
    )


def test_the_vendored_schema_is_the_one_its_note_names() -> None:
    folder = resources.files("moussaillon.sandbox.compose")
    data = folder.joinpath(schema.SCHEMA_FILE).read_bytes()
    note = folder.joinpath("SCHEMA_SOURCE.md").read_text("utf-8")
    assert hashlib.sha256(data).hexdigest() in note
    assert json.loads(data)["title"] == "Compose Specification"
    assert folder.joinpath("LICENSE.compose-spec").read_text("utf-8").strip().startswith("Apache")
