"""Lab-correction releases: locked per class until released, now or at a time, across restarts."""

import asyncio
from datetime import timedelta

import pytest

from moussaillon.labs.service import CorrectionLocked
from tests.classes.harness import INSTRUCTOR, bot_on, class_with_members, received
from tests.conftest import TOKEN
from tests.telegram_stub import running_stub


async def test_corriger_now_unlocks_the_class_and_broadcasts_the_correction(tmp_path):
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path) as bot:
        class_id, students = await class_with_members(bot, 3)
        outsider = stub.user(first_name="Outsider")
        lab = bot.services.labs.labs.get("premiers-conteneurs")
        with pytest.raises(CorrectionLocked):
            await bot.services.labs.correction(students[0].id, lab.id)
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        [reply] = await stub.wait_for(stub.send_text(teacher, f"/corriger {lab.id} maintenant"))
        assert lab.title in reply.text and "publiée" in reply.text
        [release] = await bot.services.classes.releases.of_class(class_id)
        report = await bot.services.classes.broadcasts.wait_done(release.broadcast_id, within=10)
        assert report.sent == 3
        assert [received(stub, s, lab.correction.commands[0]) for s in students] == [1, 1, 1]
        assert await bot.services.labs.correction(students[1].id, lab.id) == lab.correction
        with pytest.raises(CorrectionLocked):
            await bot.services.labs.correction(outsider.id, lab.id)
        [again] = await stub.wait_for(stub.send_text(teacher, f"/corriger {lab.id}"))
        assert "déjà publiée" in again.text


async def test_corriger_at_a_time_is_scheduled_in_the_course_timezone(tmp_path):
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path) as bot:
        class_id, _ = await class_with_members(bot, 1)
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        [reply] = await stub.wait_for(
            stub.send_text(teacher, "/corriger premiers-conteneurs 2099-06-01 14:30"))
        assert "2099-06-01 14:30 (Europe/Paris)" in reply.text
        [release] = await bot.services.classes.releases.of_class(class_id)
        assert (release.status, release.due_at) == ("pending", "2099-06-01T12:30:00+00:00")
        jobs = bot.application.job_queue.get_jobs_by_name(f"release-{release.id}")
        assert len(jobs) == 1
        [bad] = await stub.wait_for(stub.send_text(teacher, "/corriger premiers-conteneurs 25:99"))
        assert "illisible" in bad.text


async def test_a_release_scheduled_before_a_restart_fires_after_it_exactly_once(tmp_path):
    async with running_stub(token=TOKEN) as stub:
        async with bot_on(stub, tmp_path) as bot:
            class_id, students = await class_with_members(bot, 4)
            hub = bot.services.classes
            lab = hub.labs.get("premiers-conteneurs")
            due = hub.clock() + timedelta(seconds=2)
            release = await hub.releases.schedule(class_id, lab.id, INSTRUCTOR, due)
            assert release.status == "pending"
        # down while it falls due
        await asyncio.sleep(2.2)
        assert [received(stub, s, lab.correction.commands[0]) for s in students] == [0] * 4
        async with bot_on(stub, tmp_path) as bot:
            hub = bot.services.classes
            for _ in range(200):
                if (await hub.releases.get(release.id)).status == "released":
                    break
                await asyncio.sleep(0.05)
            released = await hub.releases.get(release.id)
            report = await hub.broadcasts.wait_done(released.broadcast_id, within=10)
            assert report.sent == 4
            assert await bot.services.labs.correction(students[0].id, lab.id) == lab.correction
        async with bot_on(stub, tmp_path) as bot:  # a third start releases nothing again
            await asyncio.sleep(0.3)
            assert len(await bot.services.classes.broadcasts.recent(class_id)) == 1
        assert [received(stub, s, lab.correction.commands[0]) for s in students] == [1] * 4


