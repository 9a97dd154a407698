"""/help is the command table as the caller's role sees it; unknown commands get a pointer."""

import re

import pytest

from moussaillon.classes.roles import Role, required_role
from moussaillon.handlers.telegram.commands import ALIASES, COMMANDS
from tests.classes.harness import INSTRUCTOR


def listed(text: str) -> list[str]:
    return re.findall(r"^/(\w+)", text, re.M)


def may_run(role: Role) -> set[str]:
    return {name for name, _, _ in COMMANDS if required_role(name) <= role}


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_help_lists_every_command_each_role_may_run_and_no_other(bot, lang):
    stub = bot.stub
    student = stub.user(first_name="Eve", language_code=lang)
    teacher = stub.user(INSTRUCTOR, first_name="Prof", language_code=lang)
    [mine] = await stub.wait_for(stub.send_text(student, "/help"))
    [theirs] = await stub.wait_for(stub.send_text(teacher, "/help"))
    assert sorted(listed(mine.text)) == sorted(may_run(Role.STUDENT))
    assert sorted(listed(theirs.text)) == sorted(may_run(Role.INSTRUCTOR))
    assert {"tp", "quiz", "revision"} <= set(listed(mine.text))
    assert {"quiz_live", "quiz_stop", "corriger"} <= set(listed(theirs.text))
    assert "quiz_live" not in listed(mine.text)


def test_every_alias_names_a_real_command():
    names = {name for name, _, _ in COMMANDS}
    assert {target for target in ALIASES.values()} <= names
    assert not set(ALIASES) & names


async def test_unknown_commands_in_private_get_the_closest_one_and_help(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [aide] = await stub.wait_for(stub.send_text(alice, "/aide"))
    assert aide.text == (
        "🤔 Je ne connais pas la commande /aide. /help liste celles que vous pouvez utiliser."
    )
    [typo] = await stub.wait_for(stub.send_text(alice, "/revison"))
    assert "Vouliez-vous dire /revision ?" in typo.text and "/help" in typo.text
    [nothing] = await stub.wait_for(stub.send_text(alice, "/xyzzy"))
    assert "/xyzzy" in nothing.text and "Vouliez-vous" not in nothing.text
    [hidden] = await stub.wait_for(stub.send_text(alice, "/classe"))
    assert "classe_creer" not in hidden.text  # a student is not pointed at instructors' commands
    teacher = stub.user(INSTRUCTOR, first_name="Prof", language_code="en")
    [pointed] = await stub.wait_for(stub.send_text(teacher, "/classe"))
    assert "Did you mean /classe_creer?" in pointed.text


async def test_in_a_group_only_commands_addressed_to_this_bot_are_answered(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    group = stub.group("Promo")
    start = stub.mark()
    stub.send_text(alice, "/aide", chat=group)  # maybe for another bot: not answered
    stub.send_text(alice, "/aide@other_bot", chat=group)
    stub.send_text(alice, "/help@moussaillon_bot", chat=group)
    addressed = stub.send_text(alice, "/aide@moussaillon_bot", chat=group)
    helptext, aide = await stub.wait_for(group, count=2, after=start)
    assert "Ce que je sais faire" in helptext.text
    assert aide.text.startswith("🤔 Je ne connais pas la commande /aide.")
    assert aide.data["reply_to_message"]["message_id"] == addressed.update["message"]["message_id"]
    with pytest.raises(TimeoutError):
        await stub.wait_for(group, timeout=1.0)
