"""With a packages proxy set, a build reaches that proxy and nothing else (real engine).

The "proxy" is a busybox httpd of this test serving one file; the build fetches it by the
container's name, and tries the host's addresses, the network's gateway and another container
directly (``wget -Y off``: no proxy), which must all stay out of reach.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.build.cgroups import ROOT, remove_caps
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.executor.build import PROXY_NETWORK
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.build.support import CGROUP_PARENT, Files, build_service

PROXY = f"mtest-proxy-{os.getpid()}"
OTHER = f"mtest-other-{os.getpid()}"
SERVE = "mkdir -p /www && echo proxied-file > /www/file && exec httpd -f -p 8080 -h /www"


async def _httpd(engine: Engine, name: str, image: str) -> dict[str, object]:
    created = await engine.post(
        "containers/create",
        params={"name": name},
        data={"Image": image, "Cmd": ["sh", "-c", SERVE], "Labels": {"mtest": "proxy"}},
    )
    await engine.post(f"containers/{created['Id']}/start")
    found: dict[str, object] = await engine.get(f"containers/{created['Id']}/json")
    return found


@pytest.fixture(name="proxied")
async def proxied_fixture(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[SandboxService, Files, list[str]]]:
    engine = Engine(docker)
    await _httpd(engine, PROXY, standin_images["busybox"])
    other = await _httpd(engine, OTHER, standin_images["busybox"])
    other_ip = other["NetworkSettings"]["IPAddress"]  # type: ignore[index]
    svc, store, files = build_service(
        docker,
        standin_images,
        tmp_path,
        build_proxy=f"http://{PROXY}:8080",
        build_proxy_container=PROXY,
    )
    try:
        yield svc, files, [str(other_ip)]
    finally:
        from moussaillon.sandbox.build import records

        for owner in await records.owners(store):
            await records.purge_images(svc.engine, store, owner)
        await svc.close()
        store.close()
        for name in (PROXY, OTHER):
            with contextlib.suppress(aiodocker.DockerError):
                await engine.delete(f"containers/{name}", params={"force": "1"})
        with contextlib.suppress(aiodocker.DockerError):
            await engine.delete(f"networks/{PROXY_NETWORK}")
        remove_caps(ROOT, "1", CGROUP_PARENT, svc.settings.build_concurrency)


async def test_a_build_reaches_the_proxy_and_nothing_else(
    proxied: tuple[SandboxService, Files, list[str]], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, files, others = proxied
    engine = Engine(docker)
    fetch = (
        f"FROM alpine\nRUN echo $http_proxy; wget -Y off -q -O- http://{PROXY}:8080/file;"
        f" echo {clean_user_id}\n"
    )
    files.put(clean_user_id, {"Dockerfile": fetch})
    result = await service.run_command(clean_user_id, "docker build .", lang="en")
    assert result.exit_code == 0, result
    assert "proxied-file" in result.output
    assert f"http://{PROXY}:8080" in result.output  # the build args
    made = await engine.get(f"networks/{PROXY_NETWORK}")
    gateway = made["IPAM"]["Config"][0]["Gateway"]
    ip = ["ip", "-4", "-o", "addr"]
    listed = (await asyncio.to_thread(subprocess.run, ip, capture_output=True, text=True)).stdout
    hosts = [line.split()[3].split("/")[0] for line in listed.splitlines() if " lo " not in line]
    targets = sorted({*others, gateway, *hosts})
    probes = "; ".join(
        f"(nc -w 2 {ip} 8080 </dev/null >/dev/null 2>/tmp/e && echo REACHED {ip})"
        f" || echo BLOCKED {ip} $(cat /tmp/e)"
        for ip in targets
    )
    control = f"(nc -w 2 {PROXY} 8080 </dev/null >/dev/null && echo PROXY-ANSWERS)"
    dockerfile = f"FROM alpine\nRUN echo {clean_user_id}; {control}; {probes}\n"
    files.put(clean_user_id, {"Dockerfile": dockerfile})
    result = await service.run_command(clean_user_id, "docker build .", lang="en")
    assert result.exit_code == 0, result
    assert "\nPROXY-ANSWERS\n" in result.output  # the probe can see an open port
    answers = [line for line in result.output.splitlines() if line.startswith(("REACH", "BLOCK"))]
    assert len(answers) == len(targets), result.output
    assert all(line.startswith("BLOCKED") for line in answers), answers
    assert not any("refused" in line.lower() for line in answers), answers  # nobody answered
    network = await engine.get(f"networks/{PROXY_NETWORK}")
    assert network["Internal"] is True
    names = {c["Name"] for c in (network.get("Containers") or {}).values()}
    assert names == {PROXY}
