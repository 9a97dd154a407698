"""The sandbox's answers against the real docker CLI's, case by case, on the same engine.

Each case sets up the same state twice: with the real ``docker`` CLI, under names of this test
only (``shp<pid>x<n>-web``), and through the sandbox for a test student (``web``). Then it runs
the same command both ways and compares the shapes: exit code, and the text after normalising
what must differ (ids, ages, addresses, sizes, the test prefix). How much of the text is
compared is the case's ``mode``:

* ``exact``: the whole normalised text (errors, usage, warnings, short answers);
* ``first``: the first line only (the CLI adds a line the sandbox need not copy);
* ``table``: the header row's column names and, for one named object, the number of rows;
* ``json``: the keys of an ``inspect`` object and of its main sections;
* ``keys``: the ``Label:`` structure of ``docker version``/``info`` (the sandbox's labels are
  a subset of docker's; values differ by design: no host details).

The CLI followed is the one on the test machine (``docker version``: client 28.2.2 against a
20.10 engine, API 1.41). Everything either side creates is removed after each case; the CLI's
objects by their unique prefix, the sandbox's by the test student's purge.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

import pytest

from moussaillon.sandbox.service import SandboxService
from tests.optional import missing
from tests.sandbox.engine_support import service_fixture  # noqa: F401  (the fixture)

pytestmark = pytest.mark.docker

_cases = count()


@dataclass(frozen=True)
class Case:
    command: str  # ``@web`` is ``web`` for the student, ``<prefix>web`` for the CLI
    setup: tuple[str, ...] = ()
    mode: str = "exact"
    drop: tuple[str, ...] = field(default=())  # regexps of lines only the real CLI prints


RUNNING = ("docker run -d --name @web alpine sleep 120",)
PORTED = ("docker run -d --name @web -p 8080:80 -p 53/udp alpine sleep 120",)
IPV6 = (r"\[::\]",)  # the test engine also binds IPv6; the sandbox publishes nothing at all

CASES: list[Case] = [
    # usage errors: docker's text, 125 for flags and values, 1 for arguments and commands
    Case("docker foo"),
    Case("docker run"),
    Case("docker run --no-such-flag alpine"),
    Case("docker run --name"),
    Case("docker run -e"),
    Case("docker run -dx alpine"),
    Case("docker run --rm=maybe alpine"),
    Case("docker run -p 99999:80 alpine"),
    Case("docker run -m abc alpine"),
    Case("docker run --cpus x alpine"),
    Case("docker run --pull sometimes alpine"),
    Case("docker ps -x"),
    Case("docker ps --all=yes"),
    Case("docker ps -n x"),
    Case("docker ps --filter nope"),
    Case("docker ps @web"),
    Case("docker logs"),
    Case("docker logs a b"),
    Case("docker exec @web"),
    Case("docker stop -t x @web"),
    Case("docker rename @web"),
    Case("docker rm"),
    Case("docker port"),
    Case("docker diff"),
    Case("docker create"),
    Case("docker container foo"),
    Case("docker container -a"),
    Case("docker volume foo"),
    Case("docker volume ls x"),
    Case("docker volume rm"),
    Case("docker network create"),
    Case("docker network connect @net"),
    Case("docker system df x"),
    Case("docker --foo"),
    Case("docker help nope"),
    # missing objects: the daemon's words, docker's exit codes
    Case("docker rm @nope"),
    Case("docker rm -f @nope"),
    Case("docker stop @nope"),
    Case("docker restart @nope"),
    Case("docker kill @nope"),
    Case("docker start @nope"),
    Case("docker pause @nope"),
    Case("docker wait @nope"),
    Case("docker rename @nope @other"),
    Case("docker logs @nope"),
    Case("docker top @nope"),
    Case("docker port @nope"),
    Case("docker diff @nope"),
    Case("docker exec @nope ls"),
    Case("docker inspect @nope"),
    Case("docker container inspect @nope"),
    Case("docker volume rm @nope"),
    Case("docker volume inspect @nope"),
    Case("docker network rm @nope", mode="first"),  # the CLI 28 adds "exit status 1"
    Case("docker network inspect @nope"),
    # prune: the warning, and nothing removed without -f (the CLI got "no" on its stdin)
    Case("docker container prune"),
    Case("docker volume prune"),
    Case("docker network prune"),
    # running containers
    Case("docker run --rm alpine echo hi"),
    Case("docker run --rm alpine sh -c 'exit 3'"),
    Case("docker rm @web", setup=RUNNING),
    Case("docker ps", setup=RUNNING, mode="table"),
    Case("docker ps -a --filter name=@web", setup=RUNNING, mode="table"),
    Case("docker ps -s --filter name=@web", setup=RUNNING, mode="table"),
    Case("docker ps -q --filter name=@web", setup=RUNNING),
    Case("docker top @web", setup=RUNNING, mode="table"),
    Case("docker stats --no-stream @web", setup=RUNNING, mode="table"),
    Case("docker inspect -f '{{.NetworkSettings.IPAddress}}' @web", setup=RUNNING),
    Case("docker inspect @web", setup=RUNNING, mode="json"),
    Case("docker volume inspect @data", setup=("docker volume create @data",), mode="json"),
    Case("docker network inspect @net", setup=("docker network create @net",), mode="json"),
    Case("docker inspect -f '{{.State.Status}} {{.Name}}' @web", setup=RUNNING),
    Case("docker container inspect -f '{{.Config.Image}}' @web", setup=RUNNING),
    Case("docker port @web", setup=PORTED, drop=IPV6),
    Case("docker port @web 80", setup=PORTED, drop=IPV6),
    Case("docker port @web 53/udp", setup=PORTED, drop=IPV6),
    Case("docker port @web 81", setup=PORTED),
    Case("docker rm -f @web", setup=RUNNING),
    Case("docker stop -t 1 @web", setup=RUNNING),
    Case("docker kill @web", setup=RUNNING),
    Case("docker pause @web", setup=RUNNING),
    Case("docker rename @web @other", setup=RUNNING),
    Case("docker exec @web echo hi", setup=RUNNING),
    Case("docker exec @web sh -c 'exit 4'", setup=RUNNING),
    Case("docker logs @once", setup=("docker run --name @once alpine echo hello",)),
    Case(
        "docker ps -a --filter name=@once --format '{{.Names}}: {{.Status}}'",
        setup=("docker run --name @once alpine sh -c 'exit 2'",),
    ),
    Case("docker wait @once", setup=("docker run --name @once alpine sh -c 'exit 2'",)),
    Case("docker start @made", setup=("docker create --name @made alpine true",)),
    # create, diff, limits
    Case("docker create --name @made alpine true"),
    Case("docker create --name @web alpine true", setup=RUNNING),
    Case("docker diff @made", setup=("docker create --name @made alpine true",)),
    Case("docker top @made", setup=("docker create --name @made alpine true",)),
    Case(
        "docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' @lim",
        setup=("docker create --name @lim -m 32m --cpus 0.25 alpine true",),
    ),
    Case(
        "docker ps -a --filter name=@made --format '{{.Names}} {{.Status}}'",
        setup=("docker create --name @made alpine true",),
    ),
    # volumes and networks
    Case("docker volume create @data"),
    Case(
        "docker volume ls --filter name=@data", setup=("docker volume create @data",), mode="table"
    ),
    Case("docker volume rm @data", setup=("docker volume create @data",)),
    Case(
        "docker volume inspect -f '{{.Name}} {{.Driver}}' @data",
        setup=("docker volume create @data",),
    ),
    Case("docker network create @net", mode="first"),  # an id either way
    Case(
        "docker network ls --filter name=@net", setup=("docker network create @net",), mode="table"
    ),
    Case("docker network rm @net", setup=("docker network create @net",)),
    Case("docker volume create @data", setup=("docker volume create @data",)),
    Case("docker network create @net", setup=("docker network create @net",)),
    Case(
        "docker network connect @net @web",
        setup=("docker network create @net", *RUNNING),
    ),
    Case(
        "docker network disconnect @net @web",
        setup=("docker network create @net", *RUNNING),
    ),
    Case(
        "docker network rm @net",
        setup=(
            "docker network create @net",
            "docker run -d --name @web --network @net alpine sleep 120",
        ),
        mode="first",  # the CLI 28 adds "exit status 1"
    ),
    Case(
        "docker volume rm @data",
        setup=("docker run -d --name @web -v @data:/data alpine sleep 120",),
    ),
    # more container states
    Case("docker run --name @web alpine true", setup=RUNNING),
    Case("docker run --rm alpine no-such-command"),
    Case("docker run --rm alpine ps -o pid,comm", mode="table"),  # the command is PID 1
    Case("docker exec @made ls", setup=("docker create --name @made alpine true",)),
    Case("docker logs @made", setup=("docker create --name @made alpine true",)),
    Case("docker unpause @web", setup=RUNNING),
    Case("docker inspect -f '{{.Config.Cmd}} {{.Path}}' @web", setup=RUNNING),
    Case("docker stats --no-stream --format '{{.Name}}' @web", setup=RUNNING),
    # system
    Case("docker system df", mode="table"),
    Case("docker version", mode="keys"),
    Case("docker info", mode="keys"),
]

_NORMALISE = (
    (re.compile(r"\b[0-9a-f]{64}\b"), "<ID>"),
    (re.compile(r"\b[0-9a-f]{12}\b"), "<ID>"),
    (re.compile(r"\b\d+(?:\.\d+){3}\b"), "<IP>"),
    (re.compile(r":(?:3[2-9]\d{3}|[4-6]\d{4})\b"), ":<EPHEMERAL>"),  # the engine's or ours
    (
        re.compile(
            r"(?:Less than a second|About a minute|About an hour"
            r"|\d+ (?:second|minute|hour|day|week|month|year)s?)( ago)?",
        ),
        "<T>",
    ),
    (re.compile(r"\b\d+(?:\.\d+)?(?:[kMG]i?)?B\b"), "<SIZE>"),
    (re.compile(r"\bSRun '"), "Run '"),  # a typo of the CLI 28.2's "at most N arguments"
)


def normalise(text: str, prefix: str) -> str:
    text = text.replace(prefix, "")
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def columns(text: str) -> tuple[list[str], int]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return [], 0
    return re.split(r"\s{2,}", lines[0].strip()), len(lines) - 1


def json_keys(text: str) -> dict[str, list[str]]:
    """The keys of the first inspected object and of its main sections (not ``HostConfig``:
    the sandbox's forced limits add keys docker leaves out when nobody asked for them)."""
    first = json.loads(text)[0]
    found = {"": sorted(first)}
    for key in ("Config", "NetworkSettings", "State"):
        if isinstance(first.get(key), dict):
            found[key] = sorted(first[key])
    return found


def labels(text: str) -> set[str]:
    found = set()
    section = ""
    for line in text.splitlines():
        match = re.match(r"^(\s*)([A-Za-z][\w ./-]*?):(\s|$)", line)
        if match is None:
            continue
        if not match.group(1):
            section = match.group(2)
        found.add(f"{section}/{match.group(2)}")
    return found


def _cli(words: str, prefix: str) -> subprocess.CompletedProcess[str]:
    line = words.replace("@", prefix)
    return subprocess.run(
        ["/bin/sh", "-c", line],
        stdin=subprocess.DEVNULL,  # prune's question gets "no"
        capture_output=True,
        text=True,
        timeout=60,
    )


def _clean_cli(prefix: str) -> None:
    for kind, listing in (
        ("container", "docker ps -aq --filter name=^/{p}"),
        ("volume", "docker volume ls -q --filter name=^{p}"),
        ("network", "docker network ls -q --filter name=^{p}"),
    ):
        found = _cli(listing.format(p=prefix), "").stdout.split()
        if found:
            extra = " -f" if kind == "container" else ""
            _cli(f"docker {kind} rm{extra} " + " ".join(found), "")


@pytest.fixture(scope="module")
def docker_cli() -> str:
    path = shutil.which("docker")
    if path is None:
        missing("the docker CLI is not installed", "sudo apt-get install docker.io")
    return path


@pytest.fixture
def cli_prefix(docker_cli: str) -> Iterator[str]:
    prefix = f"shp{os.getpid()}x{next(_cases)}-"
    try:
        yield prefix
    finally:
        _clean_cli(prefix)


@pytest.mark.parametrize("case", CASES, ids=[case.command for case in CASES])
async def test_sandbox_answers_like_the_docker_cli(
    case: Case, service: SandboxService, clean_user_id: int, cli_prefix: str
) -> None:
    for line in case.setup:
        done = await asyncio.to_thread(_cli, line, cli_prefix)
        mine = await service.run_command(clean_user_id, line.replace("@", ""), lang="en")
        assert mine.exit_code == done.returncode, (line, done.stderr, mine)
    real = await asyncio.to_thread(_cli, case.command, cli_prefix)
    ours = await service.run_command(clean_user_id, case.command.replace("@", ""), lang="en")
    assert not ours.refused, ours
    real_text = "\n".join(
        line
        for line in (real.stdout + real.stderr).splitlines()
        if not any(re.search(pattern, line) for pattern in case.drop)
    )
    expected, got = normalise(real_text, cli_prefix), normalise(ours.output, cli_prefix)
    assert ours.exit_code == real.returncode, (case.command, expected, got)
    if case.mode == "exact":
        assert got == expected, case.command
    elif case.mode == "first":
        assert got.splitlines()[:1] == expected.splitlines()[:1], case.command
    elif case.mode == "table":
        assert columns(got)[0] == columns(expected)[0], case.command
        if "--filter name=" in case.command or "@" in case.command:
            assert columns(got)[1] == columns(expected)[1], (case.command, expected, got)
    elif case.mode == "json":
        assert json_keys(ours.output) == json_keys(real.stdout), case.command
    else:
        assert labels(got) <= labels(expected), (case.command, labels(got) - labels(expected))
