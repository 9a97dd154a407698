"""The stand-in speaks the Bot API over real HTTP: envelopes, long polls, limits, control API."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time

import httpx
import pytest
from telegram.ext import (
    Application,
)

from tests.stub_tests.support import (
    REPO,
    api,
    with_handlers,
)
from tests.telegram_stub import TelegramStub, running_bot


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

