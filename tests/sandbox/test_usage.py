"""Docker's own answer to a line its parser rejects (``parser/usage.py``), without an engine.

The comparison with the real CLI lives in ``test_cli_shapes.py``; these pin the rules down
where no docker binary is needed."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.parser.usage import docker_text, explanation, usage_line


def rejected(line: str) -> CommandSyntaxError:
    with pytest.raises(CommandSyntaxError) as caught:
        parse(line)
    return caught.value


@pytest.mark.parametrize(
    ("line", "code", "first"),
    [
        ("docker foo", 1, "docker: unknown command: docker foo"),
        ("docker run", 1, "docker: 'docker run' requires at least 1 argument"),
        ("docker logs a b", 1, "docker: 'docker logs' requires 1 argument"),
        ("docker ps web", 1, "docker: 'docker ps' accepts no arguments"),
        ("docker run --nope alpine", 125, "unknown flag: --nope"),
        ("docker run -dx alpine", 125, "unknown shorthand flag: 'x' in -x"),
        ("docker run -e", 125, "flag needs an argument: 'e' in -e"),
        ("docker ps -n x", 125, 'invalid argument "x" for "-n, --last" flag: strconv.ParseInt:'),
        ("docker run -p 70000:80 alpine", 125, "docker: invalid hostPort: 70000"),
        ("docker help nope", 1, "unknown help topic: nope"),
    ],
)
def test_docker_text_and_exit_code(line: str, code: int, first: str) -> None:
    text, exit_code = docker_text(rejected(line)) or ("", 0)
    assert exit_code == code
    assert text.startswith(first), text


def test_usage_line_names_the_canonical_command_of_an_alias() -> None:
    assert usage_line("container.ls", "docker container list") == "docker container ls [OPTIONS]"
    assert usage_line("container.ls", "docker ps") == "docker ps [OPTIONS]"
    text, _ = docker_text(rejected("docker container list -z")) or ("", 0)
    assert "\nUsage:  docker container ls [OPTIONS]\n" in text
    assert text.endswith("Run 'docker container list --help' for more information")


def test_lines_no_shell_would_pass_have_no_docker_text() -> None:
    for line in ("docker run 'alpine", "docker ps | wc -l", "ps -a", ""):
        assert docker_text(rejected(line)) is None, line


def test_the_explanation_is_french_by_default_and_english_only_when_it_adds() -> None:
    exc = rejected("docker run")
    assert explanation(exc, "fr") == '"docker run" attend au moins 1 argument.'
    assert explanation(exc, "en") is None
    port = rejected("docker run -p abc alpine")
    assert "8080:80" in (explanation(port, "en") or "")
