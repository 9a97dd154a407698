"""A shell in the chat, as a student on a phone uses it: open, type, read, leave."""

import asyncio
import contextlib

import pytest

from moussaillon.app import build_services
from moussaillon.bot.application import create_telegram_app, polling
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import TOKEN, make_settings, start_bot
from tests.telegram_stub import running_stub

pytestmark = pytest.mark.docker


@contextlib.asynccontextmanager
async def shell_bot(tmp_path, **overrides):
    async with start_bot(tmp_path, sandbox=True, sandbox_timeout_s=10, **overrides) as bot:
        users = []
        try:
            yield bot, users
        finally:
            for user in users:
                with contextlib.suppress(Exception):
                    await purge_owner(bot.services.sandbox.engine, labels.owner_key(user.id))


async def reply_to(stub, user, text, *, count=1, wait_s=30):
    start = stub.mark()
    stub.send_text(user, text)
    return await stub.wait_for(user, count=count, timeout=wait_s, after=start)


async def until(stub, user, needle, start, wait_s=30):
    """Messages after ``start`` until one holds ``needle``; that one."""
    count = 1
    while True:
        got = await stub.wait_for(user, count=count, timeout=wait_s, after=start)
        hit = next((m for m in got if needle in (m.text or "")), None)
        if hit is not None:
            return hit
        count += 1


async def test_a_shell_in_the_chat_takes_the_messages_until_the_student_leaves(
    tmp_path, standin_images
):
    async with shell_bot(tmp_path) as (bot, users):
        stub = bot.stub
        alice = stub.user(first_name="Alice")
        users.append(alice)
        (opened,) = await reply_to(stub, alice, "docker run -it --rm --name box alpine sh")
        assert "Shell ouvert" in opened.text and "/quitter_shell" in opened.text
        start = stub.mark()
        stub.send_text(alice, "echo $((20+22))")
        answer = await until(stub, alice, "42", start)
        assert "/ # " in answer.text  # the prompt comes back after the answer
        start = stub.mark()
        stub.send_text(alice, "docker ps")  # inside the shell: the shell runs it
        await until(stub, alice, "not found", start)
        start = stub.mark()
        stub.send_text(alice, "/quitter_shell")
        closed = await until(stub, alice, "Shell fermé", start)
        assert "box" in closed.text
        start = stub.mark()
        stub.send_text(alice, "docker ps -a")  # a command again
        table = await until(stub, alice, "CONTAINER ID", start)
        assert "box" not in table.text  # --rm: gone with the shell


async def test_exit_ends_the_shell_and_a_second_one_is_refused_while_one_is_open(
    tmp_path, standin_images
):
    async with shell_bot(tmp_path) as (bot, users):
        stub = bot.stub
        bob = stub.user(first_name="Bob")
        users.append(bob)
        await reply_to(stub, bob, "docker run -it --rm alpine sh")
        (refused,) = await reply_to(stub, bob, "/docker run -it --rm alpine sh")
        assert refused.text.startswith("⛔") and "/quitter_shell" in refused.text
        (table,) = await reply_to(stub, bob, "/docker ps")  # commands beside the shell
        assert "CONTAINER ID" in table.text
        start = stub.mark()
        stub.send_text(bob, "exit 4")
        ended = await until(stub, bob, "Shell terminé", start)
        assert "4" in ended.text
        (none,) = await reply_to(stub, bob, "/quitter_shell")
        assert "Aucun shell" in none.text


async def test_a_long_burst_comes_as_a_file(tmp_path, standin_images):
    async with shell_bot(tmp_path) as (bot, users):
        stub = bot.stub
        eve = stub.user(first_name="Eve")
        users.append(eve)
        await reply_to(stub, eve, "docker run -it --rm alpine sh")
        start = stub.mark()
        stub.send_text(eve, "seq 1 2000")
        async with asyncio.timeout(30):
            while not any(m.filename == "shell.txt" for m in stub.messages(eve)[-5:]):
                await asyncio.sleep(0.1)
        files = [m for m in stub.messages(eve) if m.filename == "shell.txt" and m.seq > start]
        shown = b"".join(m.document for m in files).decode()
        assert "\n1999\n2000\n" in shown.replace("\r", "")
        assert "\x1b" not in shown  # the chat's text: no escapes
        await reply_to(stub, eve, "/quitter_shell")


async def test_a_shell_opens_only_in_a_private_chat(tmp_path, standin_images):
    async with shell_bot(tmp_path) as (bot, users):
        stub = bot.stub
        carol = stub.user(first_name="Carol")
        users.append(carol)
        group = stub.group()
        start = stub.mark()
        stub.send_text(carol, "/docker run -it alpine sh", chat=group)
        (answer,) = await stub.wait_for(group, timeout=30, after=start)
        assert "conversation privée" in answer.text


async def test_a_bot_that_stops_ends_the_open_shell_and_says_so(tmp_path, standin_images):
    """PTB's stop waits for the forwarding task: the shell must end first, told, removed."""
    async with running_stub(token=TOKEN) as stub:
        settings = make_settings(
            tmp_path,
            telegram_token=TOKEN,
            telegram_base_url=stub.base_url,
            telegram_base_file_url=stub.base_file_url,
        )
        dan = stub.user(first_name="Dan")
        async with build_services(settings) as services:
            try:
                async with polling(create_telegram_app(services)):
                    await reply_to(stub, dan, "docker run -it --rm --name left alpine sh")
                async with asyncio.timeout(30):  # stopped: the end was sent before
                    while not any("Le bot redémarre" in m.text for m in stub.messages(dan)):
                        await asyncio.sleep(0.1)
                assert services.sandbox.shell_of(dan.id) is None
                listed = await services.sandbox.run_command(dan.id, "docker ps -a -q")
                assert listed.output.strip() == ""
            finally:
                await purge_owner(services.sandbox.engine, labels.owner_key(dan.id))
