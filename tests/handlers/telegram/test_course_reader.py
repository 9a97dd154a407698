"""The course reader as a student uses it: commands and buttons through the stand-in Bot API."""

import asyncio

from moussaillon.core.i18n import t


async def test_start_welcomes_and_offers_languages(bot):
    alice = bot.stub.user(first_name="Alice", language_code="fr")
    [reply] = await bot.stub.wait_for(bot.stub.send_text(alice, "/start"))
    assert "Alice" in reply.text and "Moussaillon" in reply.text
    assert [b["text"] for b in reply.buttons] == ["🇫🇷 Français", "🇬🇧 English"]


async def test_language_choice_switches_every_later_reply(bot):
    stub = bot.stub
    bob = stub.user(first_name="Bob", language_code="fr")
    [welcome] = await stub.wait_for(stub.send_text(bob, "/start"))
    [confirm] = await stub.wait_for(stub.click(bob, welcome, text="🇬🇧 English"))
    assert confirm.text.startswith("✅ Language: English")
    [helptext] = await stub.wait_for(stub.send_text(bob, "/help"))
    assert "What I can do" in helptext.text
    assert await bot.services.users.language(bob.id) == "en"


async def test_menus_are_registered_in_french_and_english(bot):
    french = {c["command"]: c["description"] for c in bot.stub.commands()}
    english = {c["command"]: c["description"] for c in bot.stub.commands(language_code="en")}
    assert french["cours"] == t("tg.cmd_cours", "fr") and english["cours"] == t(
        "tg.cmd_cours", "en"
    )
    assert set(french) == set(english) >= {"start", "help", "cours", "chercher", "langue", "docker"}


async def test_navigate_contents_chapter_section_next_previous_in_place(bot):
    stub, course = bot.stub, bot.services.course.course
    alice = stub.user(first_name="Alice")
    [toc] = await stub.wait_for(stub.send_text(alice, "/cours"))
    assert len(toc.buttons) == len(course.chapters)
    assert f"(0 section lue sur {len(course.sections)}) :" in toc.text  # 0 takes the singular
    first_chapter = course.chapters[0]
    stub.click(alice, toc, text=toc.buttons[0]["text"])
    menu = await stub.wait_for_edit(toc)
    assert first_chapter.title in menu.text
    assert f"\n{len(first_chapter.sections)} sections :" in menu.text
    assert len(menu.buttons) == len(first_chapter.sections) + 1  # + back to contents

    stub.click(alice, menu, data=f"s:{first_chapter.sections[0].id}:0")
    page = await stub.wait_for_edit(menu)
    assert first_chapter.sections[0].title in page.text
    assert page.message_id == toc.message_id  # edited in place, never a new message

    next_button = next(b for b in page.buttons if "Suivant" in b["text"] or "Suite" in b["text"])
    stub.click(alice, page, data=next_button["callback_data"])
    page2 = await stub.wait_for_edit(page)
    assert page2.text != page.text

    back = next(b for b in page2.buttons if "Précédent" in b["text"] or "Début" in b["text"])
    stub.click(alice, page2, data=back["callback_data"])
    page3 = await stub.wait_for_edit(page2)
    assert page3.text == page.text

    read = await bot.services.progress.sections_read(alice.id)
    assert first_chapter.sections[0].id in read


async def test_every_section_renders_within_telegrams_limits(bot):
    """Open every section of the bundled course; the stand-in refuses anything Telegram would."""
    stub, course = bot.stub, bot.services.course.course
    alice = stub.user(first_name="Alice")
    [message] = await stub.wait_for(stub.send_text(alice, "/cours"))
    for section in course.sections:
        for part in range(bot.services.course.page(section.id).parts):
            stub.callback(alice, message, f"s:{section.id}:{part}")
            edited = await stub.wait_for_edit(message)
            assert section.title in edited.text, section.id
            message = edited
    assert stub.calls("editMessageText") and all(c.ok for c in stub.calls("editMessageText"))


async def test_stale_or_forged_buttons_get_a_polite_alert(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [toc] = await stub.wait_for(stub.send_text(alice, "/cours"))
    for data in ("s:no-such-section:0", "ch:nope", "evil'; drop table", "s:", "x" * 64):
        answer = await stub.wait_for_answer(stub.callback(alice, toc, data))
        assert answer["show_alert"] and answer["text"], data
    # the bot still works for everyone
    [again] = await stub.wait_for(stub.send_text(alice, "/cours"))
    assert again.buttons


async def test_a_question_in_plain_french_finds_sections(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [reply] = await stub.wait_for(stub.send_text(alice, "c'est quoi un conteneur ?"))
    assert "🔎" in reply.text and 1 <= len(reply.buttons) <= 3
    [opened] = await stub.wait_for(stub.click(alice, reply, text=reply.buttons[0]["text"]))
    section_id = reply.buttons[0]["callback_data"].split(":")[1]
    assert bot.services.course.course.section(section_id).title in opened.text


async def test_search_command_nothing_found_and_empty(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [nothing] = await stub.wait_for(stub.send_text(alice, "/chercher zzzyxq kwyjibo"))
    assert "/cours" in nothing.text and not nothing.buttons
    [usage] = await stub.wait_for(stub.send_text(alice, "/chercher"))
    assert "/chercher" in usage.text
    [stop] = await stub.wait_for(stub.send_text(alice, "le la les de ?"))
    assert stop.text  # only stop-words: a clear message, no crash


async def test_long_emoji_and_control_character_questions(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    for text in ("🐳🐳🐳 volume ?", "image\x00\x07\u202e docker", "réseau " * 580):
        [reply] = await stub.wait_for(stub.send_text(alice, text))
        assert reply.text


async def test_two_users_at_once_in_two_languages(bot):
    stub = bot.stub
    anne = stub.user(first_name="Anne", language_code="fr")
    john = stub.user(first_name="John", language_code="en")
    sent = [stub.send_text(anne, "/help"), stub.send_text(john, "/help")]
    replies = await asyncio.gather(*(stub.wait_for(s) for s in sent))
    assert "Ce que je sais faire" in replies[0][0].text
    assert "What I can do" in replies[1][0].text
