"""Networks and volumes: the course's network lab, and two students kept apart."""

from __future__ import annotations

import itertools
import json
import os

import aiodocker
import pytest

from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker

_other_ids = itertools.count(int(f"8{os.getpid() % 100000:05d}000"))


async def test_network_lab(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    created = await ok(service, uid, "docker network create test-nginx")
    assert len(created.output) == 64
    await ok(service, uid, "docker run -d --name nginx --network test-nginx nginx")
    curl = await ok(service, uid, "docker run --rm --network test-nginx alpine/curl http://nginx")
    assert "Welcome to nginx" in curl.output
    wget = await ok(
        service, uid, "docker run --rm --network test-nginx alpine wget -qO- http://nginx"
    )
    assert "Welcome to nginx" in wget.output

    listing = await ok(service, uid, "docker network ls --format '{{.Name}} {{.Driver}}'")
    assert listing.output.splitlines() == [
        "bridge bridge",
        "host host",
        "none null",
        "test-nginx bridge",
    ]
    inspected = await ok(service, uid, "docker network inspect test-nginx")
    data = json.loads(inspected.output)[0]
    assert data["Name"] == "test-nginx" and data["Internal"] is True
    assert [c["Name"] for c in data["Containers"].values()] == ["nginx"]

    # connect / disconnect, and the DNS name follows a rename
    await ok(service, uid, "docker network create other")
    await ok(service, uid, "docker run -d --name box --network other alpine sleep 30")
    await ok(service, uid, "docker network connect other nginx")
    reached = await ok(service, uid, "docker exec box wget -qO- http://nginx")
    assert "Welcome to nginx" in reached.output
    await ok(service, uid, "docker rename nginx web")
    renamed = await ok(service, uid, "docker exec box wget -qO- http://web")
    assert "Welcome to nginx" in renamed.output
    await ok(service, uid, "docker network disconnect other web")
    gone = await service.run_command(uid, "docker exec box wget -qO- -T 2 http://web")
    assert gone.exit_code != 0

    busy = await service.run_command(uid, "docker network rm test-nginx")
    assert busy.exit_code == 1 and "active endpoints" in busy.output and "m-u" not in busy.output
    await ok(service, uid, "docker rm -f web box")
    pruned = await ok(service, uid, "docker network prune -f")
    assert pruned.output.splitlines()[0] == "Deleted Networks:"
    assert sorted(pruned.output.splitlines()[1:]) == ["other", "test-nginx"]
    refused = await service.run_command(uid, "docker network rm bridge")
    assert "pre-defined network" in refused.output or refused.refused


async def test_two_students_are_isolated(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    alice, bob = clean_user_id, next(_other_ids)
    try:
        for uid in (alice, bob):
            await ok(service, uid, "docker network create lamp")
            await ok(service, uid, "docker run -d --name web --network lamp nginx")
        await ok(service, alice, "docker run -d --name secret containous/whoami")
        alice_ps = await ok(service, alice, "docker ps --format '{{.Names}}'")
        bob_ps = await ok(service, bob, "docker ps --format '{{.Names}}'")
        assert sorted(alice_ps.output.split()) == ["secret", "web"]
        assert bob_ps.output == "web"
        assert (await ok(service, bob, "docker network ls -q --filter name=lamp")).output != (
            await ok(service, alice, "docker network ls -q --filter name=lamp")
        ).output

        for line in ("docker logs secret", "docker stop secret", "docker exec secret true"):
            denied = await service.run_command(bob, line)
            assert denied.output == "Error response from daemon: No such container: secret"
        alice_id = (await ok(service, alice, "docker ps -q --filter name=secret")).output
        by_id = await service.run_command(bob, f"docker rm -f {alice_id}")
        assert "No such container" in by_id.output

        secret = await docker._query_json(f"containers/m-u{alice}-secret/json")
        ip = next(iter(secret["NetworkSettings"]["Networks"].values()))["IPAddress"]
        for target in ("secret", f"m-u{alice}-secret", ip):
            probe = await service.run_command(
                bob, f"docker run --rm alpine wget -qO- -T 2 http://{target}"
            )
            assert probe.exit_code != 0 and "Hostname" not in probe.output, (target, probe)
        joined = await service.run_command(bob, "docker run --rm --network alpine-net alpine true")
        assert joined.exit_code == 125 and "network alpine-net not found" in joined.output
    finally:
        await purge_owner(Engine(docker), f"u{bob}")


async def test_volumes(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    assert (await ok(service, uid, "docker volume create data")).output == "data"
    await ok(service, uid, "docker run --rm -v data:/data alpine sh -c 'echo kept > /data/f'")
    kept = await ok(service, uid, "docker run --rm -v data:/data alpine cat /data/f")
    assert kept.output.strip() == "kept"
    await ok(service, uid, "docker run --rm -v auto:/x alpine true")
    listing = await ok(service, uid, "docker volume ls")
    assert listing.output.splitlines() == [
        "DRIVER    VOLUME NAME",
        "local     auto",
        "local     data",
    ]
    raw = await docker._query_json(f"volumes/m-u{uid}-data")
    assert raw["Options"]["type"] == "tmpfs" and raw["Labels"]["moussaillon.owner"] == f"u{uid}"
    inspected = json.loads((await ok(service, uid, "docker volume inspect data")).output)[0]
    assert inspected["Name"] == "data" and "m-u" not in json.dumps(inspected)
    await ok(service, uid, "docker run -d --name user -v data:/data alpine sleep 30")
    busy = await service.run_command(uid, "docker volume rm data")
    assert busy.exit_code == 1 and "in use" in busy.output
    pruned = await ok(service, uid, "docker volume prune -f")
    assert "auto" in pruned.output and "data" not in pruned.output.split("\n")[1:-2]
    await ok(service, uid, "docker rm -f user")
    assert (await ok(service, uid, "docker volume rm data")).output == "data"
    missing = await service.run_command(uid, "docker volume inspect data")
    assert missing.exit_code == 1
