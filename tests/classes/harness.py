"""Helpers for class tests: a bot started on an EXISTING stand-in (so one Telegram world sees
several lifetimes of the bot, as after a restart), and a populated class."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from moussaillon.app import build_services
from tests.conftest import TOKEN, Bot, make_settings
from tests.telegram_stub import FakeUser, TelegramStub

INSTRUCTOR = 1000


@contextlib.asynccontextmanager
async def bot_on(stub: TelegramStub, tmp_path: Path, **overrides: object) -> AsyncIterator[Bot]:
    from moussaillon.bot.application import create_telegram_app, polling

    values: dict[str, object] = {
        "telegram_token": TOKEN, "telegram_base_url": stub.base_url,
        "telegram_base_file_url": stub.base_file_url, "instructors": [INSTRUCTOR],
    }
    values.update(overrides)
    settings = make_settings(tmp_path, **values)
    async with build_services(settings, sandbox=False) as built:
        async with polling(create_telegram_app(built)) as application:
            yield Bot(stub, built, application)


async def class_with_members(
    bot: Bot, count: int, *, name: str = "Docker A"
) -> tuple[int, list[FakeUser]]:
    """A class of ``count`` students who joined through the service (fast, no chat needed)."""
    hub = bot.services.classes
    info = await hub.classes.create(INSTRUCTOR, name)
    students = []
    for i in range(count):
        student = bot.stub.user(first_name=f"Élève{i}")
        await bot.services.users.ensure(student.id, first_name=student.first_name)
        await hub.classes.join(student.id, info.code)
        students.append(student)
    return info.id, students


def received(stub: TelegramStub, chat: FakeUser | int, needle: str) -> int:
    """How many bot messages in ``chat`` contain ``needle`` (duplicates count twice)."""
    return sum(1 for m in stub.messages(chat) if needle in (m.text or ""))
