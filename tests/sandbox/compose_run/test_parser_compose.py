"""``docker compose`` lines: Compose v2's grammar, its refusals named, help, v1's spelling."""

from __future__ import annotations

import pytest

from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.sandbox.errors import CommandSyntaxError, SandboxRefused
from moussaillon.sandbox.help import help_text
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.policy import Policy
from moussaillon.sandbox.requests import ComposeRequest, HelpRequest

BAD = [
    ("docker compose frobnicate", "sandbox.syntax.unknown_command"),
    ("docker compose exec", "sandbox.syntax.min_args_one"),
    ("docker compose run --rm", "sandbox.syntax.min_args_one"),
    ("docker compose config web", "sandbox.syntax.no_args"),
    ("docker compose up --nope", "sandbox.syntax.unknown_flag"),
    ("docker compose logs --tail x", "sandbox.syntax.invalid_value"),
]


@pytest.mark.parametrize(("line", "key"), BAD)
def test_bad_compose_lines_fail_with_docker_like_errors(line: str, key: str) -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse(line)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ("docker compose up --scale web=3", "--scale"),
        ("docker compose exec -u root db sh", "-u"),
        ("docker compose run -v /:/x web ls", "-v"),
        ("docker compose --project-directory /etc up", "--project-directory"),
    ],
)
def test_flags_the_sandbox_does_not_run_are_refused_by_name(line: str, flag: str) -> None:
    request = parse(line)
    assert isinstance(request, ComposeRequest)
    with pytest.raises(SandboxRefused) as caught:
        Policy.from_settings(Settings()).check(request)
    assert flag in caught.value.message("en")
    assert "docker compose" in caught.value.message("en")


@pytest.mark.parametrize(
    "line", ["docker compose", "docker compose --help", "docker compose up -h"]
)
def test_help_of_compose(line: str) -> None:
    request = parse(line)
    assert isinstance(request, HelpRequest) and request.topic == "compose"
    for lang in ("fr", "en"):
        text = help_text("compose", lang)
        assert text.startswith("Usage") and "down [-v]" in text
        assert max(len(row) for row in text.splitlines()) <= 80


def test_v1_spelling_is_the_same_request_with_its_note() -> None:
    v1, v2 = parse("docker-compose -p lamp ps"), parse("docker compose -p lamp ps")
    assert isinstance(v1, ComposeRequest) and isinstance(v2, ComposeRequest)
    assert v1.legacy and not v2.legacy
    assert v1.model_copy(update={"legacy": False, "raw": v2.raw}) == v2
    assert "v1" in t("sandbox.compose_run.legacy", "fr")
