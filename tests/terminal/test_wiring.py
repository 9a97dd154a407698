"""``serve``'s part: the endpoint opens only with MOUSSAILLON_TERMINAL_PORT and a sandbox."""

from __future__ import annotations

import asyncio
import socket
import ssl

import aiodocker

from moussaillon.app import _terminal, build_services
from tests.conftest import make_settings
from tests.sandbox.conftest import docker  # noqa: F401 (fixture)
from tests.sandbox.engine_support import make_service


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_endpoint_opens_with_its_port_and_answers_ping(
    tmp_path,
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images,
) -> None:
    port = _free_port()
    settings = make_settings(tmp_path, terminal_port=port, terminal_bind="127.0.0.1")
    async with build_services(settings, sandbox=False) as services:
        assert await _terminal(services) is None  # no sandbox, no endpoint
        sandbox, store = make_service(docker, standin_images, tmp_path / "sb")
        services.sandbox = sandbox
        server = await _terminal(services)
        assert server is not None and server.port == port
        try:
            ctx = ssl.create_default_context(cafile=str(settings.terminal_dir / "ca.pem"))
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=ctx, server_hostname="localhost"
            )
            writer.write(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
            assert (await reader.read(4096)).startswith(b"HTTP/1.1 200 OK")
            writer.close()
        finally:
            await server.close()
            await sandbox.close()
            store.close()
