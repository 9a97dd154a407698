"""Interactive shells on the real engine: ``run -it``, ``exec -it``, ``attach``, their bounds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.results import CommandResult
from moussaillon.sandbox.service import SandboxService
from moussaillon.sandbox.shell.classify import opens_program
from moussaillon.sandbox.shell.session import Burst, ShellSession
from tests.sandbox.engine_support import make_service, ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker

WAIT_S = 20.0


async def opened(service: SandboxService, user_id: int, line: str) -> ShellSession:
    session = await service.open_shell(user_id, line, "en")
    assert isinstance(session, ShellSession), session
    return session


async def read_until(session: ShellSession, needle: str, wait_s: float = WAIT_S) -> str:
    """Bursts until one holds ``needle``; everything read (chat text, escapes removed)."""
    seen = ""
    bursts = session.bursts().__aiter__()
    async with asyncio.timeout(wait_s):
        while needle not in seen:
            burst = await anext(bursts)
            seen += burst.text
    return seen


async def drain(session: ShellSession, wait_s: float = WAIT_S) -> list[Burst]:
    got: list[Burst] = []
    async with asyncio.timeout(wait_s):
        async for burst in session.bursts():
            got.append(burst)
    return got


async def test_run_it_sh_keeps_state_and_exit_ends_it(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    session = await opened(service, uid, "docker run -it --rm --name box alpine sh")
    assert service.shell_of(uid) is session and session.kind == "run"
    await session.send("echo hel''lo")
    assert "hello" in await read_until(session, "hello")
    await session.send("cd /tmp && mkdir -p here")
    await session.send("cd here; pwd")
    assert "/tmp/here" in await read_until(session, "/tmp/here")
    await session.send("exit 3")
    await drain(session)
    assert session.ended is not None and session.ended.reason == "exited"
    assert session.ended.exit_code == 3
    assert service.shell_of(uid) is None
    listed = await ok(service, uid, "docker ps -a --format '{{.Names}}'")
    assert "box" not in listed.output  # --rm: removed with the session


async def test_one_shot_it_just_runs_and_rest_cannot_open_one(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    assert not service.wants_shell("docker run --rm -it alpine echo hi")
    assert service.wants_shell("docker run --rm -it alpine sh")
    assert service.wants_shell("docker run -it alpine")
    assert not service.wants_shell("docker run -t alpine sh")
    ran = await ok(service, uid, "docker run --rm -it alpine echo hi")
    assert ran.output.strip() == "hi"
    refused = await service.run_command(uid, "docker run --rm -it alpine sh", "en")
    assert refused.refused and "WebSocket" in (refused.reason or "")


async def test_exec_it_into_a_running_container_and_the_other_commands_still_work(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web alpine sleep 300")
    session = await opened(service, uid, "docker exec -it web sh")
    await session.send("echo $((6*7))")
    assert "42" in await read_until(session, "42")
    await session.send("sleep 1000")  # still running in the shell when the student leaves
    await asyncio.sleep(1)  # typed ahead of a shell that has not read it, Ctrl-C is a char
    listed = await ok(service, uid, "docker ps --format '{{.Names}}'")
    assert listed.output.split() == ["web"]
    ended = await session.close()
    assert ended.reason == "quit" and "web" in ended.message
    assert session.ended is ended and service.shell_of(uid) is None
    after = await ok(service, uid, "docker ps --format '{{.Names}}'")
    assert after.output.split() == ["web"]  # leaving an exec leaves the container
    async with asyncio.timeout(WAIT_S):  # nor its shell: Ctrl-C then Ctrl-D ended them
        while True:
            top = await ok(service, uid, "docker top web")
            commands = [row.split(None, 7)[-1] for row in top.output.splitlines()[1:]]
            if "sh" not in commands and "sleep 1000" not in commands:
                break
            await asyncio.sleep(0.2)


async def test_attach_to_a_dit_container_then_detach_leaves_it_running(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -dit --name box alpine sh")
    session = await opened(service, uid, "docker attach box")
    assert session.kind == "attach" and session.stdin
    await session.send("echo attached-$((1+1))")
    assert "attached-2" in await read_until(session, "attached-2")
    await session.close()
    running = await ok(service, uid, "docker ps --format '{{.Names}} {{.State}}'")
    assert running.output.split() == ["box", "running"]
    again = await opened(service, uid, "docker attach box")
    await again.send("exit")
    await drain(again)
    assert again.ended is not None and again.ended.reason == "exited"
    stopped = await ok(service, uid, "docker ps -a --format '{{.State}}'")
    assert stopped.output.strip() == "exited"


async def test_attach_to_a_stopped_container_says_so(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run --name done alpine true")
    result = await service.open_shell(uid, "docker attach done", "en")
    assert isinstance(result, CommandResult)
    assert result.exit_code == 1 and "start it first" in result.output
    missing = await service.open_shell(uid, "docker exec -it ghost sh", "en")
    assert isinstance(missing, CommandResult) and "ghost" in missing.output


async def test_idle_timeout_closes_the_shell(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_shell_idle_s=1)
    try:
        session = await opened(svc, clean_user_id, "docker run -it --rm alpine sh")
        await drain(session)
        assert session.ended is not None and session.ended.reason == "idle"
        assert "min" in session.ended.message
        listed = await ok(svc, clean_user_id, "docker ps -a -q")
        assert listed.output.strip() == ""
    finally:
        await svc.close()
        store.close()


async def test_endless_output_is_bounded_and_dropped_with_a_count(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_shell_burst_kb=2)
    try:
        session = await opened(svc, clean_user_id, "docker run -it --rm alpine sh")
        await session.send("yes flood")
        bursts: list[Burst] = []
        iterator = session.bursts().__aiter__()
        async with asyncio.timeout(WAIT_S * 2):
            while sum(b.dropped for b in bursts) == 0 or len(bursts) < 3:
                bursts.append(await anext(iterator))
        assert all(len(b.raw.encode()) <= 2048 for b in bursts)
        assert sum(b.dropped for b in bursts) > 0
        ended = await session.close()
        assert ended.reason == "quit"
    finally:
        await svc.close()
        store.close()


async def test_shells_past_the_limit_are_refused(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_shells_per_user=2)
    try:
        results = await asyncio.gather(
            *(
                svc.open_shell(clean_user_id, "docker run -it --rm alpine sh", "en")
                for _ in range(20)
            )
        )
        sessions = [r for r in results if isinstance(r, ShellSession)]
        refused = [r for r in results if isinstance(r, CommandResult)]
        assert len(sessions) == 2 and len(refused) == 18
        assert all(r.refused and "/quitter_shell" in (r.reason or "") for r in refused)
        listed = await ok(svc, clean_user_id, "docker ps -q")
        assert len(listed.output.split()) == 2  # nothing made for the refused ones
    finally:
        await svc.close()  # a shutdown ends them
        store.close()
    assert all(s.ended is not None and s.ended.reason == "shutdown" for s in sessions)


async def test_input_line_is_bounded(service: SandboxService, clean_user_id: int) -> None:
    session = await opened(service, clean_user_id, "docker run -it --rm alpine sh")
    with pytest.raises(SandboxRefused) as caught:
        await session.send("x" * 5000)
    assert "too long" in caught.value.message("en")
    await session.send("echo still-here")
    assert "still-here" in await read_until(session, "still-here")
    await session.close()


async def test_a_restart_ends_the_sessions_and_removes_rm_containers(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    uid = clean_user_id
    svc, store = make_service(docker, standin_images, tmp_path)
    session = await opened(svc, uid, "docker run -it --rm --name gone alpine sh")
    await svc.close()
    assert session.ended is not None and session.ended.reason == "shutdown"
    store.close()
    again, store2 = make_service(docker, standin_images, tmp_path)
    try:
        listed = await ok(again, uid, "docker ps -a -q")
        assert listed.output.strip() == ""  # nothing survived, the --rm container is gone
        assert again.shell_of(uid) is None
    finally:
        await again.close()
        store2.close()


async def test_a_crash_leaves_a_shell_container_the_next_start_ends(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    """No clean shutdown (the process died): the next start finds the container by its label
    and ends it, and tells the student once."""
    uid = clean_user_id
    svc, store = make_service(docker, standin_images, tmp_path)
    session = await opened(svc, uid, "docker run -it --rm --name orphan alpine sh")
    session.abandon()  # a crash: nothing closes it, the container stays
    store.close()
    again, store2 = make_service(docker, standin_images, tmp_path)
    try:
        owners = {uid}
        assert await again.shells.reap(again.engine, owners) == 1
        assert again.shells.ended_by_restart(uid)
        assert not again.shells.ended_by_restart(uid)
        listed = await ok(again, uid, "docker ps -a -q")
        assert listed.output.strip() == ""
    finally:
        await again.close()
        store2.close()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ([], True),
        (["sh"], True),
        (["/bin/bash", "-l"], True),
        (["busybox", "sh"], True),
        (["mariadb", "-uroot", "-p"], True),
        (["mysql", "-u", "user", "-p", "mymap"], True),
        (["python3"], True),
        (["node"], True),
        (["php", "-a"], True),
        (["sh", "-c", "ls"], False),
        (["bash", "script.sh"], False),
        (["node", "app.js"], False),
        (["node", "-p", "1+1"], False),
        (["mariadb", "-e", "SELECT 1"], False),
        (["mariadb", "--execute=SELECT 1"], False),
        (["python3", "-m", "http.server"], False),
        (["php", "-v"], False),
        (["busybox", "ls"], False),
        (["ip", "a"], False),
        (["mariadb", "--version"], False),
    ],
)
def test_which_programs_open_a_session(command: list[str], expected: bool) -> None:
    assert opens_program(command) is expected


async def test_start_ai_restarts_a_stopped_shell_and_attaches(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -dit --name box alpine sh")
    await ok(service, uid, "docker stop -t 1 box")
    session = await opened(service, uid, "docker start -ai box")
    assert session.kind == "attach" and session.stdin
    await session.send("echo back-$((2+2))")
    assert "back-4" in await read_until(session, "back-4")
    await session.send("exit")
    await drain(session)
    assert session.ended is not None and session.ended.reason == "exited"
    await ok(service, uid, "docker run --name once alpine echo bonjour")
    again = await service.run_command(uid, "docker start -a once", "en")  # no stdin: one-shot
    assert again.exit_code == 0 and again.output.strip() == "bonjour", again
