"""The endpoint's figures on the app's own ``/metrics``, scraped after real CLI calls."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import ssl
from pathlib import Path

import aiodocker
import httpx

from moussaillon.app import _terminal, build_services
from moussaillon.handlers.rest.routes.metrics import create_metrics_app
from moussaillon.services import Services
from tests.conftest import make_settings
from tests.sandbox.conftest import docker  # noqa: F401 (fixture)
from tests.sandbox.engine_support import make_service
from tests.terminal.conftest import Endpoint


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def scrape(services: Services) -> dict[str, float]:
    """``/metrics`` as Prometheus reads it: the terminal's samples, by name and labels."""
    transport = httpx.ASGITransport(app=create_metrics_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
        got = await client.get("/metrics")
    assert got.status_code == 200
    samples = {}
    for text in got.text.splitlines():
        match = re.match(r"^(moussaillon_terminal_\S+) (\S+)$", text)
        if match:
            samples[match.group(1)] = float(match.group(2))
    return samples


async def attach(endpoint: Endpoint, certs: Path, name: str) -> asyncio.subprocess.Process:
    """``docker attach`` left running: its stream stays open until the process is killed."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(endpoint.tmp),
        "DOCKER_CONFIG": str(endpoint.tmp / "docker-config"),
        "DOCKER_HOST": f"tcp://127.0.0.1:{endpoint.server.port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
    }
    return await asyncio.create_subprocess_exec(
        "docker",
        "attach",
        name,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def test_requests_refusals_connections_and_streams_are_scraped(
    tmp_path: Path,
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    clean_user_id: int,
) -> None:
    port = _free_port()
    settings = make_settings(tmp_path, terminal_port=port, terminal_bind="127.0.0.1")
    async with build_services(settings, sandbox=False) as services:
        sandbox, store = make_service(docker, standin_images, tmp_path / "sb")
        services.sandbox = sandbox
        server = await _terminal(services)
        assert server is not None and services.terminal is not None
        endpoint = Endpoint(server, services.terminal, sandbox, tmp_path)
        try:
            before = await scrape(services)
            assert before['moussaillon_terminal_refusals_total{reason="drain_timeout"}'] == 0
            certs = await endpoint.student(clean_user_id)
            code, out, err = await endpoint.cli(certs, "run", "--rm", "alpine", "echo", "hi")
            assert (code, out) == (0, "hi\n"), err
            code, _, err = await endpoint.cli(
                certs, "run", "--rm", "--privileged", "alpine", "true"
            )
            assert code == 125, err
            code, _, err = await endpoint.cli(certs, "ps")
            assert code == 0, err
            await endpoint.raw(b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\n\r\n")
            await endpoint.raw(b"GET /v1.99/info HTTP/1.1\r\nHost: x\r\n\r\n", certs)
            await endpoint.raw(b"GET /v1.41/swarm HTTP/1.1\r\nHost: x\r\n\r\n", certs)
            await endpoint.raw(b"GET / HTTP/1.1\r\nbroken\r\n\r\n", certs)
            ctx = ssl.create_default_context(cafile=str(services.terminal.authority.ca_path))
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=ctx, server_hostname="localhost"
            )
            writer.write(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
            assert (await reader.read(4096)).startswith(b"HTTP/1.1 200 ")
            after = await scrape(services)
            writer.close()
            code, _, err = await endpoint.cli(
                certs, "run", "-d", "--name", "long", "alpine", "sleep", "60"
            )
            assert code == 0, err
            attached = await attach(endpoint, certs, "long")
            try:
                async with asyncio.timeout(20):
                    while (await scrape(services))["moussaillon_terminal_streams"] != 1:
                        await asyncio.sleep(0.1)
            finally:
                attached.kill()
                await attached.wait()
            code, _, err = await endpoint.cli(certs, "rm", "-f", "long")
            assert code == 0, err
        finally:
            await server.close()
            await sandbox.close()
            store.close()

    def grew(name: str) -> float:
        return after.get(name, 0) - before.get(name, 0)

    requests = "moussaillon_terminal_requests_total"
    assert grew(f'{requests}{{route="containers.containers_create",status="201"}}') == 1
    assert grew(f'{requests}{{route="containers.containers_json",status="200"}}') == 1
    assert grew(f'{requests}{{route="streams.attach",status="101"}}') == 1
    assert grew(f'{requests}{{route="ping",status="200"}}') >= 4
    assert grew(f'{requests}{{route="containers.containers_create",status="403"}}') == 1
    refusals = "moussaillon_terminal_refusals_total"
    for reason, count in (
        ("policy", 1),
        ("no_certificate", 1),
        ("version", 1),
        ("unknown_path", 1),
        ("bad_request", 1),
        ("too_many_connections", 0),
    ):
        assert grew(f'{refusals}{{reason="{reason}"}}') == count, reason
    assert grew("moussaillon_terminal_streams_opened_total") == 1
    assert after["moussaillon_terminal_streams"] == 0
    assert after["moussaillon_terminal_connections"] >= 1  # the one still open at the scrape
    assert grew("moussaillon_terminal_connections_accepted_total") >= 8
