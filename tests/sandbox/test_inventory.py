"""The sandbox's read model on the real engine: a student's objects as they named them, with
what the lab checks read, and never another student's, even under the same names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox import Inventory
from moussaillon.sandbox.errors import EngineUnavailable
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker

SAME_LAB = [
    "docker network create lamp",
    "docker volume create site",
    "docker run -d --name web --network lamp -v site:/data -p 8080:80 -l tier=front"
    " alpine sleep 600",
    "docker run --name gone alpine true",
    "docker rm gone",
    "docker tag alpine mine:v1",
]


async def typed(service: SandboxService, user_id: int, *lines: str) -> None:
    for line in lines:
        await ok(service, user_id, line)


async def test_inventory_shows_the_students_own_objects_under_their_names(
    service: SandboxService, make_user_id: Callable[[], int]
) -> None:
    alice, bob = make_user_id(), make_user_id()
    started = datetime.now(UTC) - timedelta(seconds=5)
    try:
        await typed(service, alice, *SAME_LAB, "docker volume create notes")
        await typed(service, bob, *SAME_LAB)
        mine = await service.inventory(alice, removed_since=started)
        theirs = await service.inventory(bob, removed_since=started)
    finally:
        await service.reset(alice)
        await service.reset(bob)

    assert isinstance(mine, Inventory)
    [web] = mine.containers  # the volumes' hidden keepers are not the student's containers
    assert (web.name, web.image, web.state) == ("web", "alpine", "running")
    assert web.networks == ["lamp"]
    assert [(p.host_port, p.container_port, p.protocol) for p in web.published] == [
        (8080, 80, "tcp")
    ]
    assert [(m.type, m.name, m.target, m.read_only) for m in web.mounts] == [
        ("volume", "site", "/data", False)
    ]
    assert web.labels["tier"] == "front"  # with the image's own, as docker shows them
    assert not any(key.startswith("moussaillon.") for key in web.labels)
    assert mine.volumes == ["notes", "site"]
    assert mine.networks == ["bridge", "lamp"]
    assert mine.removed == ["gone"]
    assert "mine:v1" in mine.images and "alpine:latest" in mine.images

    assert [c.name for c in theirs.containers] == ["web"]
    assert theirs.containers[0].id != web.id
    assert theirs.volumes == ["site"]
    text = mine.model_dump_json()
    assert "m-u" not in text and f"u{bob}" not in text and theirs.containers[0].id not in text


async def test_without_a_start_time_no_event_is_read(
    service: SandboxService, clean_user_id: int
) -> None:
    await typed(service, clean_user_id, "docker run --name gone alpine true", "docker rm gone")
    assert (await service.inventory(clean_user_id)).removed == []


async def test_read_file_reads_only_the_students_own_container_and_is_bounded(
    service: SandboxService, make_user_id: Callable[[], int]
) -> None:
    alice, bob = make_user_id(), make_user_id()
    for student in (alice, bob):
        await typed(service, student, "docker run -d --name web -v data:/data alpine sleep 600")
    await typed(service, alice, "docker exec web sh -c 'echo salut > /data/note'")
    assert await service.read_file(alice, "web", "/data/note", 100) == "salut\n"
    assert await service.read_file(alice, "web", "/data/note", 3) == "sal"
    assert await service.read_file(bob, "web", "/data/note", 100) is None  # bob's own web
    assert await service.read_file(alice, "nobody", "/data/note", 100) is None
    assert await service.read_file(alice, "web", "/data", 100) is None  # a folder
    with pytest.raises(ValueError):
        await service.read_file(alice, "web", "/data/note", 0)


async def test_an_unreachable_engine_is_engine_unavailable(
    standin_images: dict[str, str], tmp_path: Path
) -> None:
    nowhere = aiodocker.Docker(url=f"unix://{tmp_path / 'no-engine.sock'}")
    service, store = make_service(nowhere, standin_images, tmp_path)
    try:
        with pytest.raises(EngineUnavailable):
            await service.inventory(42)
        with pytest.raises(EngineUnavailable):
            await service.read_file(42, "web", "/etc/hostname", 100)
    finally:
        await nowhere.close()
        store.close()
