"""Classes through the stand-in Bot API: creating, joining by deep link and by code, linking a
group, members, roles and refusals."""

import asyncio

from moussaillon.classes.roles import PERMISSIONS, Role
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import confirm
from moussaillon.handlers.telegram.classes import COMMANDS as CLASS_COMMANDS
from tests.classes.harness import INSTRUCTOR


async def _create(bot, name="Docker A"):
    teacher = bot.stub.user(INSTRUCTOR, first_name="Prof")
    [reply] = await bot.stub.wait_for(bot.stub.send_text(teacher, f"/classe_creer {name}"))
    info = await bot.services.classes.classes.current(INSTRUCTOR)
    return teacher, reply, info


async def test_create_gives_code_and_deep_link_then_students_join_both_ways(bot):
    stub = bot.stub
    teacher, reply, info = await _create(bot)
    link = f"https://t.me/{stub.bot_username}?start={info.code}"
    assert info.name == "Docker A" and info.code in reply.text and link in reply.text

    alice = stub.user(first_name="Alice")
    [joined] = await stub.wait_for(stub.send_text(alice, f"/start {info.code}"))  # the deep link
    assert "Docker A" in joined.text
    bob = stub.user(first_name="Bob")
    [joined] = await stub.wait_for(stub.send_text(bob, f"/rejoindre {info.code.lower()}"))
    assert "Docker A" in joined.text
    carol = stub.user(first_name="Carol")
    [refused] = await stub.wait_for(stub.send_text(carol, "/rejoindre NOPE1234"))
    assert refused.text == t("classes.bad_code", "fr")

    [listing] = await stub.wait_for(stub.send_text(teacher, "/membres"))
    assert "2 membres" in listing.text and "Alice" in listing.text and "Bob" in listing.text
    [removed] = await stub.wait_for(stub.send_text(teacher, f"/retirer {bob.id}"))
    assert str(bob.id) in removed.text
    assert [m.user_id for m in await bot.services.classes.classes.members(info.id)] == [alice.id]
    [left] = await stub.wait_for(stub.send_text(alice, "/quitter"))
    assert "quitté" in left.text
    assert await bot.services.classes.classes.members(info.id) == []


async def test_rename_close_and_a_closed_code_no_longer_works(bot):
    stub = bot.stub
    teacher, _, info = await _create(bot)
    [renamed] = await stub.wait_for(stub.send_text(teacher, "/classe_renommer Docker B"))
    assert "Docker B" in renamed.text
    [question] = await stub.wait_for(stub.send_text(teacher, "/classe_fermer"))
    assert "Docker B" in question.text and (await bot.services.classes.classes.get(info.id)).open
    stub.click(teacher, question, text=t("classes.close_yes", "fr"))
    closed = await stub.wait_for_edit(question)
    assert "Docker B" in closed.text and closed.buttons == []
    assert closed.text.endswith(t("classes.current_none", "fr"))
    late = stub.user(first_name="Late")
    [refused] = await stub.wait_for(stub.send_text(late, f"/rejoindre {info.code}"))
    assert refused.text == t("classes.bad_code", "fr")


async def test_lier_links_a_group_to_the_instructors_class(bot):
    stub = bot.stub
    teacher, _, info = await _create(bot)
    group = stub.group("Promo 2026")
    [linked] = await stub.wait_for(stub.send_text(teacher, "/lier", chat=group))
    assert "Docker A" in linked.text
    assert (await bot.services.classes.classes.get(info.id)).groups == 1
    [private] = await stub.wait_for(stub.send_text(teacher, "/lier"))
    assert private.text.startswith(t("classes.link_only_group", "fr"))


async def test_a_student_trying_every_instructor_command_is_refused_politely(bot):
    stub = bot.stub
    _, _, info = await _create(bot)
    eve = stub.user(first_name="Eve")
    instructor_only = [n for n, _, _ in CLASS_COMMANDS if PERMISSIONS[n] == Role.INSTRUCTOR]
    assert len(instructor_only) >= 12
    for name in instructor_only:
        [reply] = await stub.wait_for(stub.send_text(eve, f"/{name} {info.code} 1"))
        assert reply.text == t("classes.instructors_only", "fr"), name
    after = await bot.services.classes.classes.get(info.id)
    assert after.name == "Docker A" and after.open and after.groups == 0
    assert not bot.services.classes.roles.is_instructor(eve.id)
    assert await bot.services.classes.broadcasts.recent(info.id) == []


async def test_menus_hide_instructor_commands_from_students_and_help_follows_the_role(bot):
    stub = bot.stub
    student_menu = {c["command"] for c in stub.commands()}
    assert {"rejoindre", "progres", "cours"} <= student_menu
    assert not student_menu & {"corriger", "annonce", "classe_creer", "promouvoir", "quiz_live"}
    eve = stub.user(first_name="Eve")
    [student_help] = await stub.wait_for(stub.send_text(eve, "/help"))
    assert "/rejoindre" in student_help.text and "/corriger" not in student_help.text

    teacher = stub.user(INSTRUCTOR, first_name="Prof")
    [teacher_help] = await stub.wait_for(stub.send_text(teacher, "/help"))
    assert "/corriger" in teacher_help.text and "/annonce" in teacher_help.text


