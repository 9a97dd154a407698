"""The endpoint the terminal tests drive: a real ``TerminalServer`` over a real sandbox, with the
real docker CLI as a subprocess (``DOCKER_HOST``/``DOCKER_TLS_VERIFY``/``DOCKER_CERT_PATH`` on a
fresh ``DOCKER_CONFIG``), and raw TLS for what the CLI cannot send."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.service import SandboxService
from moussaillon.terminal.ca import Authority, Bundle
from moussaillon.terminal.certs import TerminalCerts
from moussaillon.terminal.server import TerminalServer
from tests.optional import missing
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.sandbox.engine_support import make_service

CLI_TIMEOUT_S = 120


@dataclass
class Endpoint:
    server: TerminalServer
    certs: TerminalCerts
    service: SandboxService
    tmp: Path

    async def student(self, user_id: int) -> Path:
        """A certificate directory for ``user_id``, as the zip unpacks."""
        bundle: Bundle = await self.certs.issue(user_id)
        folder = self.tmp / f"certs-{bundle.serial}"
        folder.mkdir()
        (folder / "ca.pem").write_bytes(bundle.ca)
        (folder / "cert.pem").write_bytes(bundle.cert)
        (folder / "key.pem").write_bytes(bundle.key)
        return folder

    async def cli(self, certs: Path, *args: str) -> tuple[int, str, str]:
        config = self.tmp / "docker-config"
        config.mkdir(exist_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.tmp),
            "DOCKER_CONFIG": str(config),
            "DOCKER_HOST": f"tcp://127.0.0.1:{self.server.port}",
            "DOCKER_TLS_VERIFY": "1",
            "DOCKER_CERT_PATH": str(certs),
        }
        proc = await asyncio.create_subprocess_exec(
            "docker",
            *args,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(CLI_TIMEOUT_S):
            out, err = await proc.communicate()
        assert proc.returncode is not None
        return proc.returncode, out.decode(), err.decode()

    async def raw(self, data: bytes, certs: Path | None = None) -> bytes:
        """Send ``data`` over TLS (a client certificate only when given); what comes back."""
        ctx = ssl.create_default_context(cafile=str(self.certs.authority.ca_path))
        if certs is not None:
            ctx.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", self.server.port, ssl=ctx, server_hostname="localhost"
        )
        try:
            writer.write(data)
            await writer.drain()
            async with asyncio.timeout(30):
                return await reader.read(65536)
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def open_endpoint(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    images: dict[str, str],
    tmp_path: Path,
    **overrides: object,
) -> AsyncIterator[Endpoint]:
    if shutil.which("docker") is None:
        missing("the docker CLI", "apt-get install docker.io")
    service, store = make_service(docker, images, tmp_path, **overrides)
    authority = Authority(tmp_path / "terminal", ["localhost", "127.0.0.1"])
    certs = TerminalCerts(store, authority, host="127.0.0.1", port=0)
    server = TerminalServer(
        service.engine_api(), certs, host="127.0.0.1", port=0, max_connections=8
    )
    await server.start()
    try:
        yield Endpoint(server, certs, service, tmp_path)
    finally:
        await server.close()
        await service.close()
        store.close()


@pytest.fixture
async def endpoint(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
) -> AsyncIterator[Endpoint]:
    async with open_endpoint(docker, standin_images, tmp_path) as opened:
        yield opened
