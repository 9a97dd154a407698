"""Done when: a student with only the docker CLI does the first three labs in their own terminal.

The whole path a student takes: ``/terminal`` in Telegram (the zip, the two ``docker context``
commands, typed as the bot wrote them), then the labs' commands in the real CLI against the
endpoint ``serve`` opens, each step checked by the labs as if the student pressed « Vérifier »,
and ``/sandbox`` in Telegram listing the container made in the terminal.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import shlex
import socket
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from moussaillon.app import _terminal
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.terminal.server import TerminalServer
from tests.conftest import Bot, start_bot
from tests.optional import missing
from tests.sandbox.conftest import docker  # noqa: F401 (fixture)

CLI_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Laptop:
    """The student's machine: a home folder, the docker CLI, nothing else."""

    home: Path

    async def sh(self, line: str) -> tuple[int, str]:
        """One command line as the student types it (``~`` is the home folder)."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "DOCKER_CONFIG": str(self.home / ".docker"),
        }
        proc = await asyncio.create_subprocess_exec(
            "sh",
            "-c",
            line,
            env=env,
            cwd=self.home,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        async with asyncio.timeout(CLI_TIMEOUT_S):
            out, _ = await proc.communicate()
        assert proc.returncode is not None
        return proc.returncode, out.decode()

    async def ok(self, line: str) -> str:
        code, out = await self.sh(line)
        assert code == 0, f"{line}: {out}"
        return out


@dataclass
class Classroom:
    bot: Bot
    server: TerminalServer
    laptop: Laptop


@pytest.fixture
async def classroom(tmp_path: Path, standin_images) -> AsyncIterator[Classroom]:
    import shutil

    if shutil.which("docker") is None:
        missing("the docker CLI", "apt-get install docker.io")
    port = _free_port()
    # A brisk typist's pace (a test types in seconds what a class types in minutes): the
    # per-command cost is tested below with the real limit.
    async with start_bot(
        tmp_path,
        sandbox=True,
        terminal_port=port,
        terminal_host="127.0.0.1",
        sandbox_burst=60,
        sandbox_commands_per_minute=600,
    ) as bot:
        server = await _terminal(bot.services)
        assert server is not None and server.port == port
        home = tmp_path / "home"
        home.mkdir()
        try:
            yield Classroom(bot, server, Laptop(home))
        finally:
            await server.close()


async def test_the_first_three_labs_in_the_students_own_terminal(classroom: Classroom) -> None:
    stub, services = classroom.bot.stub, classroom.bot.services
    student = stub.user(first_name="Inès", language_code="fr")
    try:
        await _follow_the_labs(classroom, student)
    finally:
        await purge_owner(services.sandbox.engine, labels.owner_key(student.id))


async def _check(classroom: Classroom, user_id: int, lab: str, step: int) -> None:
    practice = classroom.bot.services.practice
    result = await practice.check(user_id, lab, step)
    last = await practice._journal.last_entry(user_id)
    assert result.ok, f"{lab} step {step}: {result.missing} after {last}"


async def _follow_the_labs(classroom: Classroom, student) -> None:
    stub, laptop = classroom.bot.stub, classroom.laptop
    # /terminal: the zip goes to ~/.moussaillon, the caption's two commands are typed as sent.
    [sent] = await stub.wait_for(stub.send_text(student, "/terminal"), timeout=30)
    folder = laptop.home / ".moussaillon"
    with zipfile.ZipFile(io.BytesIO(sent.document)) as z:
        z.extractall(folder)
    # The certificate's two commands come first (the token's, for a school proxy, after).
    commands = [line for line in sent.text.splitlines() if line.startswith("docker context")]
    for line in commands[:2]:
        await laptop.ok(line)
    assert "moussaillon *" in await laptop.ok("docker context ls")
    uid = student.id

    # Lab 1, « Premiers conteneurs ».
    lab = "premiers-conteneurs"
    assert "Hello from Docker" in await laptop.ok("docker run hello-world")
    await _check(classroom, uid, lab, 1)
    assert "hello-world" not in await laptop.ok("docker ps")
    listing = await laptop.ok("docker ps -a")
    assert "Exited (0)" in listing
    await _check(classroom, uid, lab, 2)
    name = listing.strip().splitlines()[-1].split()[-1]
    assert await laptop.ok(f"docker rm {shlex.quote(name)}") == f"{name}\n"
    await _check(classroom, uid, lab, 3)
    assert "Hello from Docker" in await laptop.ok("docker run --rm --name salut hello-world")
    await _check(classroom, uid, lab, 4)

    # Lab 2, « Gérer les images ».
    lab = "gerer-les-images"
    assert re.search(r"^hello-world\s+latest", await laptop.ok("docker images"), re.M)
    await _check(classroom, uid, lab, 1)
    assert "Status: Image is up to date for alpine:latest" in await laptop.ok("docker pull alpine")
    assert '"Architecture"' in await laptop.ok("docker image inspect alpine")
    await _check(classroom, uid, lab, 3)
    await laptop.ok("docker tag alpine mon-alpine:v1")
    assert "mon-alpine" in await laptop.ok("docker images")
    await _check(classroom, uid, lab, 4)
    assert "Untagged: mon-alpine:v1" in await laptop.ok("docker rmi mon-alpine:v1")
    await _check(classroom, uid, lab, 5)

    # Lab 3, « Entrées, sorties et cycle de vie ».
    lab = "entrees-sorties"
    hostname = await laptop.ok("docker run --rm alpine cat /etc/hostname")
    assert re.fullmatch(r"[0-9a-f]{12}\n", hostname), hostname
    await laptop.ok("docker run -d --name veilleur alpine sleep 3600")
    await _check(classroom, uid, lab, 2)
    # What the student made in the terminal is the sandbox the chat shows.
    [status] = await stub.wait_for(stub.send_text(student, "/sandbox"), timeout=30)
    assert "veilleur" in status.text
    assert "veilleur" in await laptop.ok("docker ps")
    await laptop.ok("docker stop veilleur")
    await _check(classroom, uid, lab, 3)
    await laptop.ok("docker start veilleur")
    assert re.fullmatch(
        r"[0-9a-f]{12}\n", await laptop.ok("docker exec veilleur cat /etc/hostname")
    )
    await _check(classroom, uid, lab, 4)
    await laptop.ok("docker stop veilleur")
    await laptop.ok("docker rm veilleur")
    await _check(classroom, uid, lab, 5)
