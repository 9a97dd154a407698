"""A student's files are their work: neither the sandbox's idle reaping nor a plain ``/reset``
removes them (real engine; fails, never skips, under CI without one)."""

from __future__ import annotations

from moussaillon.core.i18n import t


async def test_idle_reaping_and_reset_leave_the_files(sandbox_bot, clean_user_id):
    services = sandbox_bot.services
    sandbox, workspace = services.sandbox, services.workspace
    user = clean_user_id
    await workspace.write(user, "Dockerfile", b"FROM busybox\n")
    result = await sandbox.run_command(user, "docker volume create notes")
    assert result.exit_code == 0, result.output
    assert (await sandbox.inventory(user)).volumes == ["notes"]
    await services.store.write(
        lambda db: db.execute(
            "UPDATE sandbox_sessions SET last_used = '2000-01-01T00:00:00+00:00' WHERE user_id = ?",
            [user],
        )
    )
    await sandbox.reaper.reap_orphans()
    assert (await sandbox.inventory(user)).volumes == []  # the reaper did run for this student
    assert await workspace.snapshot(user) == {"Dockerfile": b"FROM busybox\n"}
    await sandbox.reset(user)
    assert await workspace.snapshot(user) == {"Dockerfile": b"FROM busybox\n"}


async def test_the_reset_question_says_the_files_stay(sandbox_bot):
    stub = sandbox_bot.stub
    alice = stub.user(language_code="fr")
    [question] = await stub.wait_for(stub.send_text(alice, "/reset"), timeout=30)
    assert question.text.splitlines()[0] == t("tg.reset_confirm", "fr", minutes=2)
    assert "/reset fichiers" in question.text