async def test_a_release_still_in_the_future_at_restart_is_armed_again(tmp_path):
    async with running_stub(token=TOKEN) as stub:
        async with bot_on(stub, tmp_path) as bot:
            class_id, students = await class_with_members(bot, 2)
            hub = bot.services.classes
            due = hub.clock() + timedelta(seconds=3)
            release = await hub.releases.schedule(class_id, "premiers-conteneurs", None, due)
        async with bot_on(stub, tmp_path) as bot:
            hub = bot.services.classes
            assert bot.application.job_queue.get_jobs_by_name(f"release-{release.id}")
            assert (await hub.releases.get(release.id)).status == "pending"
            for _ in range(100):
                if (await hub.releases.get(release.id)).status == "released":
                    break
                await asyncio.sleep(0.05)
            fired = await hub.releases.get(release.id)
            assert fired.status == "released"
            assert (await hub.broadcasts.wait_done(fired.broadcast_id, within=10)).sent == 2
        commands = hub.labs.get("premiers-conteneurs").correction.commands[0]
        assert [received(stub, s, commands) for s in students] == [1, 1]


def _entity_texts(message, kind: str) -> list[str]:
    text = message.text.encode("utf-16-le")
    return [
        text[2 * e["offset"]: 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.get("entities", []) if e["type"] == kind
    ]


async def test_the_correction_broadcast_reads_like_the_lab_page_not_like_markdown(tmp_path):
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path) as bot:
        class_id, [student] = await class_with_members(bot, 1)
        lab = bot.services.labs.labs.get("premiers-conteneurs")
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        await stub.wait_for(stub.send_text(teacher, f"/corriger {lab.id}"))
        [release] = await bot.services.classes.releases.of_class(class_id)
        await bot.services.classes.broadcasts.wait_done(release.broadcast_id, within=10)
        [received_] = [m for m in stub.messages(student) if lab.title in (m.text or "")]
        shown = received_.text
        assert "`" not in shown and "*Exited*" not in shown  # Markdown rendered, not shown
        assert "Exited" in _entity_texts(received_, "italic")
        assert "docker ps" in _entity_texts(received_, "code")
        # the sheet's lines are wrapped at 100 columns: a paragraph arrives as one line
        assert "le conteneur s'arrête aussitôt. docker ps (alias de docker container ls)" in shown
        assert "\n".join(lab.correction.commands) in _entity_texts(received_, "pre")
        # the student who opens the lab afterwards reads the same explanation there
        [page] = await stub.wait_for(stub.send_text(student, f"/tp {lab.id}"))
        stub.click(student, page, text="📝 Correction")
        page = await stub.wait_for_edit(page)
        paragraph = shown.split("\n\n")[1]
        assert paragraph in page.text


async def test_corriger_takes_the_number_tp_shows(tmp_path):
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path) as bot:
        class_id, _ = await class_with_members(bot, 1)
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        second = next(lab for lab in bot.services.labs.labs if lab.order == 2)
        [usage] = await stub.wait_for(stub.send_text(teacher, "/corriger"))
        assert f"\n2 {second.title}\n" in usage.text  # numbered as in /tp
        [reply] = await stub.wait_for(stub.send_text(teacher, "/corriger 2 2099-06-01 14:30"))
        assert second.title in reply.text
        [release] = await bot.services.classes.releases.of_class(class_id)
        assert release.lab_id == second.id
        [unknown] = await stub.wait_for(stub.send_text(teacher, "/corriger 99"))
        assert "Je ne connais pas de TP « 99 »" in unknown.text


async def test_a_bad_time_is_echoed_as_text_not_as_markup(tmp_path):
    """The time the instructor typed comes back in the error: escaped, or Telegram would refuse
    the reply (``<x`` is no tag) and the instructor would get nothing at all."""
    async with running_stub(token=TOKEN) as stub, bot_on(stub, tmp_path) as bot:
        await class_with_members(bot, 1)
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        first = next(lab for lab in bot.services.labs.labs if lab.order == 1)
        [reply] = await stub.wait_for(stub.send_text(teacher, f"/corriger {first.id} <x"))
        assert "<x" in reply.text
