"""Classes through the stand-in Bot API: creating, joining by deep link and by code, linking a
group, members, roles and refusals."""

from moussaillon.classes.roles import PERMISSIONS, Role
from moussaillon.core.i18n import t
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
    [closed] = await stub.wait_for(stub.send_text(teacher, "/classe_fermer"))
    assert "Docker B" in closed.text
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
    assert private.text == t("classes.link_only_group", "fr")


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
