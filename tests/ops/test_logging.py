"""Structured logs: one JSON line per update and per sandbox command, and no secret in them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from moussaillon.ops.logging import REDACTED, scrub
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import TOKEN, make_settings, start_bot


async def test_each_update_gives_one_json_line_with_user_action_duration_outcome(
    tmp_path: Path, capture_logs
):
    async with start_bot(tmp_path, log_format="json") as bot:
        logs = capture_logs(bot.services.settings)
        alice = bot.stub.user(first_name="Alice")
        await bot.stub.wait_for(bot.stub.send_text(alice, "/cours"))
        line = await logs.wait_for(lambda e: e.get("msg") == "update handled")
    assert line["user"] == alice.id
    assert line["action"] == "/cours"
    assert line["outcome"] == "ok"
    assert isinstance(line["duration_ms"], int) and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "moussaillon.updates"
    assert len([e for e in logs.lines() if e.get("msg") == "update handled"]) == 1


async def test_neither_the_bot_token_nor_an_api_token_reaches_the_log(tmp_path: Path, capture_logs):
    """/token sends the student a fresh API token, and at DEBUG PTB logs what it sends; Bot API
    URLs hold the bot token. Neither may reach the log."""
    async with start_bot(tmp_path, log_format="json", log_level="DEBUG") as bot:
        logs = capture_logs(bot.services.settings)
        for name in ("httpx", "telegram", "telegram.ext.ExtBot"):
            logging.getLogger(name).setLevel(logging.DEBUG)
            logging.getLogger(name).disabled = False  # a uvicorn dictConfig elsewhere may have
        alice = bot.stub.user(first_name="Alice")
        [reply] = await bot.stub.wait_for(bot.stub.send_text(alice, "/token"))
        await logs.wait_for(lambda e: e.get("action") == "/token")
    api_token = next(word for word in reply.text.split() if word.startswith("mss_"))
    assert TOKEN not in logs.text
    assert api_token not in logs.text
    # the line that carried the API token is there, scrubbed (PTB logs what it sends)
    assert any(REDACTED in e["msg"] and "sendMessage" in e["msg"] for e in logs.lines())


def test_text_format_keeps_event_fields_greppable(tmp_path: Path, capture_logs):
    logs = capture_logs(make_settings(tmp_path, log_format="text"))
    logging.getLogger("moussaillon.test").info(
        "sandbox command",
        extra={"user": 7, "action": "docker ps", "duration_ms": 12, "outcome": "ran"},
    )
    line = logs.text.strip()
    assert line.endswith("sandbox command user=7 action=docker ps duration_ms=12 outcome=ran")


def test_scrub_removes_token_shapes_it_was_not_told_about():
    bot = "7012345678:AAH" + "x" * 32
    text = scrub(f"POST https://api.telegram.org/bot{bot}/getMe Authorization: Bearer mss_ab12cd34")
    assert bot not in text and "mss_ab12cd34" not in text
    assert text.count(REDACTED) == 2


@pytest.mark.docker
async def test_a_sandbox_command_logs_its_verb_not_its_arguments(sandbox_bot, capture_logs):
    stub, services = sandbox_bot.stub, sandbox_bot.services
    logs = capture_logs(make_settings(Path(services.settings.db_path).parent, log_format="json"))
    student = stub.user(first_name="Noa")
    try:
        line = "/docker run --rm -e PASSWORD=hunter2-secret alpine echo done"
        [reply] = await stub.wait_for(stub.send_text(student, line), timeout=30)
        entry = await logs.wait_for(lambda e: e.get("msg") == "sandbox command")
    finally:
        await purge_owner(services.sandbox.engine, labels.owner_key(student.id))
    assert "done" in reply.text
    assert entry["user"] == student.id and entry["action"] == "docker run"
    assert entry["outcome"] == "ran" and entry["exit_code"] == 0
    assert entry["duration_ms"] > 0
    assert "hunter2-secret" not in logs.text


def test_the_configured_bot_token_is_redacted_even_when_it_has_no_usual_shape(
    tmp_path: Path, capture_logs
):
    logs = capture_logs(make_settings(tmp_path, telegram_token=TOKEN, log_format="json"))
    logging.getLogger("httpx").warning("HTTP Request: POST http://127.0.0.1/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/sendMessage")
    except RuntimeError:
        logging.getLogger("moussaillon").exception("boom")
    assert TOKEN not in logs.text
    assert logs.text.count(f"/bot{REDACTED}/") == 2  # in a message and in a traceback
