"""Students' containers reach their own containers and nothing of the host (issue "Sandbox
hardening", item 1), and the start-up guard notices when that protection is missing.

A TCP listener in this process, bound to 0.0.0.0, stands for every host service (the REST API,
/metrics, the engine's API …). A plain container reaches it, a student's never does.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import secrets
import socketserver
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiodocker
import httpx
import pytest

from moussaillon.app import build_services
from moussaillon.config import Settings
from moussaillon.handlers.rest.app import create_api
from moussaillon.sandbox import netguard
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.errors import IsolationUnavailable
from moussaillon.sandbox.executor.networks import BRIDGE_OPTIONS
from moussaillon.sandbox.service import SandboxService
from moussaillon.sandbox.subnets import SubnetAllocator
from tests.conftest import make_settings
from tests.sandbox.conftest import sandbox_labels
from tests.sandbox.engine_support import make_service, ok

pytestmark = pytest.mark.docker

BATCH = 25  # attempts per student command: 2 processes each, under the 64-pid limit


@dataclass
class Listener:
    port: int
    banner: str


@pytest.fixture
def listener() -> Iterator[Listener]:
    banner = f"host-listener-{secrets.token_hex(4)}"

    class Answer(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.sendall(banner.encode() + b"\n")

    server = socketserver.ThreadingTCPServer(("0.0.0.0", 0), Answer)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(server.server_address[1], banner)
    finally:
        server.shutdown()
        server.server_close()


def host_ipv4_addresses() -> list[str]:
    """Every IPv4 address of this host but loopback (the engine is local in these tests)."""
    out = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True, check=True)
    found = re.findall(r"\binet (\d+\.\d+\.\d+\.\d+)/", out.stdout)
    assert found, out.stdout
    return [ip for ip in found if not ip.startswith("127.")]


def http_get(target: str) -> str:
    return f'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 3 {target} 80'


def attempts(targets: list[str], port: int) -> str:
    """busybox sh: one line ``<ip> rc=<n> <what was read>`` per target, all at once."""
    jobs = " ".join(
        f'(got=$(nc -w 2 {ip} {port} </dev/null 2>&1); echo "{ip} rc=$? $got") &' for ip in targets
    )
    return f"{jobs} wait"


async def network(docker: aiodocker.Docker, name: str) -> dict:
    return await docker._query_json(f"networks/{name}")


def gateway(net: dict) -> str:
    """The engine leaves the default bridge's gateway out: it is its subnet's first address."""
    config = net["IPAM"]["Config"][0]
    return config.get("Gateway") or str(ipaddress.ip_network(config["Subnet"]).network_address + 1)


async def run_plain(docker: aiodocker.Docker, net: str, script: str, owner: str) -> str:
    """A container outside the sandbox (the engine's defaults), as a host user would run it."""
    container = await docker.containers.create(
        {
            "Image": "alpine:latest",
            "Cmd": ["sh", "-c", script],
            "Labels": sandbox_labels(owner, "plain"),
            "HostConfig": {"NetworkMode": net},
        }
    )
    try:
        await container.start()
        await container.wait(timeout=30)
        return "".join(await container.log(stdout=True, stderr=True))
    finally:
        await container.delete(force=True)


async def student_attempts(
    service: SandboxService, user_id: int, targets: list[str], port: int, network_name: str = ""
) -> str:
    on = f"--network {network_name} " if network_name else ""
    outputs = []
    for start in range(0, len(targets), BATCH):
        line = (
            f"docker run --rm {on}alpine sh -c '{attempts(targets[start : start + BATCH], port)}'"
        )
        outputs.append((await service.run_command(user_id, line, lang="en")).output)
    return "\n".join(outputs)


@pytest.fixture
async def service(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_timeout_s=20)
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def test_plain_containers_reach_the_host_listener(
    docker: aiodocker.Docker, standin_images: dict[str, str], clean_owner: str, listener: Listener
) -> None:
    """The control: without the sandbox's networks the listener answers, so the test below
    proves something. An internal network alone is not enough either."""
    bridge = gateway(await network(docker, "bridge"))
    seen = await run_plain(docker, "bridge", attempts([bridge], listener.port), clean_owner)
    assert listener.banner in seen, seen

    # the engine's own pools may be exhausted on a busy engine: a subnet from ours
    internal = await SubnetAllocator.from_settings(Settings()).create(
        Engine(docker),
        {
            "Name": f"m-{clean_owner}-plain-internal",
            "Internal": True,
            "Labels": sandbox_labels(clean_owner, "plain-internal"),
        },
    )
    plain_gateway = gateway(await network(docker, internal["Id"]))
    seen = await run_plain(
        docker, internal["Id"], attempts([plain_gateway], listener.port), clean_owner
    )
    assert listener.banner in seen, seen


async def test_a_student_reaches_no_host_address_and_no_other_student(
    docker: aiodocker.Docker,
    service: SandboxService,
    make_user_id,
    listener: Listener,
) -> None:
    alice, bob = make_user_id(), make_user_id()
    await ok(service, bob, "docker run -d --name web nginx")
    await ok(service, alice, "docker network create second")
    await ok(service, alice, "docker network ls")  # alice's default network exists now
    alice_default = await network(docker, f"m-u{alice}-bridge")
    alice_second = await network(docker, f"m-u{alice}-second")
    bob_default = await network(docker, f"m-u{bob}-bridge")
    bob_web = next(iter(bob_default["Containers"].values()))["IPv4Address"].split("/")[0]
    for net in (alice_default, alice_second, bob_default):
        assert net["Options"] == BRIDGE_OPTIONS and net["Internal"], net

    docker0 = gateway(await network(docker, "bridge"))
    hosts = host_ipv4_addresses()
    targets = list(
        dict.fromkeys(
            [gateway(alice_default), docker0, *hosts, gateway(alice_second), gateway(bob_default)]
        )
    )
    seen = await student_attempts(service, alice, targets, listener.port)
    assert listener.banner not in seen, seen
    assert sorted(re.findall(r"^(\S+) rc=1\b", seen, re.M)) == sorted(targets), seen
    again = [gateway(alice_second), docker0, gateway(alice_default), gateway(bob_default)]
    again = list(dict.fromkeys([*again, *hosts[:4]]))  # eth0 and the like come first
    from_second = await student_attempts(service, alice, again, listener.port, "second")
    assert listener.banner not in from_second, from_second
    assert sorted(re.findall(r"^(\S+) rc=1\b", from_second, re.M)) == sorted(again), from_second

    # Bob's nginx answers Bob, never Alice.
    mine = await ok(service, bob, f"docker run --rm alpine sh -c '{http_get(bob_web)}'")
    assert "200 OK" in mine.output, mine
    theirs = await service.run_command(alice, f"docker run --rm alpine sh -c '{http_get(bob_web)}'")
    assert "200 OK" not in theirs.output and theirs.exit_code == 1, theirs


async def test_containers_of_one_student_still_reach_each_other(
    service: SandboxService, clean_user_id: int
) -> None:
    """By IP on the default network (which, like docker's bridge, resolves no names), by name
    on a network the student made."""
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web nginx")
    ip = (await ok(service, uid, "docker inspect -f '{{.NetworkSettings.IPAddress}}' web")).output
    same = await ok(service, uid, f"docker run --rm alpine sh -c '{http_get(ip.strip())}'")
    assert "200 OK" in same.output, same
    await ok(service, uid, "docker network create lab")
    await ok(service, uid, "docker run -d --name api --network lab containous/whoami")
    other = await ok(
        service, uid, f"docker run --rm --network lab alpine sh -c '{http_get('api')}'"
    )
    assert "200 OK" in other.output, other
    # names resolve through Docker's embedded DNS, inside the container's own namespace
    dns = await ok(service, uid, "docker run --rm --network lab alpine nslookup api")
    assert "127.0.0.11" in dns.output, dns
    # and the default network's web is not on lab
    apart = await service.run_command(
        uid, f"docker run --rm --network lab alpine sh -c '{http_get('web')}'"
    )
    assert "200 OK" not in apart.output, apart


async def test_the_guard_verifies_the_students_networks_and_leaves_nothing(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, sandbox_images="busybox,alpine")
    allocator = SubnetAllocator.from_settings(settings)
    before = set(host_ipv4_addresses())
    report = await netguard.verify(Engine(docker), settings, allocator)
    assert report.verified, report
    stable = before & set(host_ipv4_addresses())  # other tests add and drop bridges meanwhile
    reserved = {str(net.network_address) for net in allocator.reserved}
    assert stable <= reserved, "host addresses not reserved"
    assert not await _guard_leftovers(docker)


async def test_the_guard_reports_the_host_reachable_on_a_network_without_the_option(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, sandbox_images="busybox")
    with pytest.raises(IsolationUnavailable) as caught:
        await netguard.verify(
            Engine(docker), settings, SubnetAllocator.from_settings(settings), options={}
        )
    reason = caught.value.message("en")
    assert "host reachable" in reason and "connection refused" in reason, reason
    assert len(reason) < 400 and "\n" not in reason, reason
    assert not await _guard_leftovers(docker)


async def test_the_app_runs_without_a_sandbox_when_the_guard_refuses(
    standin_images: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An engine that ignores the option behaves like this one without it."""
    monkeypatch.delitem(BRIDGE_OPTIONS, "com.docker.network.bridge.inhibit_ipv4")
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path)
    async with build_services(settings) as services:
        assert services.sandbox is None
        transport = httpx.ASGITransport(app=create_api(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            token = await services.tokens.create(4242)
            answer = await client.post(
                "/api/v1/sandbox/run",
                json={"command": "docker ps"},
                headers={"Authorization": f"Bearer {token}"},
            )
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "tg.docker_disabled", (
        answer.text
    )
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert errors[0].getMessage().startswith("sandbox disabled: ")
    assert "host reachable" in errors[0].getMessage()


async def _guard_leftovers(docker: aiodocker.Docker) -> list[str]:
    """Objects of this process's guard still on the engine (other runs have other pids)."""
    mine = f"m-{netguard.OWNER}-"
    wanted = json.dumps({"label": [f"moussaillon.owner={netguard.OWNER}"]})
    nets = await docker._query_json("networks", params={"filters": wanted})
    boxes = await docker._query_json("containers/json", params={"all": "1", "filters": wanted})
    names = [n["Name"] for n in nets] + [c["Names"][0].lstrip("/") for c in boxes]
    return [name for name in names if name.startswith(mine) and f"-{os.getpid()}-" in name]
