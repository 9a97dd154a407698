"""A 'docker …' message that is a question gets the course, not the sandbox's parser."""

import contextlib

import pytest

from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner


def section_ids(reply) -> list[str]:
    return [button["callback_data"].split(":")[1] for button in reply.buttons]


async def test_docker_questions_are_answered_from_the_course(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice", language_code="fr")
    [reply] = await stub.wait_for(stub.send_text(alice, "docker compose up marche pas"))
    assert reply.text != t("tg.docker_disabled", "fr")
    assert section_ids(reply)[0] == "lancer-docker-compose-up"
    # the sandbox's one line about compose (its usage), in italics
    assert "<i>" in reply.source_text and "compose" in reply.source_text.split("<i>")[-1]
    [ps] = await stub.wait_for(stub.send_text(alice, "/docker ps sert à quoi ?"))
    assert section_ids(ps)[0] == "lister-les-conteneurs-docker-ps"
    assert "<pre>" in ps.source_text and "docker ps" in ps.text  # the command's own usage
    [run] = await stub.wait_for(stub.send_text(alice, "docker run c quoi"))
    assert "docker-run-lancer-un-conteneur" in section_ids(run)
    assert "docker run" in run.text


async def test_a_real_command_still_goes_to_the_sandbox(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice", language_code="fr")
    for text in ("docker ps -a", "/docker ps", "docker run --rm alpine echo comment ?"):
        [reply] = await stub.wait_for(stub.send_text(alice, text))
        assert reply.text == t("tg.docker_disabled", "fr"), text


@pytest.fixture
async def student(sandbox_bot):
    user = sandbox_bot.stub.user(first_name="Alice", language_code="fr")
    try:
        yield user
    finally:
        with contextlib.suppress(Exception):
            await purge_owner(sandbox_bot.services.sandbox.engine, labels.owner_key(user.id))


async def test_question_words_inside_a_real_command_run(sandbox_bot, student):
    stub = sandbox_bot.stub
    line = "docker run --rm alpine echo c quoi"
    [reply] = await stub.wait_for(stub.send_text(student, line), timeout=30)
    assert reply.text.strip() == "c quoi"


async def test_free_text_and_chercher_rank_as_the_course_service_does(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice", language_code="fr")
    question = "mon conteneur redémarre pas après un reboot"
    expected = [hit.section_id for hit in await bot.services.course.search(question, limit=3)]
    assert expected[0] == "redemarrage-automatique-restart"
    [free] = await stub.wait_for(stub.send_text(alice, question))
    [command] = await stub.wait_for(stub.send_text(alice, f"/chercher {question}"))
    assert section_ids(free) == section_ids(command) == expected
