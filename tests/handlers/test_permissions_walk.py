"""Walk ``roles.PERMISSIONS``: every entry is called for real, through the Bot API stand-in and
the REST app, as a student and as an instructor; students are refused with the usual sentence
(403 over REST), instructors get past the permission check (they may fail later, "no class"…).

An entry nobody knows how to call fails the walk: a new guarded action needs a line in
``TELEGRAM`` or a route guarded by ``deps.requires`` (found by reading the app's routes)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import fastapi.routing
import httpx
import pytest
from fastapi.routing import APIRoute

from moussaillon.classes.permissions import Via, refusal
from moussaillon.classes.roles import PERMISSIONS, Role
from moussaillon.core.i18n import t
from moussaillon.handlers.rest.app import create_api
from tests.classes.rest_harness import bearer
from tests.conftest import Bot, start_bot
from tests.telegram_stub import FakeUser

INSTRUCTOR, OTHER_INSTRUCTOR = 1000, 1001


@dataclass(frozen=True)
class Command:
    text: str
    in_group: bool = False
    replies: int = 1  # messages the command sends, so the next one's replies are its own


TELEGRAM: dict[str, Command] = {
    "rejoindre": Command("/rejoindre"),
    "quitter": Command("/quitter"),
    "progres": Command("/progres", replies=2),  # the text, then the chart
    "tokens": Command("/tokens"),
    "promouvoir": Command("/promouvoir"),
    "classe_creer": Command("/classe_creer"),
    "classe_renommer": Command("/classe_renommer"),
    "classe_fermer": Command("/classe_fermer"),
    "lier": Command("/lier", in_group=True),
    "membres": Command("/membres"),
    "retirer": Command("/retirer"),
    "corriger": Command("/corriger"),
    "annonce": Command("/annonce"),
    "diffusions": Command("/diffusions"),
    "classe_stats": Command("/classe_stats"),
    "tableau": Command("/tableau"),
    "quiz_live": Command("/quiz_live", in_group=True),
    "quiz_stop": Command("/quiz_stop", in_group=True),
}

# Values of the guarded routes' path parameters, and the bodies they need.
PATH_VALUES = {"broadcast_id": 1, "lab_id": "premiers-conteneurs", "token_id": 2**40}
BODIES = {("POST", "/api/v1/classes/{class_id}/broadcasts"): {"text": "Salle 2"}}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    action: str


def _actions(dependant) -> Iterator[str]:
    for dependency in dependant.dependencies:
        action = getattr(dependency.call, "action", None)
        if action is not None:
            yield action
        yield from _actions(dependency)


def guarded_routes(api) -> list[Route]:
    """Every route of the app whose dependencies carry a permission check (FastAPI ≥ 0.16x keeps
    included routers lazy: ``iter_route_contexts`` gives their routes with the full path)."""
    contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    found = []
    for context in contexts(api.routes) if contexts else api.routes:
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            for action in set(_actions(route.dependant)):
                found += [Route(m, context.path_format, action) for m in sorted(context.methods)]
    assert found, "no guarded route found: has FastAPI's routing changed?"
    return found


@dataclass
class World:
    bot: Bot
    client: httpx.AsyncClient
    class_id: int
    teacher: FakeUser
    student: FakeUser


@pytest.fixture
async def world(tmp_path) -> AsyncIterator[World]:
    async with start_bot(tmp_path) as bot:
        hub = bot.services.classes
        info = await hub.classes.create(INSTRUCTOR, "Docker A")
        student = bot.stub.user(first_name="Eve")
        await bot.services.users.ensure(student.id, first_name="Eve")
        await hub.classes.join(student.id, info.code)
        transport = httpx.ASGITransport(app=create_api(bot.services))
        async with httpx.AsyncClient(transport=transport, base_url="http://moussaillon") as client:
            teacher = bot.stub.user(INSTRUCTOR, first_name="Prof")
            yield World(bot, client, info.id, teacher, student)


async def test_every_entry_of_the_table_is_walked(world):
    from moussaillon.bot.application import COMMANDS

    rest = {route.action for route in guarded_routes(create_api(world.bot.services))}
    unwalked = set(PERMISSIONS) - set(TELEGRAM) - rest
    assert not unwalked, f"guarded actions nobody calls in this walk: {sorted(unwalked)}"
    assert not rest - set(PERMISSIONS), "routes guarded by actions missing from the table"
    assert not set(TELEGRAM) - set(PERMISSIONS), "stale TELEGRAM lines"
    handlers = {name: handler for name, handler, _ in COMMANDS}
    assert set(TELEGRAM) <= set(handlers), "TELEGRAM names a command the bot does not have"
    for name, handler in handlers.items():  # a guarded handler checks its own command's name
        assert getattr(handler, "action", name) == name, name
    assert len(rest) >= 7 and {"classes.dashboard", "me.progress"} <= rest


async def _send(world: World, user: FakeUser, command: Command, group) -> str:
    stub = world.bot.stub
    sent = stub.send_text(user, command.text, chat=group if command.in_group else None)
    replies = await stub.wait_for(sent, count=command.replies, timeout=60)
    return replies[0].text or ""


async def test_telegram_students_are_refused_and_instructors_get_through(world):
    group = world.bot.stub.group("Promo")
    actions = sorted(TELEGRAM)
    for action in actions:  # every student first: an instructor's command may change the class
        reply = await _send(world, world.student, TELEGRAM[action], group)
        refused = reply == t(refusal(action, Via.TELEGRAM), "fr")
        assert refused == (PERMISSIONS[action] == Role.INSTRUCTOR), (action, reply)
    assert not world.bot.services.classes.roles.is_instructor(world.student.id)
    for action in actions:
        reply = await _send(world, world.teacher, TELEGRAM[action], group)
        assert reply not in (
            t(refusal(action, Via.TELEGRAM), "fr"),
            t("classes.instructors_only", "fr"),
        ), (action, reply)


async def test_rest_students_get_403_and_instructors_get_through(world):
    services = world.bot.services
    student = bearer(await services.tokens.create(world.student.id))
    teacher = bearer(await services.tokens.create(INSTRUCTOR))
    routes = guarded_routes(create_api(services))
    values = {"class_id": world.class_id, **PATH_VALUES}
    for route in routes:
        names = re.findall(r"{(\w+)}", route.path)
        assert set(names) <= set(values), f"no value for {names} of {route.path}"
        url = route.path.format(**values)
        body = BODIES.get((route.method, route.path))
        answer = await world.client.request(route.method, url, json=body, headers=student)
        if PERMISSIONS[route.action] == Role.INSTRUCTOR:
            assert answer.status_code == 403, (route, answer.text)
            assert answer.json()["error"]["code"] == refusal(route.action, Via.TOKEN), route
        else:
            assert answer.status_code not in (401, 403), (route, answer.text)
        answer = await world.client.request(route.method, url, json=body, headers=teacher)
        assert answer.status_code not in (401, 403), (route, answer.text)


async def test_a_link_signed_for_one_instructor_does_not_open_anothers_class(world):
    services = world.bot.services
    hub = services.classes
    await hub.roles.promote(OTHER_INSTRUCTOR, by=INSTRUCTOR)
    theirs = await hub.classes.create(OTHER_INSTRUCTOR, "Docker B")
    [reply] = await world.bot.stub.wait_for(world.bot.stub.send_text(world.teacher, "/tableau"))
    link = urlsplit(re.search(r"https?://\S+", reply.text).group(0))
    assert link.path == f"/classes/{world.class_id}"
    for page in (link.path, f"{link.path}/progress.csv"):  # the link the bot gave, as given
        assert (await world.client.get(f"{page}?{link.query}")).status_code == 200
    forged = hub.dashboard_query(theirs.id, INSTRUCTOR)  # really signed, for A, on B's class
    for query in (link.query, forged):
        for page in (f"/classes/{theirs.id}", f"/classes/{theirs.id}/progress.csv"):
            answer = await world.client.get(f"{page}?{query}")
            assert answer.status_code == 403, (page, query)
            assert answer.json()["error"]["code"] == "classes.dash_expired"
    own = hub.dashboard_query(theirs.id, OTHER_INSTRUCTOR)
    page = await world.client.get(f"/classes/{theirs.id}?{own}")
    assert page.status_code == 200 and "Docker B" in page.text
    assert (await world.client.get(f"/classes/{world.class_id}?{own}")).status_code == 403
    student_link = hub.dashboard_query(world.class_id, world.student.id)
    assert (await world.client.get(f"/classes/{world.class_id}?{student_link}")).status_code == 403


def _update(application, user: FakeUser, text: str):
    from telegram import Update

    chat = {"id": -100, "type": "group", "title": "Promo"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": user.to_dict(), "text": text}
    return Update.de_json({"update_id": 1, "message": message}, application.bot)


async def test_handlers_ask_with_the_command_they_run(world):
    """``context.may`` (what quiz_live's own check calls) names the command the message runs."""
    from telegram.ext import CallbackContext

    from moussaillon.classes.permissions import PermissionDenied
    from moussaillon.handlers.telegram.context import authorise, command_of, may

    application = world.bot.application
    context = CallbackContext(application)
    for text, action in [
        ("/quiz_stop@moussaillon_bot", "quiz_stop"),
        ("/Quiz_Live docker 3", "quiz_live"),
        ("bonjour", None),
        ("/", None),
    ]:
        assert command_of(_update(application, world.student, text)) == action
    assert not may(_update(application, world.student, "/quiz_stop"), context)
    assert may(_update(application, world.teacher, "/quiz_stop@moussaillon_bot"), context)
    assert may(_update(application, world.student, "/quiz_resultats"), context)  # not guarded
    with pytest.raises(PermissionDenied) as denied:
        authorise(_update(application, world.student, "/quiz_live docker"), context)
    assert denied.value.message("fr") == t("quiz.live.instructors_only", "fr")
    with pytest.raises(ValueError):  # no command, no action: a programming error, said loudly
        authorise(_update(application, world.teacher, "bonjour"), context)
    assert may(_update(application, world.teacher, "bonjour"), context, "annonce")
