"""/terminal through the Bot API stand-in: a zip with the student's certificate, then revoked."""

from __future__ import annotations

import io
import zipfile

from moussaillon.core.i18n import t
from tests.conftest import start_bot


async def test_terminal_sends_the_zip_and_the_context_commands_then_revokes(tmp_path) -> None:
    async with start_bot(tmp_path, terminal_port=2376, terminal_host="docker.ecole.fr") as bot:
        stub = bot.stub
        alice = stub.user(first_name="Alice", language_code="fr")
        [sent] = await stub.wait_for(stub.send_text(alice, "/terminal"))
        assert sent.filename == "moussaillon-terminal.zip"
        with zipfile.ZipFile(io.BytesIO(sent.document)) as z:
            assert sorted(z.namelist()) == ["ca.pem", "cert.pem", "config.json", "key.pem"]
            assert b'"Authorization": "Bearer mst_' in z.read("config.json")
            assert z.read("key.pem").startswith(b"-----BEGIN PRIVATE KEY-----")
        assert "docker context create moussaillon" in sent.text
        assert "host=tcp://docker.ecole.fr:2376,ca=$HOME/.moussaillon/ca.pem,cert=" in sent.text
        assert "docker context use moussaillon" in sent.text
        assert "export DOCKER_CONFIG=$HOME/.moussaillon" in sent.text
        [revoked] = await stub.wait_for(stub.send_text(alice, "/terminal revoquer"))
        assert revoked.text == t("terminal.revoked_count", "fr", count=1)


async def test_terminal_says_so_when_the_endpoint_is_off(bot) -> None:
    alice = bot.stub.user(first_name="Alice", language_code="fr")
    [sent] = await bot.stub.wait_for(bot.stub.send_text(alice, "/terminal"))
    assert sent.text == t("terminal.unavailable", "fr")
