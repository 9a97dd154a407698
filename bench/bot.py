"""The bot under load: 200 fake users each open the contents, then 5 sections.

The stand-in Bot API runs in this process; the bot runs as ``moussaillon serve`` in another
process (the real command, long polling over real HTTP), so the two do not share an event loop.
Two phases, each with 200 new users (1,200 updates):

* burst: everyone clicks again as soon as the previous reply arrives (closed loop, no think
  time): the throughput ceiling, in updates handled per second;
* paced: the same clicks offered at a fixed rate (default 100 updates/s, ``--rate``), each
  user waiting for their reply before their next click: the latency a class sees, p50/p95
  from the update being queued at the stand-in to the bot's reply arriving there.

Run: python -m bench.bot [--rate 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import line, summary
from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course
from tests.telegram_stub import TelegramStub

USERS = 200
SECTIONS_EACH = 5
TOKEN = "123456:BENCH"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def student(
    stub: TelegramStub,
    index: int,
    sections: list[str],
    times: list[float],
    slots: list[float] | None = None,
) -> int:
    """One student's six actions; with ``slots``, action k starts no earlier than slots[k]."""
    rng = random.Random(index)
    user = stub.user(first_name=f"Élève {index}", language_code="fr")

    async def wait_turn(k: int) -> None:
        if slots is not None:
            await asyncio.sleep(max(0.0, slots[k] - time.perf_counter()))

    await wait_turn(0)
    started = time.perf_counter()
    [toc] = await stub.wait_for(stub.send_text(user, "/cours"), timeout=60)
    times.append((time.perf_counter() - started) * 1000)
    message = toc
    for k, section_id in enumerate(rng.sample(sections, SECTIONS_EACH), 1):
        await wait_turn(k)
        started = time.perf_counter()
        stub.callback(user, message, f"s:{section_id}:0")
        message = await stub.wait_for_edit(message, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
    return 1 + SECTIONS_EACH


async def phase(
    stub: TelegramStub, sections: list[str], first: int, rate: float | None
) -> tuple[int, float, list[float]]:
    times: list[float] = []
    start = time.perf_counter() + 0.5

    def slots(i: int) -> list[float] | None:
        if rate is None:
            return None
        return [start + (k * USERS + i) / rate for k in range(1 + SECTIONS_EACH)]

    began = time.perf_counter()
    counts = await asyncio.gather(
        *(student(stub, first + i, sections, times, slots(i)) for i in range(USERS))
    )
    return sum(counts), time.perf_counter() - began, times


async def main(rate: float) -> None:
    sections = [s.id for s in load_course(BUNDLED_COURSE).course.sections]
    async with TelegramStub(token=TOKEN) as stub:
        env = dict(
            os.environ,
            MOUSSAILLON_TELEGRAM_TOKEN=TOKEN,
            MOUSSAILLON_TELEGRAM_BASE_URL=stub.base_url,
            MOUSSAILLON_TELEGRAM_BASE_FILE_URL=stub.base_file_url,
            MOUSSAILLON_TELEGRAM_RATE_LIMITER="false",
            MOUSSAILLON_DB_PATH=str(Path(tempfile.mkdtemp()) / "bench.db"),
            MOUSSAILLON_HTTP_PORT=str(free_port()),
            MOUSSAILLON_LOG_LEVEL="WARNING",
        )
        bot = subprocess.Popen([sys.executable, "-m", "moussaillon", "serve"], env=env)  # noqa: ASYNC220
        try:
            warm = stub.user(first_name="warm-up")
            await stub.wait_for(stub.send_text(warm, "/start"), timeout=60)
            burst = await phase(stub, sections, 0, None)
            paced = await phase(stub, sections, USERS, rate)
        finally:
            bot.terminate()
            bot.wait(timeout=30)
    updates, elapsed, times = burst
    line(
        "burst: 200 users x 6 updates",
        f"{updates} updates in {elapsed:.2f} s = {updates / elapsed:,.0f} updates/s",
    )
    line("burst: update → reply", summary(times))
    updates, elapsed, times = paced
    line(
        f"paced: {rate:.0f} updates/s offered",
        f"{updates} updates in {elapsed:.2f} s = {updates / elapsed:,.0f} updates/s handled",
    )
    line("paced: update → reply", summary(times))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=100.0)
    asyncio.run(main(parser.parse_args().rate))
