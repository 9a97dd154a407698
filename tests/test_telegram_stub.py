"""The Telegram stand-in behaves like the Bot API, over real HTTP and under the real PTB."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from tests.telegram_stub import TelegramStub, running_bot, running_stub

REPO = Path(__file__).resolve().parent.parent

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@pytest.fixture
async def stub() -> AsyncIterator[TelegramStub]:
    async with running_stub() as running:
        yield running


@pytest.fixture
async def http(stub: TelegramStub) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stub.url) as client:
        yield client


@pytest.fixture
async def bot(stub: TelegramStub) -> AsyncIterator[Bot]:
    async with Bot(stub.token, base_url=stub.base_url, base_file_url=stub.base_file_url) as b:
        yield b


def api(stub: TelegramStub, method: str) -> str:
    return f"/bot{stub.token}/{method}"


# -- a small bot, the real PTB way -----------------------------------------------------------


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Chapitre 1", callback_data="ch:1"),
                                      InlineKeyboardButton("Chapitre 2", callback_data="ch:2")]])
    await update.effective_message.reply_text("<b>Bienvenue</b> !", parse_mode=ParseMode.HTML,
                                              reply_markup=keyboard)


async def on_cours(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(f"cours {' '.join(context.args or [])}".strip())


async def on_click(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"ouverture {query.data}")
    await query.edit_message_text(f"Chapitre choisi : {query.data}")


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    answer = update.poll_answer
    await context.bot.send_message(answer.user.id, f"vote {answer.option_ids}")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def course_bot(stub: TelegramStub) -> Application[Any, Any, Any, Any, Any, Any]:
    return with_handlers(stub.application_builder().build())


def with_handlers(
    app: Application[Any, Any, Any, Any, Any, Any],
) -> Application[Any, Any, Any, Any, Any, Any]:
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("cours", on_cours))
    app.add_handler(CallbackQueryHandler(on_click))
    app.add_handler(PollAnswerHandler(on_vote))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return app


# -- HTTP: envelopes, bodies, long polling ----------------------------------------------------


async def test_get_me_answers_in_an_ok_envelope(stub: TelegramStub, http: httpx.AsyncClient):
    response = await http.post(api(stub, "getMe"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["result"]["username"] == "moussaillon_bot"
    assert body["result"]["is_bot"] is True


async def test_a_wrong_token_is_unauthorized(stub: TelegramStub, http: httpx.AsyncClient):
    response = await http.post("/bot999:wrong/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_an_unknown_method_is_a_clear_400(stub: TelegramStub, http: httpx.AsyncClient):
    response = await http.post(api(stub, "sendDice"), data={"chat_id": "1"})
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert '"sendDice" is not implemented' in response.json()["description"]


async def test_form_json_and_multipart_bodies_are_decoded(
    stub: TelegramStub, http: httpx.AsyncClient
):
    alice = stub.user()
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    form = await http.post(api(stub, "sendMessage"), data={
        "chat_id": str(alice.id), "text": "form", "reply_markup": json.dumps(markup)})
    as_json = await http.post(api(stub, "sendMessage"),
                              json={"chat_id": alice.id, "text": "json", "reply_markup": markup})
    multipart = await http.post(
        api(stub, "sendDocument"),
        data={"chat_id": str(alice.id), "caption": "notes"},
        files={"document": ("notes.txt", b"docker run hello-world\n", "text/plain")})
    assert [r.status_code for r in (form, as_json, multipart)] == [200, 200, 200]
    sent = stub.messages(alice)
    assert [m.text for m in sent] == ["form", "json", "notes"]
    assert sent[0].buttons == [{"text": "Go", "callback_data": "go"}]
    assert sent[1]["reply_markup"] == markup
    assert sent[2].document == b"docker run hello-world\n"
    assert sent[2].filename == "notes.txt"
    assert multipart.json()["result"]["document"]["file_name"] == "notes.txt"


async def test_a_long_poll_wakes_as_soon_as_an_update_arrives(
    stub: TelegramStub, http: httpx.AsyncClient
):
    alice = stub.user()
    poll = asyncio.create_task(http.post(api(stub, "getUpdates"), json={"timeout": 10}))
    await asyncio.sleep(0.05)
    assert not poll.done()
    started = time.monotonic()
    injected = stub.send_text(alice, "coucou")
    response = await poll
    assert time.monotonic() - started < 1.0
    assert [u["update_id"] for u in response.json()["result"]] == [injected.update_id]
    assert response.json()["result"][0]["message"]["text"] == "coucou"


async def test_a_long_poll_honours_its_timeout(stub: TelegramStub, http: httpx.AsyncClient):
    started = time.monotonic()
    response = await http.post(api(stub, "getUpdates"), data={"timeout": "0.3"})
    assert response.json() == {"ok": True, "result": []}
    assert time.monotonic() - started >= 0.3


async def test_offset_confirms_updates_which_are_then_never_redelivered(
    stub: TelegramStub, http: httpx.AsyncClient
):
    alice = stub.user()
    first, second = stub.send_text(alice, "un"), stub.send_text(alice, "deux")
    unconfirmed = (await http.post(api(stub, "getUpdates"))).json()["result"]
    again = (await http.post(api(stub, "getUpdates"))).json()["result"]
    assert [u["update_id"] for u in unconfirmed] == [first.update_id, second.update_id]
    assert again == unconfirmed
    tail = await http.post(api(stub, "getUpdates"), json={"offset": second.update_id})
    assert [u["update_id"] for u in tail.json()["result"]] == [second.update_id]
    done = await http.post(api(stub, "getUpdates"), json={"offset": second.update_id + 1})
    assert done.json()["result"] == []
    assert stub.pending_updates() == []


async def test_limit_and_allowed_updates_filter_what_is_delivered(
    stub: TelegramStub, http: httpx.AsyncClient
):
    alice = stub.user()
    for text in ("a", "b", "c"):
        stub.send_text(alice, text)
    limited = await http.post(api(stub, "getUpdates"), json={"limit": 2})
    assert [u["message"]["text"] for u in limited.json()["result"]] == ["a", "b"]
    only_callbacks = await http.post(
        api(stub, "getUpdates"), json={"allowed_updates": ["callback_query"]})
    assert only_callbacks.json()["result"] == []


async def test_the_http_control_api_drives_a_bot_in_another_process(
    stub: TelegramStub, http: httpx.AsyncClient
):
    user = (await http.post("/_stub/users", json={"first_name": "Bob"})).json()
    injected = (await http.post("/_stub/text", json={"user_id": user["id"], "text": "/start"})
                ).json()
    assert injected["update"]["message"]["entities"][0]["type"] == "bot_command"
    waiting = asyncio.create_task(http.get("/_stub/messages", params={
        "after": injected["marker"], "timeout": 5}))
    await asyncio.sleep(0.05)
    await http.post(api(stub, "sendMessage"), json={"chat_id": user["id"], "text": "Salut Bob"})
    listed = (await waiting).json()
    assert [m["message"]["text"] for m in listed["messages"]] == ["Salut Bob"]
    assert listed["cursor"] == listed["messages"][0]["seq"]


# -- Telegram's HTML and its error sentences -------------------------------------------------


@pytest.mark.parametrize(("html", "description"), [
    ("<div>cours</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("é <blink>", 'Unsupported start tag "blink" at byte offset 3'),
    ("<b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b>gras</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
    ("fin</b>", "Unexpected end tag at byte offset 3"),
    ("2 < 3", 'Unsupported start tag "" at byte offset 2'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ("Tom & Jerry", 'Unescaped "&" at byte offset 4: write &amp; or a supported HTML entity'),
])
async def test_invalid_html_is_refused_like_telegram(
    stub: TelegramStub, http: httpx.AsyncClient, html: str, description: str
):
    alice = stub.user()
    response = await http.post(api(stub, "sendMessage"),
                               json={"chat_id": alice.id, "text": html, "parse_mode": "HTML"})
    assert response.status_code == 400
    assert response.json()["description"] == f"Bad Request: can't parse entities: {description}"
    assert stub.messages(alice) == []


async def test_valid_html_becomes_visible_text_and_entities(
    stub: TelegramStub, http: httpx.AsyncClient
):
    alice = stub.user()
    html = ('<b>Lab</b> &amp; <a href="https://docs.docker.com">doc</a>\n'
            '<pre><code class="language-bash">docker ps</code></pre>'
            '<blockquote expandable>note</blockquote><span class="tg-spoiler">42</span>')
    response = await http.post(api(stub, "sendMessage"),
                               json={"chat_id": alice.id, "text": html, "parse_mode": "HTML"})
    message = response.json()["result"]
    assert message["text"] == "Lab & doc\ndocker psnote42"
    assert message["entities"] == [
        {"offset": 0, "length": 3, "type": "bold"},
        {"offset": 6, "length": 3, "type": "text_link", "url": "https://docs.docker.com"},
        {"offset": 10, "length": 9, "type": "pre", "language": "bash"},
        {"offset": 19, "length": 4, "type": "expandable_blockquote"},
        {"offset": 23, "length": 2, "type": "spoiler"},
    ]
    assert stub.messages(alice)[0].source_text == html
    assert stub.messages(alice)[0].parse_mode == "HTML"


async def test_length_counts_utf16_units_of_the_visible_text(
    stub: TelegramStub, http: httpx.AsyncClient
):
    alice = stub.user()

    async def send(text: str, parse_mode: str | None = None) -> httpx.Response:
        return await http.post(api(stub, "sendMessage"), json={
            "chat_id": alice.id, "text": text, "parse_mode": parse_mode})

    assert (await send("🐳" * 2048)).status_code == 200
    assert (await send(f"<b>{'a' * 4096}</b>", "HTML")).status_code == 200
    too_long = await send("🐳" * 2048 + "a")
    assert too_long.status_code == 400
    assert too_long.json()["description"] == "Bad Request: message is too long"
    assert (await send("<b></b>", "HTML")).json()["description"] == (
        "Bad Request: message text is empty")


# -- the real PTB against the stub -----------------------------------------------------------


async def test_echo_round_trip(stub: TelegramStub):
    alice = stub.user(first_name="Alice")
    async with running_bot(course_bot(stub)):
        said = stub.send_text(alice, "Bonjour 🐳")
        [reply] = await stub.wait_for(said)
    assert reply.text == "Bonjour 🐳"
    assert reply.chat_id == alice.id
    assert reply["from"]["username"] == "moussaillon_bot"
    assert reply.seq > said.marker


async def test_commands_carry_a_bot_command_entity(stub: TelegramStub):
    alice = stub.user()
    async with running_bot(course_bot(stub)):
        plain = stub.send_text(alice, "/cours docker réseaux")
        [first] = await stub.wait_for(plain)
        addressed = stub.send_text(alice, "/cours@moussaillon_bot volumes")
        [second] = await stub.wait_for(addressed)
    assert plain.message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert addressed.message["entities"] == [
        {"type": "bot_command", "offset": 0, "length": len("/cours@moussaillon_bot")}]
    assert (first.text, second.text) == ("cours docker réseaux", "cours volumes")


async def test_a_click_is_answered_and_edits_the_message_in_place(stub: TelegramStub):
    alice = stub.user()
    async with running_bot(course_bot(stub)):
        [menu] = await stub.wait_for(stub.send_text(alice, "/start"))
        click = stub.click(alice, menu, text="Chapitre 2")
        answer = await stub.wait_for_answer(click)
        edited = await stub.wait_for_edit(menu)
    assert menu.text == "Bienvenue !"
    assert menu["entities"] == [{"offset": 0, "length": 9, "type": "bold"}]
    assert answer["text"] == "ouverture ch:2"
    assert stub.answered_callbacks == [answer]
    assert (edited.message_id, edited.version) == (menu.message_id, 1)
    assert edited.text == "Chapitre choisi : ch:2"
    assert "reply_markup" not in edited.data
    assert [m.text for m in stub.messages(alice)] == ["Chapitre choisi : ch:2"]


async def test_clicking_a_missing_button_lists_the_buttons(stub: TelegramStub, bot: Bot):
    alice = stub.user()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes")]])
    await bot.send_message(alice.id, "Prêt ?", reply_markup=keyboard)
    [question] = await stub.wait_for(alice)
    with pytest.raises(LookupError, match=r"\['Oui' → 'yes'\]"):
        stub.click(alice, question, text="Non")
    forged = stub.callback(alice, question, "admin:reset")
    assert forged.callback_query["data"] == "admin:reset"


async def test_two_users_at_once_each_get_their_own_reply(stub: TelegramStub):
    alice, bob = stub.user(first_name="Alice"), stub.user(first_name="Bob", language_code="en")
    async with running_bot(course_bot(stub)):
        from_alice, from_bob = stub.send_text(alice, "je suis Alice"), stub.send_text(bob, "Bob")
        replies = await asyncio.gather(stub.wait_for(from_alice), stub.wait_for(from_bob))
    assert [[m.text for m in r] for r in replies] == [["je suis Alice"], ["Bob"]]
    assert [r[0].chat_id for r in replies] == [alice.id, bob.id]


async def test_group_messages_reach_the_bot(stub: TelegramStub):
    alice, classe = stub.user(), stub.group(title="Classe A")
    async with running_bot(course_bot(stub)):
        [reply] = await stub.wait_for(stub.send_text(alice, "/cours@moussaillon_bot", classe))
    assert reply.chat_id == classe.id < 0
    assert reply["chat"]["title"] == "Classe A"


async def test_confirmed_updates_are_not_redelivered_to_a_restarted_bot(stub: TelegramStub):
    alice = stub.user()
    async with running_bot(course_bot(stub)):
        await stub.wait_for(stub.send_text(alice, "une fois"))
    assert stub.pending_updates() == []
    async with running_bot(course_bot(stub)):
        [reply] = await stub.wait_for(stub.send_text(alice, "deux fois"))
    assert [m.text for m in stub.messages(alice)] == ["une fois", "deux fois"]
    assert reply.text == "deux fois"


async def test_quiz_poll_send_answer_and_stop(stub: TelegramStub):
    alice = stub.user()
    async with running_bot(course_bot(stub)) as app:
        sent = await app.bot.send_poll(
            alice.id, "Quelle commande liste les conteneurs ?", ["docker ps", "docker rm"],
            type="quiz", correct_option_ids=[0], explanation="ps = process status",
            is_anonymous=False, open_period=60)
        [poll_message] = await stub.wait_for(alice)
        voted = stub.poll_answer(alice, sent.poll.id, [0])
        [thanks] = await stub.wait_for(voted)
        stopped = await app.bot.stop_poll(alice.id, sent.message_id)
    poll = poll_message.poll
    assert poll is not None
    assert (poll["id"], poll["type"], poll["correct_option_ids"]) == (sent.poll.id, "quiz", [0])
    assert (poll["explanation"], poll["open_period"], poll["is_anonymous"]) == (
        "ps = process status", 60, False)
    assert thanks.text == "vote (0,)"
    assert stopped.is_closed and stopped.options[0].voter_count == 1
    assert stub.messages(alice)[0].poll["is_closed"] is True


async def test_anonymous_polls_get_no_poll_answer(stub: TelegramStub, bot: Bot):
    alice = stub.user()
    sent = await bot.send_poll(alice.id, "Prêt ?", ["oui", "non"])
    with pytest.raises(ValueError, match="anonymous"):
        stub.poll_answer(alice, sent.poll.id, [0])


async def test_a_document_upload_keeps_its_bytes_and_name(stub: TelegramStub, bot: Bot):
    alice = stub.user()
    content = b"FROM python:3.12-slim\n" * 100
    sent = await bot.send_document(alice.id, io.BytesIO(content), filename="Dockerfile",
                                   caption="<i>ton</i> Dockerfile", parse_mode=ParseMode.HTML)
    [message] = await stub.wait_for(alice)
    assert (message.document, message.filename) == (content, "Dockerfile")
    assert message.text == "ton Dockerfile"
    assert sent.document.file_name == "Dockerfile"
    assert stub.file(sent.document.file_id).content == content
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


@pytest.mark.parametrize(("call", "description"), [
    (lambda b, c: b.send_message(c, ""), "Bad Request: message text is empty"),
    (lambda b, c: b.send_message(c, "x" * 4097), "Bad Request: message is too long"),
    (lambda b, c: b.send_message(c, "<b>x</u>", parse_mode="HTML"),
     'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", '
     'found "</u>"'),
    (lambda b, c: b.send_photo(c, b"\x89PNG", caption="c" * 1025),
     "Bad Request: message caption is too long"),
    (lambda b, c: b.send_message(c, "choix", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("long", callback_data="d" * 65)]])),
     "Bad Request: BUTTON_DATA_INVALID"),
    (lambda b, c: b.send_poll(c, "q" * 301, ["a", "b"]),
     "Bad Request: poll question length must not exceed 300"),
    (lambda b, c: b.send_poll(c, "q", []), "Bad Request: poll must have at least 1 option"),
    (lambda b, c: b.send_poll(c, "q", [str(i) for i in range(13)]),
     "Bad Request: poll can't have more than 12 options"),
    (lambda b, c: b.send_poll(c, "q", ["a", "o" * 101]),
     "Bad Request: poll options length must not exceed 100"),
    (lambda b, c: b.send_poll(c, "q", ["a", "b"], type="quiz", correct_option_ids=[0],
                              explanation="e" * 201),
     "Bad Request: explanation is too long: at most 200 characters are allowed"),
    (lambda b, c: b.send_poll(c, "q", ["a", "b"], type="quiz", correct_option_ids=[0],
                              explanation="1\n2\n3\n4"),
     "Bad Request: explanation can't have more than 2 line feeds"),
    (lambda b, c: b.edit_message_text("x", chat_id=c, message_id=999),
     "Bad Request: message to edit not found"),
])
async def test_limits_raise_bad_request_with_telegrams_words(
    stub: TelegramStub, bot: Bot, call: Any, description: str
):
    alice = stub.user()
    with pytest.raises(BadRequest) as raised:
        await call(bot, alice.id)
    assert stub.requests[-1].response["description"] == description
    assert raised.value.message == description.removeprefix("Bad Request: ").capitalize()
    assert stub.messages(alice) == []


async def test_an_identical_edit_is_not_modified(stub: TelegramStub, bot: Bot):
    alice = stub.user()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await bot.send_message(alice.id, "<b>Lab</b>", parse_mode="HTML",
                                  reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<b>Lab</b>", chat_id=alice.id, message_id=sent.message_id,
                                    parse_mode="HTML", reply_markup=keyboard)
    assert stub.requests[-1].response["description"] == NOT_MODIFIED
    await bot.edit_message_reply_markup(alice.id, sent.message_id, reply_markup=None)
    assert "reply_markup" not in stub.messages(alice)[0].data


async def test_an_injected_429_raises_retry_after(
    stub: TelegramStub, bot: Bot, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    alice = stub.user()
    stub.fail_next("sendMessage", retry_after=3, chat_id=alice.id)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(alice.id, "trop vite")
    assert raised.value.retry_after.total_seconds() == 3
    assert stub.requests[-1].response["parameters"] == {"retry_after": 3}
    await bot.send_message(alice.id, "ensuite ça passe")
    assert [m.text for m in stub.messages(alice)] == ["ensuite ça passe"]


async def test_a_blocked_user_is_forbidden(stub: TelegramStub, bot: Bot):
    alice, bob = stub.user(), stub.user()
    stub.block(alice)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice.id, "tu es là ?")
    await bot.send_message(bob.id, "toi oui")
    stub.unblock(alice)
    await bot.send_message(alice.id, "de retour")
    assert [m.text for m in stub.messages(alice)] == ["de retour"]


async def test_rate_limits_answer_429_with_a_computed_retry_after(
    stub: TelegramStub, bot: Bot, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    alice, bob, classe = stub.user(), stub.user(), stub.group()
    stub.enforce_rate_limits(global_per_second=30, per_chat_per_second=1, group_per_minute=20)
    await bot.send_message(alice.id, "1")
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(alice.id, "2")
    assert raised.value.retry_after.total_seconds() == 1
    await bot.send_message(bob.id, "autre chat")
    stub.enforce_rate_limits(per_chat_per_second=100, group_per_minute=2)
    await bot.send_message(classe.id, "g1")
    await bot.send_message(classe.id, "g2")
    with pytest.raises(RetryAfter) as grouped:
        await bot.send_message(classe.id, "g3")
    assert 59 <= grouped.value.retry_after.total_seconds() <= 60
    stub.enforce_rate_limits(global_per_second=2, per_chat_per_second=100)
    await bot.send_message(alice.id, "a")
    await bot.send_message(bob.id, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(classe.id, "global")
    stub.disable_rate_limits()
    await bot.send_message(classe.id, "g3")
    assert [m.text for m in stub.messages(classe)] == ["g1", "g2", "g3"]


async def test_commands_are_kept_per_scope_and_language(stub: TelegramStub, bot: Bot):
    from telegram import BotCommand, BotCommandScopeAllPrivateChats

    await bot.set_my_commands([BotCommand("cours", "Ouvrir un chapitre")])
    await bot.set_my_commands([BotCommand("lesson", "Open a chapter")],
                              scope=BotCommandScopeAllPrivateChats(), language_code="en")
    assert stub.commands() == [{"command": "cours", "description": "Ouvrir un chapitre"}]
    assert stub.commands({"type": "all_private_chats"}, "en")[0]["command"] == "lesson"
    assert [c.command for c in await bot.get_my_commands()] == ["cours"]
    await bot.delete_my_commands()
    assert stub.commands() == []
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Cours-A", "x")])


async def test_wait_for_reads_in_order_and_explains_a_timeout(stub: TelegramStub, bot: Bot):
    alice = stub.user()
    marker = stub.mark()
    for text in ("un", "deux", "trois"):
        await bot.send_message(alice.id, text)
    assert [m.text for m in await stub.wait_for(alice, count=2)] == ["un", "deux"]
    assert [m.text for m in await stub.wait_for(alice)] == ["trois"]
    assert [m.text for m in await stub.wait_for(alice, count=3, after=marker)] == [
        "un", "deux", "trois"]
    with pytest.raises(BadRequest):
        await bot.send_message(alice.id, "<oops>", parse_mode="HTML")
    with pytest.raises(TimeoutError, match=r'Unsupported start tag "oops"'):
        await stub.wait_for(alice, timeout=0.2)


async def test_chat_actions_and_deletions_are_recorded(stub: TelegramStub, bot: Bot):
    alice = stub.user()
    await bot.send_chat_action(alice.id, "typing")
    sent = await bot.send_message(alice.id, "éphémère")
    await bot.delete_message(alice.id, sent.message_id)
    assert stub.chat_actions == [{"chat_id": alice.id, "action": "typing"}]
    assert stub.messages(alice) == []
    assert [m.text for m in stub.deleted(alice)] == ["éphémère"]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(alice.id, sent.message_id)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "personne")


async def test_injected_failures_follow_count_chat_and_description(stub: TelegramStub, bot: Bot):
    alice, bob = stub.user(), stub.user()
    stub.fail_next("sendMessage", code=400, count=2, chat_id=alice.id,
                   description="Bad Request: have no rights to send a message")
    await bot.send_message(bob.id, "bob n'est pas visé")
    for _ in range(2):
        with pytest.raises(BadRequest, match="Have no rights to send a message"):
            await bot.send_message(alice.id, "raté")
    await bot.send_message(alice.id, "réussi")
    assert [m.text for m in stub.messages(alice)] == ["réussi"]
    assert [c.status for c in stub.calls("sendMessage")] == [200, 400, 400, 200]


async def test_a_bot_in_another_process_is_driven_over_http():
    """The benchmark set-up: the stub runs alone and is driven through ``/_stub``."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.telegram_stub", cwd=REPO, stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        info = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
        app = with_handlers(Application.builder().token(info["token"])
                            .base_url(info["base_url"]).base_file_url(info["base_file_url"])
                            .build())
        async with httpx.AsyncClient(base_url=info["url"]) as control, running_bot(app):
            user = (await control.post("/_stub/users", json={"first_name": "Zoé"})).json()
            said = (await control.post("/_stub/text", json={
                "user_id": user["id"], "text": "/start"})).json()
            listed = (await control.get("/_stub/messages", params={
                "chat_id": user["id"], "after": said["marker"], "timeout": 5})).json()
            [menu] = listed["messages"]
            clicked = (await control.post("/_stub/click", json={
                "user_id": user["id"], "chat_id": user["id"],
                "message_id": menu["message"]["message_id"], "text": "Chapitre 1"})).json()
            assert clicked["update"]["callback_query"]["data"] == "ch:1"
        assert menu["message"]["text"] == "Bienvenue !"
        assert menu["source_text"] == "<b>Bienvenue</b> !"
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0


