"""Progress in Telegram: /progres (text with bars and a chart), /classe_stats, /tableau, /tokens."""

from datetime import UTC, datetime
from urllib.parse import urlparse

from moussaillon.classes.progress import bar
from tests.classes.harness import INSTRUCTOR, class_with_members


async def _activity(bot, user_id):
    services = bot.services
    chapter = services.course.course.chapters[0]
    for section in chapter.sections[:4]:
        await services.progress.record_view(user_id, section.id)
    lab = services.labs.labs.get("premiers-conteneurs")
    for step in range(1, len(lab.steps) + 1):
        await services.labs.mark_done(user_id, lab.id, step)
    now = datetime.now(UTC).isoformat(timespec="seconds")

    def quiz_and_sandbox(db):
        for i, correct in enumerate([1, 1, 0, 1]):
            db["quiz_attempts"].insert({"user_id": user_id, "question_id": f"q{i}", "chosen": 0,
                                        "correct": correct, "answered_at": now})
        for verb in ("run", "ps"):
            db["sandbox_commands"].insert({"user_id": user_id, "command": f"docker {verb}",
                                           "verb": verb, "verdict": "ran", "created_at": now})

    await services.store.write(quiz_and_sandbox)
    return chapter, lab


async def test_progres_shows_bars_and_sends_a_chart(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    chapter, _ = await _activity(bot, alice.id)
    text, photo = await stub.wait_for(stub.send_text(alice, "/progres"), count=2, timeout=60)
    total = len(chapter.sections)
    assert f"{bar(4, total)}</code> 4/{total} {chapter.title}" in text.source_text or \
        f"{bar(4, total)} 4/{total} {chapter.title}" in text.text
    assert "3/4 bonnes réponses (75\u00a0%)" in text.text
    assert f"1/{len(bot.services.labs.labs)} terminés" in text.text
    assert "Commandes docker : 2" in text.text
    [call] = stub.calls("sendPhoto")
    assert call.ok and photo.chat_id == alice.id
    sections = sum(len(c.sections) for c in bot.services.course.course.chapters)
    assert photo["caption"].startswith(f"Votre progression : 4 sections lues sur {sections} · ")
    assert "3 bonnes réponses sur 4 au quiz (75\u00a0%)" in photo["caption"]
    assert photo.file.content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_classe_stats_and_a_signed_dashboard_link(bot):
    stub = bot.stub
    class_id, students = await class_with_members(bot, 3)
    await _activity(bot, students[0].id)
    teacher = stub.user(INSTRUCTOR, first_name="Prof")
    [stats] = await stub.wait_for(stub.send_text(teacher, "/classe_stats"))
    assert "3 élèves" in stats.text and "3/4 bonnes réponses (75\u00a0%)" in stats.text
    sections = sum(len(c.sections) for c in bot.services.course.course.chapters)
    assert f"1,3 section lue en moyenne sur {sections}\n" in stats.text  # 4 read by 3 students
    assert "Actifs ces 7 jours : 1" in stats.text
    [link] = await stub.wait_for(stub.send_text(teacher, "/tableau"))
    url = next(word for word in link.text.split() if word.startswith("http"))
    parsed = urlparse(url)
    assert parsed.path == f"/classes/{class_id}" and "sig=" in parsed.query


async def test_tokens_lists_and_revokes_own_keys(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    await stub.wait_for(stub.send_text(alice, "/token"))
    [listing] = await stub.wait_for(stub.send_text(alice, "/tokens"))
    [row] = await bot.services.tokens.list(alice.id)
    assert str(row["id"]) in listing.text
    bob = stub.user(first_name="Bob")
    [refused] = await stub.wait_for(stub.send_text(bob, f"/tokens revoquer {row['id']}"))
    assert "Aucune clé active" in refused.text
    [done] = await stub.wait_for(stub.send_text(alice, f"/tokens revoquer {row['id']}"))
    assert "révoquée" in done.text
    assert (await bot.services.tokens.list(alice.id))[0]["revoked_at"]
