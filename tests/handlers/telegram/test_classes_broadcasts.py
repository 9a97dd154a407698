"""Broadcasts through the stand-in: paced under Telegram's limits, 429s waited out, blocked users
recorded, and each member reached exactly once even when the bot stops mid-broadcast."""

import asyncio
import time

from moussaillon.classes.broadcasts import BroadcastMessage
from moussaillon.content.render import utf16_len
from moussaillon.handlers.telegram.classes_views import broadcast
from moussaillon.labs.loader import load_labs
from tests.classes.harness import INSTRUCTOR, bot_on, class_with_members, received
from tests.conftest import TOKEN
from tests.telegram_stub import running_stub
from tests.telegram_stub.telegram_html import parse_html

FAST = {"broadcast_per_second": 400, "broadcast_backoff_s": 0.05}


def _counts(stub, students, needle):
    return [received(stub, s, needle) for s in students]


async def test_announcement_at_real_limits_reaches_members_and_group_once(tmp_path):
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path) as bot:
        stub.enforce_rate_limits(30, 1, 20)
        class_id, students = await class_with_members(bot, 6)
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        group = stub.group("Promo")
        await stub.wait_for(stub.send_text(teacher, "/lier", chat=group))
        [queued] = await stub.wait_for(stub.send_text(teacher, "/annonce TP demain\n9h salle 2"))
        assert "destinataires : 7" in queued.text
        [report] = await bot.services.classes.broadcasts.recent(class_id)
        report = await bot.services.classes.broadcasts.wait_done(report.id, within=10)
        assert (report.sent, report.blocked, report.failed, report.unknown) == (7, 0, 0, 0)
        assert _counts(stub, [*students, group], "TP demain") == [1] * 7
        assert "9h salle 2" in stub.messages(students[0])[-1].text  # newlines kept
        # our pacing keeps members' chats clear of 429s; the group may get one, since the bot
        # just answered /lier there (Telegram counts every message): waited out, sent once
        limited = {c.params["chat_id"] for c in stub.calls("sendMessage") if c.status == 429}
        assert limited <= {group.id}
        [shown] = await stub.wait_for(stub.send_text(teacher, "/diffusions"))
        assert "7 envoyés" in shown.text and "0 bloqués" in shown.text


async def test_500_members_20_blocked_with_429s_each_reached_exactly_once(tmp_path):
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path, **FAST) as bot:
        stub.enforce_rate_limits(400, 1, 20)
        class_id, students = await class_with_members(bot, 500)
        blocked = students[::25]
        for student in blocked:
            stub.block(student)
        stub.fail_next("sendMessage", code=429, retry_after=1, count=3)
        stub.fail_next("sendMessage", code=429, retry_after=1, chat_id=students[7].id)
        hub = bot.services.classes
        broadcast_id = await hub.broadcasts.create(class_id, "announcement", "Rappel QCM", 1000)
        report = await hub.broadcasts.wait_done(broadcast_id, within=30)
        assert len(blocked) == 20
        assert (report.sent, report.blocked, report.failed, report.pending) == (480, 20, 0, 0)
        assert report.blocked_chats == sorted(s.id for s in blocked)
        counts = _counts(stub, students, "Rappel QCM")
        assert [c for s, c in zip(students, counts, strict=True) if s not in blocked] == [1] * 480
        assert sum(counts) == 480
        assert len([c for c in stub.calls("sendMessage") if c.status == 429]) >= 4


async def test_a_bot_stopped_mid_broadcast_resumes_without_sending_twice(tmp_path):
    async with running_stub(token=TOKEN) as stub:
        stub.enforce_rate_limits(100, 1, 20)
        limits = {"broadcast_per_second": 100}
        async with bot_on(stub, tmp_path, **limits) as bot:
            class_id, students = await class_with_members(bot, 300)
            for student in students[:10]:
                stub.block(student)
            hub = bot.services.classes
            broadcast_id = await hub.broadcasts.create(class_id, "announcement", "Reprise", 1000)
            while (await hub.broadcasts.report(broadcast_id)).sent < 60:
                await asyncio.sleep(0.02)
        # the bot is down: the in-flight sends finished and were recorded, the rest waits
        middle = _counts(stub, students, "Reprise")
        assert 60 <= sum(middle) < 290
        async with bot_on(stub, tmp_path, **limits) as bot:
            report = await bot.services.classes.broadcasts.wait_done(broadcast_id, within=20)
        assert (report.sent, report.blocked, report.unknown, report.pending) == (290, 10, 0, 0)
        counts = _counts(stub, students, "Reprise")
        assert counts == [0] * 10 + [1] * 290