async def test_a_second_long_poll_ends_the_first_with_409(
    stub: TelegramStub, http: httpx.AsyncClient
):
    first = asyncio.create_task(http.post(api(stub, "getUpdates"), json={"timeout": 5}))
    await asyncio.sleep(0.05)
    second = await http.post(api(stub, "getUpdates"), json={"timeout": 0})
    conflict = await first
    assert second.json() == {"ok": True, "result": []}
    assert conflict.status_code == 409
    assert conflict.json()["description"].startswith("Conflict: terminated by other getUpdates")


async def test_many_users_at_once_each_get_exactly_their_replies(stub: TelegramStub):
    users = [stub.user(first_name=f"Élève {i}") for i in range(50)]
    app = with_handlers(stub.application_builder().concurrent_updates(True).build())

    async def talk(index: int) -> list[str]:
        texts = []
        for turn in range(2):
            [reply] = await stub.wait_for(stub.send_text(users[index], f"{index}-{turn}"),
                                          timeout=30)
            texts.append(reply.text)
        return texts

    async with running_bot(app):
        conversations = await asyncio.gather(*(talk(i) for i in range(len(users))))
    assert conversations == [[f"{i}-{turn}" for turn in range(2)] for i in range(len(users))]
    assert all(len(stub.messages(user)) == 2 for user in users)
