"""Hostile ``--format`` and ``--filter`` values, end to end: the bomber gets a clear answer in
seconds, and while the bomb runs another student's ``docker ps`` and ``/api/v1/health`` still
answer within 500 ms (real services, real engine, the REST API through its ASGI app)."""

from __future__ import annotations

import asyncio
import contextlib
import resource
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from moussaillon.app import Services, build_services
from moussaillon.handlers.rest.app import create_api
from moussaillon.sandbox.service import CommandResult
from tests.conftest import make_settings

pytestmark = pytest.mark.docker

LATENCY_BOUND_S = 0.5
ANSWER_BOUND_S = 5.0
LONG_NAME = "a" * 26 + "-z"  # (a+)+$ costs Python's re ~2^27 steps here, RE2 one pass
NESTED_RANGES = "{{range 1000000}}{{range 1000000}}{{end}}{{end}}"
STOPPED = ("execution stopped: too many steps", "execution stopped: timeout")


@dataclass
class Bomb:
    line: str
    # One of these is in the English answer: a loaded machine may reach the wall-time budget
    # before the step budget, and either is a right answer.
    expect: tuple[str, ...]
    refused: bool = True


BOMBS = {
    "version-range": Bomb(f"docker version --format '{NESTED_RANGES}'", STOPPED),
    "ps-range": Bomb(f"docker ps --format '{NESTED_RANGES}'", STOPPED),
    "ps-table-range": Bomb(f"docker ps --format 'table {NESTED_RANGES}'", STOPPED),
    "inspect-range": Bomb(f"docker inspect -f '{NESTED_RANGES}' {LONG_NAME}", STOPPED),
    "network-output": Bomb(
        "docker network ls --format '{{range 100000000}}{{.}}{{end}}'",
        ("execution stopped: output too long", *STOPPED[1:]),
    ),
    "printf-width": Bomb(
        """docker version --format '{{printf "%3000000000s" "x"}}'""",
        ("printf width: 3000000000 is out of range",),
    ),
    "name-redos": Bomb("docker ps --filter 'name=(a+)+$'", ("CONTAINER ID",), refused=False),
}


