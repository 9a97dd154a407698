"""The bot under load: 200 fake users each open the contents, then 5 sections, at once.

The stand-in Bot API runs in this process; the bot runs as ``moussaillon serve`` in another
process (the real command, long polling over real HTTP), so the two do not share a core's
event loop. Each user waits for the bot's reply before the next click, as a person would.
Timing: from the moment the update is queued at the stand-in to the moment the bot's
sendMessage/editMessageText for it arrives. Run: python -m bench.bot
"""

from __future__ import annotations

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


async def student(stub: TelegramStub, index: int, sections: list[str], times: list[float]) -> int:
    rng = random.Random(index)
    user = stub.user(first_name=f"Élève {index}", language_code="fr")
    started = time.perf_counter()
    [toc] = await stub.wait_for(stub.send_text(user, "/cours"), timeout=60)
    times.append((time.perf_counter() - started) * 1000)
    message = toc
    for section_id in rng.sample(sections, SECTIONS_EACH):
        started = time.perf_counter()
        stub.callback(user, message, f"s:{section_id}:0")
        message = await stub.wait_for_edit(message, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
    return 1 + SECTIONS_EACH


async def main() -> None:
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
            times: list[float] = []
            started = time.perf_counter()
            counts = await asyncio.gather(
                *(student(stub, i, sections, times) for i in range(USERS))
            )
            elapsed = time.perf_counter() - started
        finally:
            bot.terminate()
            bot.wait(timeout=30)
    updates = sum(counts)
    line(
        "bot: 200 users x (contents + 5 sections)",
        f"{updates} updates in {elapsed:.2f} s = {updates / elapsed:,.0f} updates/s",
    )
    line("bot: update → reply", summary(times))


if __name__ == "__main__":
    asyncio.run(main())
