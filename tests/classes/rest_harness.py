"""An API client on services with two instructors, a class each, and a few students."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from moussaillon.app import build_services
from moussaillon.services import Services
from tests.conftest import make_settings

TEACHER, OTHER_TEACHER = 1000, 1001
STUDENTS = (2001, 2002, 2003)


@dataclass
class World:
    services: Services
    client: httpx.AsyncClient
    class_id: int
    other_class_id: int
    teacher: dict[str, str]
    other_teacher: dict[str, str]
    student: dict[str, str]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def class_world(tmp_path: Path, **overrides: object) -> AsyncIterator[World]:
    from moussaillon.handlers.rest.app import create_api

    settings = make_settings(tmp_path, instructors=[TEACHER, OTHER_TEACHER], **overrides)
    async with build_services(settings, sandbox=False) as services:
        hub = services.classes
        mine = await hub.classes.create(TEACHER, "Docker A")
        theirs = await hub.classes.create(OTHER_TEACHER, "Docker B")
        for i, user_id in enumerate(STUDENTS):
            await services.users.ensure(user_id, first_name=f"Élève{i}")
            await hub.classes.join(user_id, mine.code)
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://moussaillon") as client:
            yield World(
                services, client, mine.id, theirs.id,
                bearer(await services.tokens.create(TEACHER)),
                bearer(await services.tokens.create(OTHER_TEACHER)),
                bearer(await services.tokens.create(STUDENTS[0])),
            )
