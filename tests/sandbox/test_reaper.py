"""The reaper on the real engine, deciding from a real SQLite file."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.core.clock import iso, utcnow
from moussaillon.core.store import Store
from moussaillon.sandbox import labels, sessions
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.reaper import Reaper, list_stock
from tests.sandbox.conftest import sandbox_labels

pytestmark = pytest.mark.docker

TTL_MIN = 30


@dataclass
class Objects:
    owner: str
    container: str
    network: str
    volume: str


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    store = Store(tmp_path / "reaper.db", migrations())
    try:
        yield store
    finally:
        store.close()


async def make_objects(docker: aiodocker.Docker, image: str, user_id: int) -> Objects:
    """What a student typically leaves: a running container on their network, with a volume."""
    owner = labels.owner_key(user_id)
    names = Objects(owner, f"{owner}-web", f"{owner}-net", f"{owner}-data")
    async with asyncio.timeout(30):
        await docker.networks.create({"Name": names.network, "Labels": sandbox_labels(owner)})
        await docker.volumes.create({"Name": names.volume, "Labels": sandbox_labels(owner)})
        await docker.containers.run(
            {
                "Image": image,
                "Cmd": ["sleep", "300"],
                "Labels": sandbox_labels(owner, "web"),
                "HostConfig": {
                    "NetworkMode": names.network,
                    "Binds": [f"{names.volume}:/data"],
                },
            },
            name=names.container,
        )
    return names


async def names_of(docker: aiodocker.Docker, owner: str) -> set[str]:
    stock = await list_stock(Engine(docker), owner)
    return (
        {c["Names"][0].lstrip("/") for c in stock.containers}
        | {n["Name"] for n in stock.networks}
        | {v["Name"] for v in stock.volumes}
    )


def mine(*user_ids: int):  # type: ignore[no-untyped-def]
    """Confine a reaper to this test's owners: other runs may share the engine."""
    owners = {labels.owner_key(user_id) for user_id in user_ids}
    return lambda owner: owner in owners


@contextlib.asynccontextmanager
async def outsider(docker: aiodocker.Docker, image: str, owner: str, network: str):
    """A container without the sandbox label (carrying an owner label all the same),
    attached to a sandbox network: the reaper must detach it, never remove it."""
    container = await docker.containers.create(
        {
            "Image": image,
            "Cmd": ["sleep", "300"],
            "Labels": {labels.OWNER: owner},
            "HostConfig": {"NetworkMode": network},
        },
        name=f"{owner}-outsider",
    )
    try:
        await container.start()
        yield container
    finally:
        await container.delete(force=True)


async def test_reap_idle_removes_exactly_the_idle_students_objects(
    docker, standin_images, store, make_user_id
) -> None:
    idle_id, live_id, fresh_id = make_user_id(), make_user_id(), make_user_id()
    image = standin_images["busybox"]
    idle = await make_objects(docker, image, idle_id)
    live = await make_objects(docker, image, live_id)
    fresh = await make_objects(docker, image, fresh_id)  # first command, touch not yet written
    now = utcnow()
    await sessions.touch(store, idle_id, now=now - timedelta(minutes=TTL_MIN + 5))
    await sessions.touch(store, live_id, now=now - timedelta(minutes=TTL_MIN - 5))
    reaper = Reaper(
        Engine(docker), store, idle_ttl_min=TTL_MIN, clock=lambda: now, scope=mine(idle_id, live_id)
    )
    async with outsider(docker, image, idle.owner, idle.network) as kept:
        report = await reaper.reap_idle()
        assert (await kept.show())["State"]["Running"]
        assert idle.network not in (await kept.show())["NetworkSettings"]["Networks"]

    assert report.containers == [idle.container]
    assert report.networks == [idle.network] and report.volumes == [idle.volume]
    assert report.owners == {idle.owner} and report.errors == [] and report.removed == 3
    assert await names_of(docker, idle.owner) == set()
    assert await names_of(docker, live.owner) == {live.container, live.network, live.volume}
    assert await names_of(docker, fresh.owner) == {fresh.container, fresh.network, fresh.volume}
    assert await sessions.live_owners(store, TTL_MIN, now) == {live_id}
    assert await sessions.idle_owners(store, TTL_MIN, now) == set()
    again = await reaper.reap_idle()
    assert again.removed == 0


async def test_a_student_who_comes_back_during_the_pass_keeps_everything(
    docker, standin_images, store, clean_user_id
) -> None:
    objects = await make_objects(docker, standin_images["busybox"], clean_user_id)
    now = utcnow()
    await sessions.touch(store, clean_user_id, now=now - timedelta(minutes=TTL_MIN + 5))
    returned: list[bool] = []

    def scope(owner: str | None) -> bool:
        """Runs after the idle owners were listed: the student sends a command right then."""
        if not returned:
            store.write_sync(
                lambda db: db.execute(
                    "UPDATE sandbox_sessions SET last_used = ? WHERE user_id = ?",
                    [iso(now), clean_user_id],
                )
            )
            returned.append(True)
        return owner == objects.owner

    reaper = Reaper(Engine(docker), store, idle_ttl_min=TTL_MIN, clock=lambda: now, scope=scope)
    report = await reaper.reap_idle()

    assert returned and report.removed == 0
    assert len(await names_of(docker, objects.owner)) == 3
    assert await sessions.live_owners(store, TTL_MIN, now) == {clean_user_id}