async def test_a_send_interrupted_by_a_crash_is_marked_unknown_never_resent(tmp_path):
    async with running_stub(token=TOKEN) as stub:
        async with bot_on(stub, tmp_path, broadcast_per_second=0.001) as bot:
            class_id, students = await class_with_members(bot, 3)
            hub = bot.services.classes
            await hub.broadcasts.detach()  # nothing goes out in this lifetime
            broadcast_id = await hub.broadcasts.create(class_id, "announcement", "Crash", 1000)
            # what a process killed between "about to send" and Telegram's answer leaves behind
            await bot.services.store.write(lambda db: db.execute(
                "UPDATE broadcast_deliveries SET status = 'sending', attempts = 1"
                " WHERE broadcast_id = ? AND chat_id = ?", [broadcast_id, students[0].id]))
        async with bot_on(stub, tmp_path) as bot:
            hub = bot.services.classes
            report = await hub.broadcasts.wait_done(broadcast_id, within=10)
            assert (report.sent, report.unknown, report.pending) == (2, 1, 0)
            assert _counts(stub, students, "Crash") == [0, 1, 1]
            teacher = stub.user(INSTRUCTOR)
            [shown] = await stub.wait_for(stub.send_text(teacher, "/diffusions"))
            assert "1 incertains" in shown.text


async def test_other_failures_are_retried_with_backoff_then_recorded_as_failed(tmp_path):
    async with running_stub(token=TOKEN) as stub:
        async with bot_on(stub, tmp_path, **FAST, broadcast_max_attempts=3) as bot:
            class_id, students = await class_with_members(bot, 3)
            flaky, broken = students[0], students[1]
            stub.fail_next("sendMessage", code=500, chat_id=flaky.id, count=2)
            stub.fail_next("sendMessage", code=400, chat_id=broken.id, count=10)
            started = time.monotonic()
            hub = bot.services.classes
            broadcast_id = await hub.broadcasts.create(class_id, "announcement", "Essai", 1000)
            report = await hub.broadcasts.wait_done(broadcast_id, within=10)
            assert (report.sent, report.failed) == (2, 1)
            assert report.failed_chats == [broken.id]
            assert time.monotonic() - started >= 0.05 + 0.1  # two backoffs before giving up
            tried = [c for c in stub.calls("sendMessage") if c.params.get("chat_id") in
                     (broken.id, str(broken.id))]
            assert len(tried) == 3
            assert _counts(stub, students, "Essai") == [1, 0, 1]


async def test_with_ptbs_rate_limiter_on_broadcasts_keep_their_own_pacing(tmp_path):
    """Production runs PTB's AIORateLimiter; broadcasts bypass it (their own Bot) so the two
    throttles do not bunch sends up: only the injected 429s come back."""
    async with running_stub(token=TOKEN) as stub:
        async with bot_on(stub, tmp_path, telegram_rate_limiter=True) as bot:
            stub.enforce_rate_limits(30, 1, 20)
            class_id, students = await class_with_members(bot, 40)
            stub.fail_next("sendMessage", code=429, retry_after=1, count=2)
            hub = bot.services.classes
            broadcast_id = await hub.broadcasts.create(class_id, "announcement", "Limité", 1000)
            report = await hub.broadcasts.wait_done(broadcast_id, within=20)
        assert report.sent == 40 and _counts(stub, students, "Limité") == [1] * 40
        assert len([c for c in stub.calls("sendMessage") if c.status == 429]) == 2


def test_an_announcement_longer_than_a_message_is_cut_into_valid_html():
    words = "Rendez-vous <salle 2> & apportez votre portable. " * 120  # ~6,000 characters
    message = BroadcastMessage(kind="announcement", text=words, class_name="BTS <SIO>",
                               language="fr")
    html = broadcast(message, load_labs())
    visible, _ = parse_html(html)  # Telegram's parser accepts it
    assert utf16_len(visible) <= 4096 and visible.endswith("\n…")
    assert visible.startswith("📣 BTS <SIO>\n\nRendez-vous <salle 2> & apportez")
