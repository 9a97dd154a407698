"""Every link the bot hands out starts at ``Settings.public_base_url``: ``MOUSSAILLON_PUBLIC_URL``
when set (the address people reach, behind a proxy), else http://HTTP_HOST:HTTP_PORT."""

import asyncio

from tests.conftest import make_settings, start_bot

PUBLIC = "https://moussaillon.example.org"
INSTRUCTOR = 1000


def test_the_base_url_falls_back_to_host_and_port(tmp_path):
    assert make_settings(tmp_path).public_base_url == "http://127.0.0.1:8000"
    local = make_settings(tmp_path, http_host="10.0.0.5", http_port=9000)
    assert local.public_base_url == "http://10.0.0.5:9000"
    assert make_settings(tmp_path, public_url=f"{PUBLIC}/").public_base_url == PUBLIC
    assert make_settings(tmp_path, public_url="").public_base_url == "http://127.0.0.1:8000"


async def test_token_tableau_and_the_live_screen_use_the_public_url(tmp_path):
    async with start_bot(tmp_path, public_url=f"{PUBLIC}/") as bot:
        stub = bot.stub
        teacher = stub.user(INSTRUCTOR, first_name="Prof")
        [token] = await stub.wait_for(stub.send_text(teacher, "/token"))
        assert f"{PUBLIC}/api/v1/sandbox/run" in token.text
        assert "127.0.0.1" not in token.text

        info = await bot.services.classes.classes.create(INSTRUCTOR, "Docker A")
        [board] = await stub.wait_for(stub.send_text(teacher, "/tableau"))
        assert f"{PUBLIC}/classes/{info.id}?u={INSTRUCTOR}&exp=" in board.text

        group = stub.group("Promo")
        [starting] = await stub.wait_for(
            stub.send_text(teacher, "/quiz_live docker 1 30", chat=group)
        )
        session = await bot.services.quiz.live.active_in(group.id)
        assert f"{PUBLIC}/live/{session.id}" in starting.text
        stub.send_text(teacher, "/quiz_stop", chat=group)
        async with asyncio.timeout(10):
            while await bot.services.quiz.live.active_in(group.id) is not None:
                await asyncio.sleep(0.05)


async def test_without_a_public_url_token_shows_the_http_address(tmp_path):
    async with start_bot(tmp_path, http_port=8123) as bot:
        alice = bot.stub.user(first_name="Alice")
        [token] = await bot.stub.wait_for(bot.stub.send_text(alice, "/token"))
        assert "http://127.0.0.1:8123/api/v1/sandbox/run" in token.text
