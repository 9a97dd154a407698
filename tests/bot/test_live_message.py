"""The live message against the Bot API stand-in: a real PTB application answers a student's
message while an async source prints like a build, under Telegram's flood limits."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from html import escape

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, MessageHandler, filters

from moussaillon.bot.live_message import TEXT_LIMIT, LiveMessage, tail_within, utf16_len
from tests.stub_tests.support import NOT_MODIFIED
from tests.telegram_stub import FakeUser, TelegramStub, running_bot, running_stub

STATUS = "<i>⏳ en cours…</i>"


async def build_output(steps: int, pause: float, width: int = 0) -> AsyncIterator[str]:
    """What a classic builder prints, a step at a time, as slowly as a real one."""
    for step in range(1, steps + 1):
        await asyncio.sleep(pause)
        yield f"Step {step}/{steps} : RUN echo {step}\n ---> Running in {step:012x}\n"
        if width:
            yield "".join(f"{step}.{n} {'x' * width}\n" for n in range(20))
    yield "Successfully built 0123456789ab\nSuccessfully tagged prime:scratch\n"


Scenario = Callable[[Update], Awaitable[LiveMessage]]


async def answer_with(
    stub: TelegramStub, scenario: Scenario, *, chat=None
) -> tuple[LiveMessage, FakeUser]:
    """A PTB application whose one handler plays ``scenario``; a student writes to it."""
    done: asyncio.Future[LiveMessage] = asyncio.get_running_loop().create_future()

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            done.set_result(await scenario(update))
        except Exception as exc:
            done.set_exception(exc)

    application = stub.application_builder().build()
    application.add_handler(MessageHandler(filters.TEXT, handle))
    student = stub.user(first_name="Alice")
    async with running_bot(application):
        stub.send_text(student, "docker build -t prime:scratch .", chat=chat)
        return await asyncio.wait_for(done, 120), student


def streamed(source: Callable[[], AsyncIterator[str]], result: str, **finish) -> Scenario:
    async def scenario(update: Update) -> LiveMessage:
        assert update.message is not None
        async with LiveMessage(update.message, status_html=STATUS) as live:
            async for chunk in source():
                await live.feed(chunk)
            await live.finish(result, **finish)
        return live

    return scenario


def calls_to(stub: TelegramStub, chat_id: int) -> list:
    return [c for c in stub.requests if c.params.get("chat_id") == chat_id]


@pytest.fixture
async def stub() -> AsyncIterator[TelegramStub]:
    async with running_stub() as running:
        yield running


async def test_one_message_follows_the_build_within_the_chats_limits(stub):
    stub.enforce_rate_limits(per_chat_per_second=1)
    live, student = await answer_with(
        stub, streamed(lambda: build_output(12, 0.4), "<pre>Successfully built</pre>\n✅")
    )
    calls = calls_to(stub, student.id)
    assert all(c.ok for c in calls), [c.response for c in calls if not c.ok]
    assert [c.method for c in calls if c.method == "sendMessage"] == ["sendMessage"]
    edits = [c for c in calls if c.method == "editMessageText"]
    assert len(edits) == live.edits >= 2  # at least one while it ran, then the result
    at = [c.at for c in calls]
    assert min(b - a for a, b in itertools.pairwise(at)) >= 1.0
    span = at[-1] - at[0]
    assert len(edits) <= span / live.interval + 2
    texts = [c.params["text"] for c in edits]
    assert len(set(texts)) == len(texts)  # never the same text twice
    assert all(STATUS in text for text in texts[:-1])
    assert "Step 1/12" in texts[0] and "Step 12/12" not in texts[0]
    [message] = stub.messages(student)
    assert message.text == "Successfully built\n✅"
    assert live.message is not None and live.message.message_id == message.message_id
    assert live.throttled == 0


async def test_a_long_log_keeps_the_tail_in_the_message_and_comes_whole_as_a_file(stub):
    log: list[str] = []

    async def source() -> AsyncIterator[str]:
        async for chunk in build_output(8, 0.3, width=40):
            log.append(chunk)
            yield chunk

    async def scenario(update: Update) -> LiveMessage:
        assert update.message is not None
        async with LiveMessage(update.message, status_html=STATUS) as live:
            async for chunk in source():
                await live.feed(chunk)
            whole = "".join(log)
            tail = tail_within(whole, 3500)
            await live.finish(
                f"<pre>{escape(tail)}</pre>", document=whole.encode(), filename="build.log"
            )
        return live

    live, student = await answer_with(stub, scenario)
    whole = "".join(log)
    assert utf16_len(whole) > TEXT_LIMIT
    calls = calls_to(stub, student.id)
    assert all(c.ok for c in calls), [c.response for c in calls if not c.ok]
    assert live.received == len(whole)
    text_message, document = stub.messages(student)
    assert text_message.text.startswith("…\n") and text_message.text.endswith(
        "Successfully tagged prime:scratch\n"
    )
    assert document.filename == "build.log" and document.document == whole.encode()
    for edit in (c for c in calls if c.method == "editMessageText"):
        assert "Step 8/8" in edit.params["text"] or edit.params["text"].startswith("<pre>…")


async def test_a_429_is_waited_out_and_the_newest_tail_shown_after(stub):
    stub.fail_next("editMessageText", retry_after=2, count=1)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Vérifier", callback_data="tp:x")]])
    live, student = await answer_with(
        stub,
        streamed(lambda: build_output(10, 0.4), "<b>Fini</b>", reply_markup=keyboard),
    )
    edits = stub.calls("editMessageText")
    refused = next(i for i, c in enumerate(edits) if c.status == 429)
    assert edits[refused + 1].at - edits[refused].at >= 2.0
    assert live.throttled == 1
    [message] = stub.messages(student)
    assert message.text == "Fini" and message.buttons[0]["text"] == "Vérifier"


async def test_telegram_saying_not_modified_is_no_failure(stub):
    stub.fail_next("editMessageText", code=400, retry_after=None, description=NOT_MODIFIED)
    _, student = await answer_with(stub, streamed(lambda: build_output(6, 0.4), "<pre>ok</pre>"))
    assert stub.calls("editMessageText")[0].status == 400
    assert [m.text for m in stub.messages(student)] == ["ok"]


async def test_without_output_the_result_is_the_one_answer(stub):
    async def nothing() -> AsyncIterator[str]:
        await asyncio.sleep(0.1)
        for chunk in ("", "\n"):
            yield chunk

    live, _student = await answer_with(stub, streamed(nothing, "✅"))
    assert [c.method for c in stub.requests if "chat_id" in c.params] == ["sendMessage"]
    assert live.edits == 0


async def test_in_a_group_the_edits_stay_under_twenty_a_minute(stub):
    stub.enforce_rate_limits(per_chat_per_second=1, group_per_minute=20)
    classe = stub.group()
    live, _student = await answer_with(
        stub, streamed(lambda: build_output(10, 0.5), "<pre>ok</pre>"), chat=classe
    )
    calls = calls_to(stub, classe.id)
    assert all(c.ok for c in calls)
    assert live.interval == 3.0
    at = [c.at for c in calls]
    assert min(b - a for a, b in itertools.pairwise(at)) >= 1.0
    assert len(calls) <= (at[-1] - at[0]) / 3.0 + 2


async def test_a_live_message_deleted_meanwhile_gets_the_result_anew(stub):
    async def scenario(update: Update) -> LiveMessage:
        assert update.message is not None
        async with LiveMessage(update.message, status_html=STATUS) as live:
            async for chunk in build_output(3, 0.3):
                await live.feed(chunk)
            await asyncio.sleep(0.5)
            assert live.message is not None
            posted = stub.world.find(live.message.chat_id, live.message.message_id)
            stub.world.delete(posted)
            await live.finish("<b>Fini</b>")
        return live

    _, student = await answer_with(stub, scenario)
    assert [m.text for m in stub.messages(student)] == ["Fini"]
