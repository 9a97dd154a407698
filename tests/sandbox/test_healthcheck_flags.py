"""``docker run --health-*``: the course's healthcheck demo runs as on docker, at most one
check a second (each one is an exec on the shared engine)."""

from __future__ import annotations

import asyncio
import json

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.requests import Healthcheck, RunRequest
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401

SECOND = 1_000_000_000


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            "--health-cmd 'test -s /etc/hostname' --health-interval 5s",
            Healthcheck(test=["CMD-SHELL", "test -s /etc/hostname"], interval=5 * SECOND),
        ),
        (
            "--health-interval 1m30s --health-timeout 500ms --health-retries 3",
            Healthcheck(interval=90 * SECOND, timeout=SECOND // 2, retries=3),
        ),
        (
            "--health-start-period 0 --health-cmd true",
            Healthcheck(test=["CMD-SHELL", "true"], start_period=0),
        ),
        ("--no-healthcheck", Healthcheck(test=["NONE"])),
        ("", None),
    ],
)
def test_health_flags_parse_as_docker_reads_them(flags: str, expected: Healthcheck | None) -> None:
    request = parse(f"docker run -d {flags} alpine sleep 60")
    assert isinstance(request, RunRequest) and request.healthcheck == expected


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        ("--health-interval 5x", 'time: invalid duration "5x"'),
        ("--health-interval s", 'time: invalid duration "s"'),
        ("--health-retries -1", "--health-retries cannot be negative"),
        ("--no-healthcheck --health-cmd true", "conflicts with --health-* options"),
    ],
)
def test_bad_health_flags_are_syntax_errors(flags: str, reason: str) -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        parse(f"docker run {flags} alpine")
    assert reason in str(caught.value.params.get("reason")), caught.value.params


@pytest.mark.docker
async def test_the_course_healthcheck_turns_healthy(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(
        service,
        uid,
        "docker run -d --name sante --health-cmd 'test -s /etc/hostname' "
        "--health-interval 1s alpine sleep 600",
    )
    shown = await ok(service, uid, "docker inspect -f '{{json .Config.Healthcheck}}' sante")
    assert json.loads(shown.output) == {
        "Test": ["CMD-SHELL", "test -s /etc/hostname"],
        "Interval": SECOND,
    }
    for _ in range(60):  # the first check runs one interval after the start
        status = await ok(service, uid, "docker ps --format '{{.Status}}'")
        if "(healthy)" in status.output:
            break
        await asyncio.sleep(0.5)
    assert "(healthy)" in status.output, status.output


@pytest.mark.docker
async def test_a_tight_interval_is_raised_to_one_second(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    started = await ok(
        service,
        uid,
        "docker run -d --name vite --health-cmd true --health-interval 10ms alpine sleep 60",
    )
    assert any("raised to 1s" in note for note in started.notes), started.notes
    shown = await ok(service, uid, "docker inspect -f '{{.Config.Healthcheck.Interval}}' vite")
    assert shown.output.strip() == str(SECOND)
