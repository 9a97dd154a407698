"""A broadcast to a 500-member class, 20 of whom blocked the bot, against a stand-in Bot API
that enforces Telegram's limits by answering 429 (30 msg/s overall, 1/s per chat, 20/min per
group). Figures: total time, its ratio to the ideal time at 30 messages/s, 429s received,
duplicates and losses (both must be zero). The bot runs in this process with its default
settings (real limits). Run: python -m bench.broadcast
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import line
from moussaillon.app import build_services
from moussaillon.config import Settings
from tests.telegram_stub import running_stub

MEMBERS = 500
BLOCKED = 20
RATE = 30
TOKEN = "123456:BENCH"
TEXT = "Bench broadcast"


async def main() -> int:
    from moussaillon.bot.application import create_telegram_app, polling

    os.environ.setdefault("PTB_TIMEDELTA", "true")
    with tempfile.TemporaryDirectory() as tmp:
        async with running_stub(token=TOKEN) as stub:
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None, db_path=Path(tmp) / "bench.db", telegram_token=TOKEN,
                telegram_base_url=stub.base_url, telegram_base_file_url=stub.base_file_url,
                telegram_rate_limiter=False, instructors=[1000],
            )
            async with build_services(settings, sandbox=False) as services:
                hub = services.classes
                info = await hub.classes.create(1000, "Bench")
                members = []
                for index in range(MEMBERS):
                    user = stub.user(first_name=f"Élève {index}")
                    await hub.classes.join(user.id, info.code)
                    members.append(user)
                blocked = {u.id for u in members[:: MEMBERS // BLOCKED][:BLOCKED]}
                for user_id in blocked:
                    stub.block(user_id)
                async with polling(create_telegram_app(services)):
                    stub.enforce_rate_limits(RATE, 1, 20)
                    started = time.perf_counter()
                    broadcast_id = await hub.broadcasts.create(info.id, "announcement", TEXT, 1000)
                    report = await hub.broadcasts.wait_done(broadcast_id, within=120)
                    elapsed = time.perf_counter() - started
            received = Counter(
                m.chat_id for m in stub.world.all_sent if TEXT in (m.text or "")
            )
            too_many_requests = sum(1 for c in stub.calls("sendMessage") if c.status == 429)
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    lost = sum(1 for u in members if u.id not in blocked and received[u.id] == 0)
    ideal = MEMBERS / RATE
    line("members", f"{MEMBERS} ({BLOCKED} blocked the bot)")
    line("total time", f"{elapsed:.2f} s (ideal {ideal:.2f} s at {RATE} msg/s)")
    line("ratio to ideal", f"{elapsed / ideal:.3f} (target <= 1.15)")
    line("report", f"sent {report.sent}, blocked {report.blocked}, failed {report.failed},"
         f" unknown {report.unknown}, pending {report.pending}")
    line("429 answers", str(too_many_requests))
    line("duplicates", f"{duplicates} (must be 0)")
    line("losses", f"{lost} (must be 0)")
    ok = (duplicates == 0 and lost == 0 and report.blocked == BLOCKED
          and report.sent == MEMBERS - BLOCKED and elapsed / ideal <= 1.15)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
