"""``moussaillon serve`` with a token but no route to Telegram, as a real process.

The REST API must come up and stay up, the log must say so in one line per try (no traceback),
SIGTERM must stop it during the back-off, and the bot must connect once Telegram answers.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import TOKEN
from tests.telegram_stub import running_stub

pytestmark = pytest.mark.docker  # serve builds the sandbox too (on the real engine)

START_TIMEOUT_S = 90  # two loaded cores can take tens of seconds to import everything
UNREACHABLE = "Telegram unreachable"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, http_port: int) -> None:
        self.process = process
        self.log = log
        self.health = f"http://127.0.0.1:{http_port}/api/v1/health"

    @property
    def text(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait_for_log(self, needle: str, timeout: float) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            assert self.process.poll() is None, f"serve exited:\n{self.text[-3000:]}"
            assert time.monotonic() < deadline, f"no {needle!r} in the log:\n{self.text[-3000:]}"
            await asyncio.sleep(0.1)

    async def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                assert self.process.poll() is None, f"serve exited:\n{self.text[-3000:]}"
                try:
                    if (await client.get(self.health)).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, f"no health in time:\n{self.text[-3000:]}"
                await asyncio.sleep(0.2)

    async def terminate(self, within_s: float) -> float:
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        while self.process.poll() is None:
            assert time.monotonic() - started < within_s, f"still running:\n{self.text[-2000:]}"
            await asyncio.sleep(0.05)
        return time.monotonic() - started


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Served, int]]:
    """``moussaillon serve`` whose Bot API address is a closed local port (returned too)."""
    telegram_port, http_port = _free_port(), _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MOUSSAILLON_")}
    env.update(
        MOUSSAILLON_TELEGRAM_TOKEN=TOKEN,
        MOUSSAILLON_TELEGRAM_BASE_URL=f"http://127.0.0.1:{telegram_port}/bot",
        MOUSSAILLON_TELEGRAM_BASE_FILE_URL=f"http://127.0.0.1:{telegram_port}/file/bot",
        MOUSSAILLON_TELEGRAM_RATE_LIMITER="false",
        MOUSSAILLON_DB_PATH=str(tmp_path / "moussaillon.db"),
        MOUSSAILLON_HTTP_PORT=str(http_port),
        # A fresh database on the shared engine: its start-up sweep must spare others' objects.
        MOUSSAILLON_SANDBOX_IDLE_TTL_MIN="1000000",
        MOUSSAILLON_SEARCH_SEMANTIC="false",  # no model loading beside what this test times
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "moussaillon", "serve"],
            cwd=tmp_path,  # no .env of the developer's
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Served(process, log, http_port), telegram_port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


async def test_rest_stays_up_with_one_line_per_try_and_sigterm_stops_the_back_off(served):
    serve, _ = served
    await serve.wait_healthy()
    await serve.wait_for_log(UNREACHABLE, timeout=30)
    await asyncio.sleep(1)  # the API keeps answering after the bot's failure
    async with httpx.AsyncClient(timeout=5) as client:
        assert (await client.get(serve.health)).status_code == 200

    took = await serve.terminate(within_s=15)
    text = serve.text
    assert serve.process.returncode == 0, text[-2000:]
    assert "Traceback" not in text and "Unclosed client session" not in text, text[-3000:]
    tries = [line for line in text.splitlines() if UNREACHABLE in line]
    assert tries and "next try in 5 s" in tries[0], text[-2000:]
    assert all("127.0.0.1" in line and "REST API keeps running" in line for line in tries)
    assert TOKEN not in text
    assert text.rstrip().endswith("Moussaillon stopped cleanly."), text[-1000:]
    assert took < 10, f"SIGTERM took {took:.1f} s"


async def test_the_bot_connects_on_a_later_try_once_telegram_answers(served):
    serve, telegram_port = served
    await serve.wait_for_log(UNREACHABLE, timeout=START_TIMEOUT_S)
    async with running_stub(token=TOKEN, port=telegram_port) as stub:
        await serve.wait_for_log("Telegram bot polling as @moussaillon_bot", timeout=40)
        assert stub.calls("getMe"), "no getMe reached the stand-in"
        alice = stub.user()  # the bot in the other process answers: it polls for real
        [welcome] = await stub.wait_for(stub.send_text(alice, "/start"), timeout=30)
        assert welcome.text
        await serve.terminate(within_s=20)
    assert serve.process.returncode == 0, serve.text[-2000:]
    assert "Traceback" not in serve.text, serve.text[-3000:]


def test_the_waits_double_from_5_s_up_to_5_min():
    from itertools import islice

    from moussaillon.bot.lifecycle import Backoff

    assert list(islice(Backoff().delays(), 9)) == [5, 10, 20, 40, 80, 160, 300, 300, 300]
