"""The aiohttp backend speaks to a Bot API server the way PTB's httpx backend does."""

import asyncio
import socket

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from moussaillon.bot.request import AiohttpRequest
from tests.telegram_stub import running_stub


async def test_forms_multipart_and_errors_round_trip():
    async with running_stub() as stub:
        alice = stub.user(first_name="Alice")
        bot = Bot(stub.token, base_url=stub.base_url, request=AiohttpRequest())
        async with bot:
            me = await bot.get_me()
            assert me.username == stub.bot_username
            sent = await bot.send_message(alice.id, "<b>salut</b>", parse_mode="HTML")
            assert sent.text == "salut"
            doc = await bot.send_document(alice.id, InputFile(b"abc\n", filename="out.txt"),
                                          caption="fichier")
            assert stub.messages(alice)[-1].document == b"abc\n"
            assert doc.document.file_name == "out.txt"
            with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
                await bot.send_message(alice.id, "<div>x</div>", parse_mode="HTML")


async def test_timeouts_and_refused_connections_become_ptb_errors():
    async def silent(reader, writer):
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.3, write_timeout=0.3)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"http://127.0.0.1:{port}/botx/getMe", "POST")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed = sock.getsockname()[1]
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{closed}/botx/getMe", "POST")
    finally:
        await request.shutdown()
        server.close()
        await server.wait_closed()
