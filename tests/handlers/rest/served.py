"""``moussaillon serve`` in a subprocess, on free loopback ports, for tests that need the real
uvicorn and the server's own memory figures (``/proc/<pid>/status``).

The subprocess gets an engine address that does not exist: these tests are about HTTP, and a
server on the shared engine would run the reaper's start-up sweep over other runs' objects.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    process: subprocess.Popen
    url: str
    env: dict[str, str]
    log: Path

    def status_kb(self, field: str) -> int:
        """``VmRSS`` (now) or ``VmHWM`` (peak) of the server process, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} in /proc/{self.process.pid}/status")

    def reset_peak(self) -> None:
        """Start ``VmHWM`` afresh from the current RSS (Linux ``clear_refs``, value 5)."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def cli(self, *args: str) -> str:
        """Another ``moussaillon`` command on the same database (e.g. ``token create``)."""
        done = subprocess.run(
            [sys.executable, "-m", "moussaillon", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()


def _environment(tmp: Path, port: int, settings: dict[str, str]) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PTB_TIMEDELTA": "true",
        "MOUSSAILLON_DB_PATH": str(tmp / "moussaillon.db"),
        "MOUSSAILLON_HTTP_HOST": "127.0.0.1",
        "MOUSSAILLON_HTTP_PORT": str(port),
        "MOUSSAILLON_DOCKER_HOST": f"unix://{tmp}/no-engine.sock",
        "MOUSSAILLON_LOG_LEVEL": "WARNING",
        # serve loads the search model in the background: off unless the test turns it on,
        # so that a server started to test limits does not embed the course meanwhile.
        "MOUSSAILLON_SEARCH_SEMANTIC": "false",
    }
    env.update(settings)
    return env


@contextlib.contextmanager
def serving(tmp: Path, **settings: str) -> Iterator[Served]:
    """Start the server with these ``MOUSSAILLON_*`` settings; stop it with SIGTERM after."""
    port = free_port()
    env = _environment(tmp, port, settings)
    log = tmp / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moussaillon", "serve"],
            env=env,
            cwd=tmp,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(process, f"http://127.0.0.1:{port}", env, log)
    try:
        _wait_until_up(served)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(served: Served) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            break
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{served.url}/api/v1/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError("moussaillon serve did not start:\n" + served.log.read_text()[-3000:])
