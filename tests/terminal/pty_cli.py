"""The real docker CLI in a pseudo-terminal, as a student's shell runs it (stdlib ``pty``).

The CLI only goes raw, forwards window sizes and reads keystrokes when its stdin is a terminal,
so the interactive tests give it one: the child gets the pty's slave as its controlling
terminal, the test writes keys to the master and reads the screen back from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import struct
import termios
from collections.abc import AsyncIterator, Mapping
from pathlib import Path


def _set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyCli:
    def __init__(self, proc: asyncio.subprocess.Process, master: int) -> None:
        self.proc = proc
        self.master = master
        self.screen = bytearray()
        self._grew = asyncio.Event()
        self._eof = False
        asyncio.get_running_loop().add_reader(master, self._on_readable)

    def _on_readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            self._eof = True
            asyncio.get_running_loop().remove_reader(self.master)
        self.screen += data
        self._grew.set()

    @property
    def text(self) -> str:
        return self.screen.decode("utf-8", "replace")

    def send(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    async def expect(self, pattern: str, timeout: float = 30, since: int = 0) -> re.Match[str]:  # noqa: ASYNC109
        """Wait until the screen (from byte ``since``) matches ``pattern``."""
        regex = re.compile(pattern)
        async with asyncio.timeout(timeout):
            while True:
                found = regex.search(self.screen[since:].decode("utf-8", "replace"))
                if found is not None:
                    return found
                if self._eof:
                    raise AssertionError(f"no {pattern!r} before the end: {self.text!r}")
                self._grew.clear()
                await self._grew.wait()

    def resize(self, rows: int, cols: int) -> None:
        """A window change: the size on the pty, and SIGWINCH to the CLI as the kernel would."""
        _set_size(self.master, rows, cols)

    async def wait(self, timeout: float = 60) -> int:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            code = await self.proc.wait()
        with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
            async with asyncio.timeout(2):  # what it printed last
                while not self._eof:
                    self._grew.clear()
                    await self._grew.wait()
        return code


@contextlib.asynccontextmanager
async def spawn(
    args: list[str], env: Mapping[str, str], *, rows: int = 24, cols: int = 80
) -> AsyncIterator[PtyCli]:
    master, slave = os.openpty()
    _set_size(slave, rows, cols)
    os.set_blocking(master, False)

    def controlling() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = await asyncio.create_subprocess_exec(
        *args,
        env=dict(env),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=controlling,
    )
    os.close(slave)
    cli = PtyCli(proc, master)
    try:
        yield cli
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        with contextlib.suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(master)
        os.close(master)


def cli_env(tmp: Path, port: int, certs: Path) -> dict[str, str]:
    config = tmp / "docker-config"
    config.mkdir(exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "TERM": "xterm",
        "DOCKER_CONFIG": str(config),
        "DOCKER_HOST": f"tcp://127.0.0.1:{port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
    }
