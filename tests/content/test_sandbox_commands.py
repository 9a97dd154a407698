"""Every docker command the bundled course shows either runs in the sandbox, or the text next to
it says it is for the student's own machine: a student who types it into the bot must not be
left wondering why it was refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moussaillon.config import Settings
from moussaillon.content.deck import deck_files
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.policy import Policy

COURSE = Path(__file__).parents[2] / "moussaillon" / "content" / "course"
OWN_MACHINE = re.compile(r"(sur|de|depuis) votre (propre )?machine", re.IGNORECASE)
AFTER_LINES = 3  # non-blank lines looked at after a code block


def _commands(block: list[str]) -> list[str]:
    """The docker command lines of a code block, continuation lines joined."""
    logical, current = [], ""
    for line in block:
        current += line.strip()
        if current.endswith("\\"):
            current = current[:-1].rstrip() + " "
            continue
        logical.append(current)
        current = ""
    return [line for line in logical if line.startswith("docker ")]


def _blocks(path: Path) -> list[tuple[int, list[str], str]]:
    """(first line, docker commands, nearby text) of each ``bash`` block. The nearby text is the
    section so far (a section is what the bot shows at once) and the few lines after the block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, index, section = [], 0, 0
    while index < len(lines):
        if lines[index].startswith("## "):
            section = index
        if lines[index].strip() != "```bash":
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        after = [line for line in lines[end + 1 :] if line.strip()][:AFTER_LINES]
        nearby = "\n".join(lines[section:index] + after)
        found.append((index + 1, _commands(lines[index + 1 : end]), nearby))
        index = end + 1
    return found


def _refusal(policy: Policy, command: str) -> str | None:
    try:
        policy.check(parse(command))
    except SandboxError as exc:
        return exc.message("en")
    return None


CASES = [
    pytest.param(path, line, commands, nearby, id=f"{path.name}:{line}")
    for path in deck_files(COURSE)
    for line, commands, nearby in _blocks(path)
    if commands
]


def test_the_course_has_docker_commands_to_check() -> None:
    assert len(CASES) > 150


@pytest.mark.parametrize(("path", "line", "commands", "nearby"), CASES)
def test_refused_commands_are_marked_for_the_students_machine(
    path: Path, line: int, commands: list[str], nearby: str
) -> None:
    policy = Policy.from_settings(Settings())
    refused = {command: why for command in commands if (why := _refusal(policy, command))}
    if refused:
        assert OWN_MACHINE.search(nearby), (
            f"{path.name}:{line}: refused in the sandbox, yet the text around does not say "
            f"'sur votre machine': {refused}"
        )
