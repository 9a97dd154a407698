"""Real docker commands typed in Telegram, run on the real engine through the sandbox."""

import contextlib

import pytest

from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner


@pytest.fixture
async def student(sandbox_bot):
    user = sandbox_bot.stub.user(first_name="Alice", language_code="fr")
    try:
        yield user
    finally:
        with contextlib.suppress(Exception):
            await purge_owner(sandbox_bot.services.sandbox.engine, labels.owner_key(user.id))


async def test_docker_command_runs_and_shows_output_in_pre(sandbox_bot, student):
    stub = sandbox_bot.stub
    [reply] = await stub.wait_for(
        stub.send_text(student, "/docker run --rm alpine echo bonjour"), timeout=30
    )
    assert reply.text.strip() == "bonjour"
    assert reply.source_text.startswith("<pre>")
    [listing] = await stub.wait_for(stub.send_text(student, "docker ps -a"), timeout=30)
    assert "CONTAINER ID" in listing.text and "IMAGE" in listing.text


async def test_quoting_survives_from_telegram_to_the_container(sandbox_bot, student):
    stub = sandbox_bot.stub
    line = """/docker run --rm alpine sh -c 'echo "a  b" && echo c'"""
    [reply] = await stub.wait_for(stub.send_text(student, line), timeout=30)
    assert reply.text.splitlines() == ["a  b", "c"]


async def test_refusals_are_explained_in_the_users_language(sandbox_bot, student):
    stub = sandbox_bot.stub
    [fr] = await stub.wait_for(stub.send_text(student, "/docker run --privileged alpine"))
    assert fr.text.startswith("⛔") and "privileged" in fr.text
    english = stub.user(first_name="John", language_code="en")
    [en] = await stub.wait_for(stub.send_text(english, "docker run --privileged alpine"))
    assert en.text.startswith("⛔") and en.text != fr.text
    [usage] = await stub.wait_for(stub.send_text(student, "/docker"))
    assert "/docker run" in usage.text
    [syntax] = await stub.wait_for(stub.send_text(student, "docker run 'alpine"))
    assert syntax.text.startswith("⛔")


async def test_long_output_comes_as_a_file(sandbox_bot, student):
    stub = sandbox_bot.stub
    line = "docker run --rm alpine sh -c 'seq 1 3000'"
    [message, document] = await stub.wait_for(stub.send_text(student, line), count=2, timeout=30)
    assert "2999\n3000" in message.text and len(message.text) < 4096
    assert document.document.decode().splitlines()[0] == "1"
    assert document.document.decode().splitlines()[-1] == "3000"


async def test_status_and_reset(sandbox_bot, student):
    stub = sandbox_bot.stub
    await stub.wait_for(stub.send_text(student, "docker run -d --name web nginx"), timeout=30)
    [status] = await stub.wait_for(stub.send_text(student, "/sandbox"), timeout=30)
    assert "1/5" in status.text and "web" in status.text
    [question] = await stub.wait_for(stub.send_text(student, "/reset"), timeout=30)
    assert question.text.splitlines()[0] == t("tg.reset_confirm", "fr", minutes=2)
    yes = question.buttons[0]["callback_data"]
    [status] = await stub.wait_for(stub.send_text(student, "/sandbox"), timeout=30)
    assert "1/5" in status.text  # asked, not done
    other = stub.user(first_name="Bob")  # someone else's tap (in a group) does nothing
    answer = await stub.wait_for_answer(stub.click(other, question, text=t("tg.reset_yes", "fr")))
    assert answer["text"] == t("tg.confirm_expired", "fr")
    stub.click(student, question, text=t("tg.reset_yes", "fr"))
    done = await stub.wait_for_edit(question, timeout=30)
    assert done.text.startswith("🧹") and done.buttons == [] and done.text != question.text
    [status] = await stub.wait_for(stub.send_text(student, "/sandbox"), timeout=30)
    assert "0/5" in status.text
    # a second tap on the same button (sent before the edit reached the phone): nothing
    await stub.wait_for(stub.send_text(student, "docker run -d --name web2 nginx"), timeout=30)
    again = await stub.wait_for_answer(stub.callback(student, question, yes))
    assert again["text"] == t("tg.confirm_expired", "fr")
    [status] = await stub.wait_for(stub.send_text(student, "/sandbox"), timeout=30)
    assert "1/5" in status.text and "web2" in status.text


async def test_without_an_engine_every_sandbox_command_says_so(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice", language_code="fr")
    for text in ("/docker ps", "docker ps", "/reset", "/sandbox"):
        [reply] = await stub.wait_for(stub.send_text(alice, text))
        assert reply.text == t("tg.docker_disabled", "fr"), text
