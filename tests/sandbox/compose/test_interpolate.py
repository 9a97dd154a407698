"""Variable substitution and ``.env`` as Compose documents them ("Interpolation" and "Use an
environment file" pages of the Compose docs), on their own and through a compose file."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.compose import load_project
from moussaillon.sandbox.compose.interpolate import (
    InterpolationError,
    interpolate,
    parse_dotenv,
)
from tests.sandbox.compose.support import load, refusal, service, workspace

ENV = {"TAG": "3.20", "EMPTY": "", "PORT": "8080"}

CASES = [
    ("$TAG", "3.20"),
    ("${TAG}", "3.20"),
    ("alpine:${TAG}", "alpine:3.20"),
    ("${MISSING:-default}", "default"),
    ("${EMPTY:-default}", "default"),
    ("${MISSING-default}", "default"),
    ("${EMPTY-default}", ""),
    ("${TAG:+replaced}", "replaced"),
    ("${EMPTY:+replaced}", ""),
    ("${EMPTY+replaced}", "replaced"),
    ("${MISSING+replaced}", ""),
    ("$$TAG", "$TAG"),
    ("$${TAG}", "${TAG}"),
    ("echo $$$$", "echo $$"),
    ("${MISSING:-${TAG}}", "3.20"),
    ("${MISSING:-${ALSO:-deep}}", "deep"),
    ("${PORT}:80", "8080:80"),
    ("${MISSING}", ""),
    ("no dollar", "no dollar"),
    ("${MISSING:-a b:c}", "a b:c"),
]


@pytest.mark.parametrize(("template", "expected"), CASES)
def test_compose_interpolation_forms(template: str, expected: str) -> None:
    assert interpolate(template, ENV) == expected


@pytest.mark.parametrize("template", ["${", "${TAG", "${}", "${1X}", "$", "cost: $5", "${TAG!}"])
def test_invalid_templates(template: str) -> None:
    with pytest.raises(InterpolationError) as caught:
        interpolate(template, ENV)
    assert caught.value.key == "sandbox.compose.interpolation.invalid"


@pytest.mark.parametrize(
    ("template", "detail"),
    [("${MISSING:?set it}", "set it"), ("${EMPTY:?empty}", "empty"), ("${MISSING?}", "")],
)
def test_required_variables(template: str, detail: str) -> None:
    with pytest.raises(InterpolationError) as caught:
        interpolate(template, ENV)
    assert caught.value.key == "sandbox.compose.interpolation.required"
    assert caught.value.params == {"name": template[2:9].rstrip(":?"), "detail": detail}


def test_a_set_but_empty_variable_satisfies_the_colonless_check() -> None:
    assert interpolate("${EMPTY?needed}", ENV) == ""


def test_dotenv_format() -> None:
    text = (
        "# comment\n"
        "\n"
        "PLAIN=value\n"
        "export EXPORTED=yes\n"
        "SPACED = around \n"
        "INLINE=value # a comment\n"
        "HASH=a#b\n"
        "SINGLE='literal $PLAIN'\n"
        'DOUBLE="line\\nnext $PLAIN"\n'
        "REF=${PLAIN}-ref\n"
        "DEFAULT=${NOPE:-fallback}\n"
        'MULTI="one\n'
        'two"\n'
        "EMPTY=\n"
    )
    assert parse_dotenv(text) == {
        "PLAIN": "value",
        "EXPORTED": "yes",
        "SPACED": "around",
        "INLINE": "value",
        "HASH": "a#b",
        "SINGLE": "literal $PLAIN",
        "DOUBLE": "line\nnext value",
        "REF": "value-ref",
        "DEFAULT": "fallback",
        "MULTI": "one\ntwo",
        "EMPTY": "",
    }


def test_the_shell_environment_wins_over_dot_env() -> None:
    files = workspace(service("environment:\n  - TAG=${TAG}\n  - ONLY=${ONLY}"))
    files[".env"] = b"TAG=from-dotenv\nONLY=dotenv-only\n"
    web = load_project(files, env={"TAG": "from-shell"}).services["web"]
    assert web.environment == {"TAG": "from-shell", "ONLY": "dotenv-only"}


def test_dot_env_values_may_use_the_shell_environment() -> None:
    files = workspace(service("environment:\n  - URL=${URL}"))
    files[".env"] = b"URL=http://${HOST:-localhost}:8080\n"
    assert load_project(files, env={"HOST": "db"}).services["web"].environment == {
        "URL": "http://db:8080"
    }


def test_an_unset_variable_warns_as_compose_does() -> None:
    project = load(
        service("image: alpine:${NOPE}").replace("    image: alpine\n", "", 1), lang="en"
    )
    assert project.services["web"].image == "alpine:"
    assert project.warnings == ['The "NOPE" variable is not set. Defaulting to a blank string.']


def test_interpolated_values_are_cast_where_the_schema_wants_a_type() -> None:
    text = service(
        "read_only_note: x\ntty: ${TTY}\nports:\n  - target: ${TARGET}\n",
    ).replace("    read_only_note: x\n", "")
    web = load(text, env={"TTY": "true", "TARGET": "80"}).services["web"]
    assert web.tty is True
    assert web.ports[0].target == 80


def test_a_required_variable_names_the_key_and_line() -> None:
    error = refusal(service("environment:\n  PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}"))
    assert error.message("en") == (
        "services.web.environment.PASSWORD: required variable DB_PASSWORD is missing a value:"
        " set DB_PASSWORD in .env (line 5)"
    )


def test_keys_are_not_interpolated() -> None:
    web = load(service("labels:\n  ${KEY}: value"), env={"KEY": "k"}).services["web"]
    assert web.labels == {"${KEY}": "value"}
