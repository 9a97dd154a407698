"""Every ``docker …`` line of our course and of our labs passes the sandbox's parser and policy,
or is refused for a reason written down here.

The course is what the app loads (``settings.course_path``, the bundled chapters) and the labs
are the bundled sheets (their steps' ``sandbox_commands`` and their corrections). A refusal not
in ``REFUSED`` fails, and so does an entry of ``REFUSED`` no line needs any more: when a part of
issue #13 lands (the entries marked ``BEING_BUILT``), the test says which entry to remove.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from moussaillon.config import BUNDLED_COURSE, Settings
from moussaillon.content.deck import deck_files
from moussaillon.labs.loader import load_labs
from moussaillon.labs.model import IP_OF
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.policy import Policy, normalize_image
from moussaillon.sandbox.requests import BuildRequest, RunRequest, TagRequest

BEING_BUILT = "being built in #13"
FENCE = re.compile(r"^\s*```(\w*)")
SHELLS = {"", "bash", "sh", "shell", "console"}
DOCKER_LINE = re.compile(r"^(?:\$ |sudo |time )*(docker(?:-compose)?\s.*)$")
OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<"}
PIPE = r"[|<>]"
STAND_IN_IP = "172.18.0.2"  # {ip:NAME} in a lab: any address of the student's network

# (pattern searched in the line, why the sandbox refuses it): keep it short, one entry per cause
REFUSED: list[tuple[str, str]] = [
    (r"\$\(pwd\)|\$PWD|\$HOME|type=bind|-v /:", "a host path: bind mounts and build secrets"),
    (r"^docker cp /", "docker cp of a host path: the local side is the student's workspace"),
    (r"--network host|--net host", "the host's network: the host stays out of reach"),
    (r"^docker network create --subnet", "address ranges: the sandbox picks them itself"),
    (r"^docker (push|login|search) |registry\.example\.com", "a registry: none is reachable"),
    (r"alpine:3\.20|nextcloud$", "an image that is not offline (a tag, nextcloud)"),
    (r"--platform", "another platform's image: not offline, and no emulation"),
    (r"^docker context ", "another engine (a context, like -H): the student has one engine"),
    (r"^docker save ", "docker save writes an archive into the host's files"),
    (r"^docker events", "not built: the engine's events, filtered to the student's own"),
    (r"^docker system df -v", "not built: system df's per-object detail (-v)"),
    (
        r"^docker builder prune",
        "the engine's build cache, shared: image prune clears the student's part",
    ),
    (r"--restart unless-stopped", "restarts without end: the sandbox bounds them (on-failure)"),
    (r" mon-image$", "the image of the section's own Dockerfile, never built in the text"),
    (PIPE, "a host shell pipe or redirection: the docker part alone runs (tested below)"),
]


@dataclass(frozen=True)
class Line:
    where: str
    text: str
    own: frozenset[tuple[str, str]]  # the images built or tagged in the same chapter or lab


def _own_images(texts: list[str]) -> frozenset[tuple[str, str]]:
    """What the student has tagged by then: the service accepts those as theirs."""
    names: list[str] = []
    for text in texts:
        try:
            request = parse(text)
        except SandboxError:
            continue
        if isinstance(request, BuildRequest):
            names += request.tags
        elif isinstance(request, TagRequest):
            names.append(request.target)
    return frozenset(key for key in map(normalize_image, names) if key is not None)


def _shell_lines(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    fence: str | None = None
    pending = ""
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        opened = FENCE.match(raw)
        if opened:
            fence = opened.group(1) if fence is None else None
            continue
        if fence not in SHELLS:
            continue
        text = pending + raw.strip()
        if text.endswith("\\"):
            pending = text[:-1] + " "
            continue
        pending = ""
        docker = DOCKER_LINE.match(text)
        if docker:
            found.append((number, docker.group(1)))
    return found


def course_lines() -> list[Line]:
    lines: list[Line] = []
    for path in deck_files(Settings(_env_file=None).course_path):  # type: ignore[call-arg]
        found = _shell_lines(path)
        own = _own_images([text for _, text in found])
        lines += [Line(f"{path.name}:{number}", text, own) for number, text in found]
    return lines


def lab_lines() -> list[Line]:
    lines: list[Line] = []
    for lab in load_labs():
        texts = [
            (f"{lab.id} step {n}", c)
            for n, s in enumerate(lab.steps, 1)
            for c in s.sandbox_commands
        ]
        texts += [(f"{lab.id} correction", c) for c in lab.correction.commands]
        texts = [(where, IP_OF.sub(STAND_IN_IP, c)) for where, c in texts if DOCKER_LINE.match(c)]
        own = _own_images([c for _, c in texts])
        lines += [Line(where, c, own) for where, c in texts]
    return lines


ALL = course_lines() + lab_lines()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_settings(Settings(_env_file=None))  # type: ignore[call-arg]


def refusal(policy: Policy, line: Line) -> str | None:
    """None when the sandbox takes the line, else the refusal's key (as the service decides:
    an image the student built in the same chapter is theirs)."""
    try:
        request = parse(line.text)
        if isinstance(request, RunRequest) and normalize_image(request.image) in line.own:
            request = request.model_copy(update={"image": next(iter(policy.images))[0]})
        policy.check(request)
    except SandboxError as exc:
        return exc.key
    return None


def test_the_course_and_labs_are_ours_and_hold_docker_lines() -> None:
    assert Settings(_env_file=None).course_path == BUNDLED_COURSE  # type: ignore[call-arg]
    assert "shared" not in BUNDLED_COURSE.resolve().parts
    assert len(course_lines()) > 200 and len(lab_lines()) > 50


def test_every_course_command_runs_or_is_refused_for_a_listed_reason(policy: Policy) -> None:
    accepted: list[Line] = []
    explained: dict[str, list[Line]] = {pattern: [] for pattern, _ in REFUSED}
    unexplained: list[str] = []
    for line in ALL:
        key = refusal(policy, line)
        if key is None:
            accepted.append(line)
            continue
        pattern = next((p for p, _ in REFUSED if re.search(p, line.text)), None)
        if pattern is None:
            unexplained.append(f"{line.where}: {line.text}  ({key})")
        else:
            explained[pattern].append(line)
    unused = [f"{p!r}: {why}" for p, why in REFUSED if not explained[p]]
    refused = sum(map(len, explained.values()))
    summary = (
        f"{len(accepted)} accepted, {refused} refused for a listed reason, "
        f"{len(unexplained)} refused without one (of {len(ALL)} lines)"
    )
    assert not unexplained, summary + ":\n" + "\n".join(unexplained)
    assert not unused, (
        summary + "; these entries of REFUSED match no refusal now:\n" + "\n".join(unused)
    )


def test_a_pipelines_docker_part_runs(policy: Policy) -> None:
    """A pipe or a redirection belongs to the student's own shell; typed alone in the sandbox,
    the docker command before it must run."""
    piped = [line for line in ALL if refusal(policy, line) == "sandbox.syntax.shell_operator"]
    assert piped
    for line in piped:
        lexer = shlex.shlex(line.text, posix=True, punctuation_chars="|&;<>")
        lexer.whitespace_split = True
        words = list(lexer)
        cut = next(i for i, word in enumerate(words) if word in OPERATORS)
        alone = Line(line.where, shlex.join(words[:cut]), line.own)
        key = refusal(policy, alone)
        reason = next((why for p, why in REFUSED if p != PIPE and re.search(p, alone.text)), None)
        assert key is None or reason is not None, (line.where, alone.text, key)
