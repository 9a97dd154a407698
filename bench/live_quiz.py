"""A live quiz under load: 300 students answer one question within 3 seconds, then all at once.

Everything real but Telegram: the stand-in Bot API, PTB's Application (long polling over real
HTTP), the services and a SQLite file. Question 1: the 300 answers are spread at random over
3 s, as a class would. Question 2: all 300 are queued in the same instant (the worst burst).
Latency is measured from the moment the PollAnswer update is queued at the stand-in to the moment
the live service has committed the answer (its ``observers`` hook), so it includes getUpdates,
PTB's dispatch, the first-seen user upsert and the SQLite write. After each close the leaderboard
message is checked against the formula applied to the stored response times.
Run: python -m bench.live_quiz
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from bench.common import line, summary
from moussaillon.app import build_services
from moussaillon.bot.application import create_telegram_app, polling
from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.quiz.scoring import answer_points, leaderboard
from tests.telegram_stub import TelegramStub

STUDENTS = 300
SPREAD_S = 3.0
PERIOD_S = 8
HOST = 1000
TOKEN = "123456:BENCH-LIVE"


async def wait_poll(stub: TelegramStub, group) -> dict:
    while True:
        [message] = await stub.wait_for(group, timeout=30)
        if message.poll is not None:
            return message


async def one_question(
    stub, services, group, students, spread: float, rng, previous: dict[int, int]
) -> dict[int, int]:
    live = services.quiz.live
    message = await wait_poll(stub, group)
    poll = message.poll
    session = await live.active_in(group.id)
    opened = None
    while opened is None:  # the poll is out; wait until the service has opened the question
        current = await live.open_question(session.id)
        opened = current if current and current.poll_id == poll["id"] else None
        await asyncio.sleep(0.001)
    right = poll["correct_option_ids"][0]
    queued: dict[int, float] = {}
    done: dict[int, float] = {}
    finished = asyncio.Event()

    def observe(outcome) -> None:
        done[outcome.user_id] = time.perf_counter()
        if len(done) == len(students):
            finished.set()

    live.observers.append(observe)
    offsets = sorted(((rng.uniform(0, spread), s) for s in students), key=lambda o: o[0])
    start = time.perf_counter()
    for offset, student in offsets:
        delay = start + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        choice = right if rng.random() < 0.7 else (right + 1) % len(poll["options"])
        queued[student.id] = time.perf_counter()
        stub.poll_answer(student, poll["id"], [choice])
    await asyncio.wait_for(finished.wait(), timeout=60)
    live.observers.remove(observe)
    latencies = [(done[uid] - queued[uid]) * 1000 for uid in queued]
    span = max(done.values()) - min(queued.values())
    kind = f"spread over {spread:.0f} s" if spread else "all at once"
    line(f"answers {kind}", f"{len(done)}/{len(students)} decided in {span:.2f} s")
    line("  update → recorded", summary(latencies))
    line("  answers processed per second", f"{len(done) / span:.0f}")

    position = opened.position
    results = await stub.wait_for(group, timeout=PERIOD_S + 10)
    stored = await services.store.read(
        lambda db: db.execute(
            "SELECT a.user_id, a.correct, a.elapsed_s FROM live_answers a "
            "JOIN live_questions q ON q.id = a.live_question_id "
            "WHERE q.session_id = ? AND q.position = ?",
            [session.id, position],
        ).fetchall()
    )
    totals = await services.store.read(
        lambda db: dict(
            db.execute(
                "SELECT user_id, total FROM live_players WHERE session_id = ?", [session.id]
            ).fetchall()
        )
    )
    names = {s.id: s.first_name for s in students}
    recorded = len(stored)
    expected = dict(previous)
    for user_id, correct, elapsed in stored:
        expected[user_id] = expected.get(user_id, 0) + answer_points(
            bool(correct), elapsed, PERIOD_S
        )
    top = leaderboard(expected, names)[:10]
    text = results[0].text
    correct_board = expected == totals and all(
        t("quiz.live.leaderboard_line", "fr", rank=r.rank, name=names[r.user_id], points=r.points)
        in text
        for r in top
    )
    line("  answers recorded in SQLite", f"{recorded}/{len(students)}")
    line("  leaderboard message correct", str(correct_board))
    return expected


async def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        async with TelegramStub(token=TOKEN) as stub:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                db_path=Path(tmp) / "bench.db",
                telegram_token=TOKEN,
                telegram_base_url=stub.base_url,
                telegram_base_file_url=stub.base_file_url,
                telegram_rate_limiter=False,
                instructors=[HOST],
            )
            async with build_services(settings, sandbox=False) as services:
                async with polling(create_telegram_app(services)):
                    host = stub.user(id=HOST, first_name="Prof")
                    group = stub.group("Amphi")
                    students = [stub.user(first_name=f"E{n:03d}") for n in range(STUDENTS)]
                    stub.send_text(host, f"/quiz_live docker 2 {PERIOD_S}", chat=group)
                    await stub.wait_for(group, timeout=30)
                    line("students", str(STUDENTS))
                    totals = await one_question(stub, services, group, students, SPREAD_S, rng, {})
                    await one_question(stub, services, group, students, 0.0, rng, totals)
                    [podium] = await stub.wait_for(group, timeout=30)
                    line("podium posted", str(podium.text.startswith("Partie terminée")))


if __name__ == "__main__":
    asyncio.run(main())