@contextlib.contextmanager
def safety_nets(*, extra_memory: int, frozen_after: float) -> Iterator[None]:
    """For a run without the fix, so that it fails instead of hurting the shared machine or
    hanging: a multi-GB allocation fails (address-space limit, raised back afterwards), and a
    loop frozen by a bomb is interrupted by SIGALRM (Python and ``re`` both check signals)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    limit = (
        used + extra_memory if hard == resource.RLIM_INFINITY else min(hard, used + extra_memory)
    )

    def frozen(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"the event loop was frozen for {frozen_after} s")

    previous = signal.signal(signal.SIGALRM, frozen)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, frozen_after)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture
async def app(tmp_path: Path, standin_images: dict[str, str]) -> AsyncIterator[Services]:
    settings = make_settings(
        tmp_path,
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        sandbox_commands_per_minute=6000,
        sandbox_burst=1000,
    )
    async with build_services(settings, sandbox=True) as services:
        yield services


async def _worst(probe: Callable[[], Awaitable[None]], until: asyncio.Task) -> float:
    """Run ``probe`` again and again while ``until`` runs (at least once); its worst time.

    Each time counts from just before a short pause: a probe that never suspends (the ASGI app
    in-process) would otherwise always run between two freezes and never see one."""
    worst = 0.0
    while True:
        started = time.monotonic()
        await asyncio.sleep(0.01)
        await probe()
        worst = max(worst, time.monotonic() - started)
        if until.done():
            return worst


async def test_every_bomb_answers_fast_and_nobody_waits(
    app: Services, make_user_id: Callable[[], int]
) -> None:
    """One service, one bomber with a long-named container, one bystander; every bomb in turn
    (one setup for all: the engine is shared and slow under load). Failures are collected so
    that one run shows every bomb that still hurts."""
    sandbox = app.sandbox
    assert sandbox is not None
    bomber, other = make_user_id(), make_user_id()
    started = await sandbox.run_command(
        bomber, f"docker run -d --name {LONG_NAME} alpine sleep 300", "en"
    )
    assert started.exit_code == 0, started

    async def other_ps() -> None:
        result = await sandbox.run_command(other, "docker ps", "en")
        assert result.exit_code == 0 and result.output.startswith("CONTAINER ID"), result

    failures: list[str] = []
    transport = httpx.ASGITransport(app=create_api(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://moussaillon") as client:

        async def health() -> None:
            response = await client.get("/api/v1/health")
            assert response.status_code == 200 and response.json()["status"] == "ok"

        await other_ps()
        await health()
        for name, bomb in BOMBS.items():
            with safety_nets(extra_memory=2 * 2**30, frozen_after=3 * ANSWER_BOUND_S):
                begun = time.monotonic()
                task = asyncio.create_task(sandbox.run_command(bomber, bomb.line, "en"))
                ps_worst, health_worst = await asyncio.gather(
                    _worst(other_ps, task), _worst(health, task)
                )
                answer = await task
                took = time.monotonic() - begun
                found = _judge(name, bomb, answer, took, ps_worst, health_worst)
                if bomb.refused and not found:
                    french = await sandbox.run_command(bomber, bomb.line, "fr")
                    if not (french.refused and "bac à sable" in (french.reason or "")):
                        found.append(f"{name}: no French explanation: {french}")
            failures += found
    assert not failures, "\n".join(failures)


def _judge(
    name: str, bomb: Bomb, answer: CommandResult, took: float, ps: float, health: float
) -> list[str]:
    found = []
    if took > ANSWER_BOUND_S:
        found.append(f"{name}: the bomber waited {took:.2f} s")
    if ps > LATENCY_BOUND_S:
        found.append(f"{name}: another student's docker ps took {ps:.3f} s")
    if health > LATENCY_BOUND_S:
        found.append(f"{name}: /api/v1/health took {health:.3f} s")
    if bomb.refused:
        reason = answer.reason or ""
        if not (answer.refused and any(e in reason for e in bomb.expect) and "sandbox" in reason):
            found.append(f"{name}: unclear answer: {answer}")
    elif not (
        answer.exit_code == 0
        and answer.output.splitlines() == [answer.output.strip()]
        and bomb.expect[0] in answer.output
    ):
        found.append(f"{name}: expected an empty listing: {answer}")
    return found


async def test_name_filters_are_go_regexps_on_every_family(
    app: Services, clean_user_id: int
) -> None:
    """RE2 keeps docker's semantics (exact name or regexp search) for containers, networks
    and volumes; a bad or oversized pattern is a clear error, not a silent empty list."""
    sandbox = app.sandbox
    assert sandbox is not None
    uid = clean_user_id

    async def run(line: str) -> str:
        result = await sandbox.run_command(uid, line, "en")
        assert result.exit_code == 0 and not result.refused, (line, result)
        return result.output

    await run(f"docker run -d --name {LONG_NAME} alpine sleep 120")
    await run("docker run -d --name web1 alpine sleep 120")
    await run("docker network create lamp")
    await run("docker volume create data1")
    assert await run("docker ps --format '{{.Names}}' --filter 'name=^a+-z$'") == LONG_NAME
    assert await run("docker ps --format '{{.Names}}' --filter name=web") == "web1"
    assert await run("docker ps --format '{{.Names}}' --filter 'name=^web$'") == ""
    assert await run("docker network ls --format '{{.Name}}' --filter 'name=^la.p$'") == "lamp"
    assert await run("docker network ls --format '{{.Name}}' --filter name=amp") == "lamp"
    assert await run("docker volume ls --format '{{.Name}}' --filter 'name=[0-9]$'") == "data1"
    assert await run("docker volume ls -q --filter 'name=^ata'") == ""

    bad = await sandbox.run_command(uid, "docker ps --filter 'name=(web'", "en")
    assert bad.refused and "not a valid regular expression" in (bad.reason or ""), bad
    assert "missing )" in (bad.reason or "")
    bad_fr = await sandbox.run_command(uid, "docker volume ls --filter 'name=[x'", "fr")
    assert bad_fr.refused and "expression régulière" in (bad_fr.reason or ""), bad_fr
    huge = await sandbox.run_command(uid, f"docker network ls --filter name={'a' * 300}", "en")
    assert huge.refused and "at most 256 characters" in (huge.reason or ""), huge