async def test_reap_orphans_clears_what_a_crash_left_behind(
    docker, standin_images, store, make_user_id
) -> None:
    crashed_id, expired_id, live_id = make_user_id(), make_user_id(), make_user_id()
    image = standin_images["busybox"]
    crashed = await make_objects(docker, image, crashed_id)  # no session row at all
    expired = await make_objects(docker, image, expired_id)
    live = await make_objects(docker, image, live_id)
    start, later = utcnow(), utcnow() + timedelta(hours=2)
    await sessions.touch(store, expired_id, now=start - timedelta(hours=5))
    await sessions.touch(store, live_id, now=later - timedelta(minutes=1))
    everyone = mine(crashed_id, expired_id, live_id)

    at_start = Reaper(
        Engine(docker), store, idle_ttl_min=TTL_MIN, clock=lambda: start, scope=everyone
    )
    report = await at_start.reap_orphans()
    assert report.containers == [expired.container] and report.errors == []
    assert await names_of(docker, expired.owner) == set()
    # Younger than the TTL: maybe a first command whose session row is being written.
    assert len(await names_of(docker, crashed.owner)) == 3

    two_hours_on = Reaper(
        Engine(docker), store, idle_ttl_min=TTL_MIN, clock=lambda: later, scope=everyone
    )
    report = await two_hours_on.reap_orphans()
    assert report.containers == [crashed.container] and report.owners == {crashed.owner}
    assert await names_of(docker, crashed.owner) == set()
    assert await names_of(docker, live.owner) == {live.container, live.network, live.volume}
    assert await sessions.live_owners(store, TTL_MIN, later) == {live_id}
    assert await sessions.idle_owners(store, TTL_MIN, later) == set()


async def test_reap_orphans_removes_old_sandbox_objects_without_an_owner(
    docker, store, clean_owner
) -> None:
    name = f"{clean_owner}-ownerless"
    ownerless = {labels.SANDBOX: "1", labels.NAME: name}
    await docker.volumes.create({"Name": name, "Labels": ownerless})
    try:
        reaper = Reaper(
            Engine(docker),
            store,
            idle_ttl_min=TTL_MIN,
            clock=lambda: utcnow() + timedelta(hours=1),
            scope=lambda owner: owner is None,
        )
        report = await reaper.reap_orphans()
        assert name in report.volumes
    finally:
        with contextlib.suppress(aiodocker.DockerError):
            await aiodocker.volumes.DockerVolume(docker, name).delete()
    with pytest.raises(aiodocker.DockerError):
        await docker.volumes.get(name)


async def test_reset_removes_one_students_objects_and_keeps_their_session(
    docker, standin_images, store, make_user_id
) -> None:
    student_id, neighbour_id = make_user_id(), make_user_id()
    image = standin_images["busybox"]
    student = await make_objects(docker, image, student_id)
    neighbour = await make_objects(docker, image, neighbour_id)
    await sessions.touch(store, student_id)
    reaper = Reaper(Engine(docker), store, idle_ttl_min=TTL_MIN)

    report = await reaper.reset(student.owner)

    assert report.removed == 3 and report.errors == []
    assert await names_of(docker, student.owner) == set()
    assert len(await names_of(docker, neighbour.owner)) == 3
    assert await sessions.live_owners(store, TTL_MIN) == {student_id}
    assert (await reaper.reset(student.owner)).removed == 0


async def test_run_forever_reaps_in_the_background_and_stops_on_cancel(
    docker, standin_images, store, clean_user_id
) -> None:
    objects = await make_objects(docker, standin_images["busybox"], clean_user_id)
    now = [utcnow()]
    await sessions.touch(store, clean_user_id, now=now[0])
    reaper = Reaper(
        Engine(docker), store, idle_ttl_min=TTL_MIN, clock=lambda: now[0], scope=mine(clean_user_id)
    )
    task = asyncio.create_task(reaper.run_forever(0.05))
    await asyncio.sleep(0.3)
    assert len(await names_of(docker, objects.owner)) == 3  # still in use
    now[0] += timedelta(minutes=TTL_MIN + 1)
    async with asyncio.timeout(20):
        while await names_of(docker, objects.owner):
            await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_run_forever_logs_a_failed_pass_and_keeps_going(docker, tmp_path, caplog) -> None:
    broken = Store(tmp_path / "broken.db", migrations())
    broken.close()  # every query now fails
    reaper = Reaper(Engine(docker), broken, idle_ttl_min=TTL_MIN, scope=lambda _owner: False)
    caplog.set_level(logging.ERROR, logger="moussaillon.sandbox.reaper")
    task = asyncio.create_task(reaper.run_forever(0.01))
    async with asyncio.timeout(5):
        while len([r for r in caplog.records if "pass failed" in r.getMessage()]) < 2:
            await asyncio.sleep(0.01)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
