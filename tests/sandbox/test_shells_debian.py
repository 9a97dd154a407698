"""Shells and REPLs of the course on the Debian-based offline images: bash, the MariaDB client
(with the password typed at its prompt, as the LAMP lab does it), node."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.config import Settings
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok
from tests.sandbox.test_shells import WAIT_S, drain, opened, read_until

pytestmark = pytest.mark.docker

LIMITS = {
    name: Settings.model_fields[name].default
    for name in ("sandbox_memory_mb", "sandbox_tmpfs_mb", "sandbox_cpus", "sandbox_pids")
}


@pytest.fixture
async def service(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    debian_images: dict[str, str],
    tmp_path: Path,
) -> AsyncIterator[SandboxService]:
    images = {**standin_images, **debian_images}
    svc, store = make_service(docker, images, tmp_path, sandbox_timeout_s=60, **LIMITS)
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def test_bash_in_debian(service: SandboxService, clean_user_id: int) -> None:
    session = await opened(service, clean_user_id, "docker run -it --rm debian:12 bash")
    await session.send('echo "shell=$0 major=${BASH_VERSINFO[0]}"')
    assert "shell=bash major=5" in await read_until(session, "major=")
    await session.send("exit")
    await drain(session)
    assert session.ended is not None and session.ended.exit_code == 0


async def test_the_mariadb_client_asks_its_password_then_answers(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(
        service, uid, "docker run -d --name database -e MARIADB_ROOT_PASSWORD=rootpw mariadb:11"
    )
    ping = "docker exec database mariadb -uroot -prootpw -e 'SELECT 1'"
    async with asyncio.timeout(WAIT_S * 3):
        while (await service.run_command(uid, ping, "en")).exit_code != 0:
            await asyncio.sleep(1)
    for _ in range(5):  # the image's entrypoint restarts the server once its set-up is done
        session = await opened(service, uid, "docker exec -it database mariadb -uroot -p")
        assert "Enter password" in await read_until(session, "password")
        await session.send("rootpw")
        try:
            await read_until(session, "MariaDB [(none)]>")
            break
        except StopAsyncIteration:  # the client could not connect and exited
            await asyncio.sleep(2)
    else:
        pytest.fail("the MariaDB client never showed its prompt")
    await session.send("SELECT 6*7 AS answer;")
    assert "42" in await read_until(session, "row in set")
    await session.send("exit")
    await drain(session)
    assert session.ended is not None and session.ended.reason == "exited"


async def test_the_node_repl(service: SandboxService, clean_user_id: int) -> None:
    session = await opened(service, clean_user_id, "docker run -it --rm node:20 node")
    await session.send("[6 * 7, typeof process.version].join(' ')")
    assert "42 string" in await read_until(session, "42 string")
    await session.send(".exit")
    await drain(session)
    assert session.ended is not None and session.ended.reason == "exited"
