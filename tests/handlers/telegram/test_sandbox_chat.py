"""The sandbox as a student on a phone meets it: bursts past the rate limit, answers in order,
advice the chat cannot follow, quotas that count what /sandbox shows."""

import asyncio
import contextlib
import re

import pytest

from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import start_bot


@contextlib.asynccontextmanager
async def sandbox_bot_with(tmp_path, **overrides):
    async with start_bot(tmp_path, sandbox=True, sandbox_timeout_s=10, **overrides) as bot:
        users = []
        try:
            yield bot, users
        finally:
            for user in users:
                with contextlib.suppress(Exception):
                    await purge_owner(bot.services.sandbox.engine, labels.owner_key(user.id))


async def quiet_after(stub, chat, seconds=1.5):
    """Nothing more from the bot in ``chat`` for ``seconds``."""
    with pytest.raises(TimeoutError):
        extra = await stub.wait_for(chat, timeout=seconds)
        pytest.fail(f"unexpected message: {extra[0].text!r}")


async def test_a_burst_past_the_limit_gets_one_refusal_after_the_answers_in_order(
    tmp_path, standin_images
):
    async with sandbox_bot_with(tmp_path, sandbox_burst=2, sandbox_commands_per_minute=1) as (
        bot,
        users,
    ):
        stub = bot.stub
        alice = stub.user(first_name="Alice")
        users.append(alice)
        start = stub.mark()
        for line in ("echo un", "echo deux", "ps", "ps", "ps", "ps"):
            word = "docker run --rm alpine " + line if line.startswith("echo") else "docker ps"
            stub.send_text(alice, word)
        first, second, refusal = await stub.wait_for(alice, count=3, timeout=30, after=start)
        assert (first.text.strip(), second.text.strip()) == ("un", "deux")
        assert refusal.text.startswith("⛔ Doucement")
        assert re.search(r"Réessayez dans [1-6]?[0-9] s\.", refusal.text)
        assert "restent sans réponse" in refusal.text
        await quiet_after(stub, alice)


async def test_the_burst_window_ends_and_a_later_burst_is_told_again(tmp_path, standin_images):
    async with sandbox_bot_with(tmp_path, sandbox_burst=1, sandbox_commands_per_minute=30) as (
        bot,
        users,
    ):
        stub = bot.stub
        bob = stub.user(first_name="Bob", language_code="en")
        users.append(bob)
        for _ in range(3):
            stub.send_text(bob, "docker help")
        ran, refused = await stub.wait_for(bob, count=2, timeout=30)
        assert "Usage" in ran.text and refused.text.startswith("⛔ Easy there")
        await quiet_after(stub, bob, 1.0)  # the third command of the burst: no answer
        await asyncio.sleep(2.5)  # past the window: a token is back
        stub.send_text(bob, "docker help")
        stub.send_text(bob, "docker help")
        ran, refused = await stub.wait_for(bob, count=2, timeout=30)
        assert "Usage" in ran.text and refused.text.startswith("⛔ Easy there")


async def test_hello_world_says_which_it_shell_opens_here(sandbox_bot):
    stub = sandbox_bot.stub
    eve = stub.user(first_name="Eve")
    try:
        [reply] = await stub.wait_for(stub.send_text(eve, "docker run hello-world"), timeout=30)
        assert "Hello from Docker!" in reply.text and "docker run -it" in reply.text
        tip = reply.text.split("docker run -it", 1)[1]
        assert "💡 Les shells -it s'ouvrent ici" in tip and "docker run -it --rm debian bash" in tip
        [opened] = await stub.wait_for(stub.send_text(eve, "docker run -it alpine sh"), timeout=30)
        assert "Shell ouvert" in opened.text
        start = stub.mark()
        stub.send_text(eve, "/quitter_shell")
        for count in range(1, 5):  # the shell's first prompt may come in between
            got = await stub.wait_for(eve, count=count, timeout=30, after=start)
            if any("Shell fermé" in m.text for m in got):
                break
        else:
            pytest.fail(f"no end of shell in {[m.text for m in got]}")
    finally:
        await purge_owner(sandbox_bot.services.sandbox.engine, labels.owner_key(eve.id))


async def test_the_container_quota_counts_what_sandbox_shows_not_volume_keepers(
    tmp_path, standin_images
):
    async with sandbox_bot_with(tmp_path, sandbox_max_containers=2) as (bot, users):
        stub = bot.stub
        carl = stub.user(first_name="Carl")
        users.append(carl)
        for line in (
            "docker volume create donnees",
            "docker run -d --name un -v donnees:/data alpine sleep 60",
            "docker run -d --name deux alpine sleep 60",
        ):
            [reply] = await stub.wait_for(stub.send_text(carl, line), timeout=30)
            assert not reply.text.startswith("⛔"), (line, reply.text)
        [status] = await stub.wait_for(stub.send_text(carl, "/sandbox"), timeout=30)
        assert "Conteneurs : 2/2" in status.text and "Volumes : 1/" in status.text
        [full] = await stub.wait_for(
            stub.send_text(carl, "docker run -d --name trois alpine sleep 60"), timeout=30
        )
        assert (
            full.text == "⛔ Vous avez déjà 2 conteneurs (le maximum). Supprimez-en un "
            "(docker rm -f NOM) ou faites le ménage (docker container prune -f)."
        )
