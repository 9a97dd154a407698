"""The stand-in driven by the real python-telegram-bot: clicks, polls, limits, failures."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter

from tests.stub_tests.support import (
    NOT_MODIFIED,
    course_bot,
)
from tests.telegram_stub import TelegramStub, running_bot


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


async def test_edits_count_against_the_flood_limits_as_messages_do(
    stub: TelegramStub, bot: Bot, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    alice, classe = stub.user(), stub.group()
    stub.enforce_rate_limits(per_chat_per_second=1, group_per_minute=3)
    sent = await bot.send_message(alice.id, "Step 1/2")
    with pytest.raises(RetryAfter) as raised:  # an edit in the same second as the message
        await bot.edit_message_text("Step 2/2", chat_id=alice.id, message_id=sent.message_id)
    assert raised.value.retry_after.total_seconds() == 1
    assert stub.messages(alice)[0].text == "Step 1/2"
    stub.enforce_rate_limits(per_chat_per_second=100, group_per_minute=3)
    live = await bot.send_message(classe.id, "1")
    await bot.edit_message_text("2", chat_id=classe.id, message_id=live.message_id)
    await bot.edit_message_text("3", chat_id=classe.id, message_id=live.message_id)
    with pytest.raises(RetryAfter) as grouped:
        await bot.edit_message_text("4", chat_id=classe.id, message_id=live.message_id)
    assert 59 <= grouped.value.retry_after.total_seconds() <= 60
    stub.disable_rate_limits()
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("3", chat_id=classe.id, message_id=live.message_id)


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




async def test_a_users_document_reaches_the_bot_and_downloads_up_to_20_mb(
    stub: TelegramStub, bot: Bot
):
    alice = stub.user()
    small = stub.send_document(alice, b"FROM alpine\n", "Dockerfile", caption="app/")
    [update] = await bot.get_updates()
    document = update.message.document
    assert (document.file_name, document.file_size, update.message.caption) == (
        "Dockerfile", 12, "app/")
    assert update.update_id == small.update_id
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"FROM alpine\n"
    big = stub.send_document(alice, b"\0" * (20 * 1024 * 1024 + 1), "big.bin")
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big.message["document"]["file_id"])