async def test_promote_by_reply_gives_the_role_and_the_instructor_menu(bot):
    stub = bot.stub
    teacher = stub.user(INSTRUCTOR, first_name="Prof")
    group = stub.group("Salle des profs")
    dan = stub.user(first_name="Dan")
    stub.send_text(dan, "bonjour", chat=group)
    said = stub.messages(group, include_user=True)[-1]
    [done] = await stub.wait_for(stub.send_text(teacher, "/promouvoir", chat=group, reply_to=said))
    assert str(dan.id) in done.text
    assert bot.services.classes.roles.is_instructor(dan.id)
    scoped = {c["command"] for c in stub.commands({"type": "chat", "chat_id": dan.id})}
    assert {"corriger", "annonce", "classe_creer", "quiz_live", "cours"} <= scoped
    [created] = await stub.wait_for(stub.send_text(dan, "/classe_creer Groupe de Dan"))
    assert "Groupe de Dan" in created.text


def _current(name: str, count: int = 1) -> str:
    if count == 1:
        return t("classes.current", "fr", name=name).replace("<b>", "").replace("</b>", "")
    return t("classes.current_of", "fr", name=name, count=count).replace("<b>", "").replace(
        "</b>", "")


async def test_a_stray_quote_names_the_class_and_every_answer_says_which_is_current(bot):
    stub = bot.stub
    teacher, created, info = await _create(bot, '"BTS SIO 2')
    assert info.name == "BTS SIO 2"
    assert created.text.endswith(_current("BTS SIO 2"))
    [twin] = await stub.wait_for(stub.send_text(teacher, "/classe_creer bts sio 2"))
    assert twin.text.startswith(t("classes.name_taken", "fr"))  # no silent second class
    assert twin.text.endswith(_current("BTS SIO 2"))
    [other] = await stub.wait_for(stub.send_text(teacher, "/classe_creer « Docker B »"))
    assert "Docker B" in other.text and "«" not in other.text
    assert other.text.endswith(_current("Docker B", 2))  # the new one is current now
    [clash] = await stub.wait_for(stub.send_text(teacher, "/classe_renommer BTS SIO 2"))
    assert clash.text.startswith(t("classes.name_taken", "fr"))
    group = stub.group("Promo")
    commands = ["/membres", "/diffusions", "/classe_stats", "/tableau", "/annonce", "/corriger",
                "/retirer", "/corriger 99", "/classe_renommer Docker C"]
    for command in commands:
        [reply] = await stub.wait_for(stub.send_text(teacher, command))
        assert reply.text.count("📌") == 1, command
        name = "Docker C" if command.endswith("Docker C") else "Docker B"
        assert reply.text.endswith(_current(name, 2)), command
    [linked] = await stub.wait_for(stub.send_text(teacher, "/lier", chat=group))
    assert linked.text.endswith(_current("Docker C", 2))


async def test_closing_asks_first_and_a_second_tap_closes_nothing_more(bot):
    stub = bot.stub
    classes = bot.services.classes.classes
    teacher, _, first = await _create(bot, "Docker A")
    _, _, second = await _create(bot, "Docker B")
    [question] = await stub.wait_for(stub.send_text(teacher, "/classe_fermer"))
    assert "Docker B" in question.text
    stub.click(teacher, question, text=t("tg.confirm_cancel", "fr"))
    cancelled = await stub.wait_for_edit(question)
    assert cancelled.text == t("tg.confirm_cancelled", "fr") and (await classes.get(second.id)).open

    [question] = await stub.wait_for(stub.send_text(teacher, "/classe_fermer"))
    yes = question.buttons[0]["callback_data"]
    eve = stub.user(first_name="Eve")  # a student tapping the instructor's button
    refused = await stub.wait_for_answer(stub.callback(eve, question, yes))
    assert refused["show_alert"] and (await classes.get(second.id)).open
    stub.click(teacher, question, data=yes)
    closed = await stub.wait_for_edit(question)
    assert "Docker B" in closed.text and closed.text.endswith(_current("Docker A"))
    assert not (await classes.get(second.id)).open
    # the same tap again (it was on its way before the buttons went): Docker A stays open
    again = await stub.wait_for_answer(stub.callback(teacher, question, yes))
    assert again["text"] == t("tg.confirm_expired", "fr")
    assert (await classes.get(first.id)).open


async def test_a_confirmation_expires(bot, monkeypatch):
    monkeypatch.setattr(confirm, "CONFIRM_TTL_S", 0.3)
    stub = bot.stub
    teacher, _, info = await _create(bot)
    [question] = await stub.wait_for(stub.send_text(teacher, "/classe_fermer"))
    await asyncio.sleep(0.5)
    late = await stub.wait_for_answer(stub.click(teacher, question, text=t("classes.close_yes",
                                                                           "fr")))
    assert late["text"] == t("tg.confirm_expired", "fr")
    assert (await stub.wait_for_edit(question)).buttons == []  # the stale buttons go
    assert (await bot.services.classes.classes.get(info.id)).open
