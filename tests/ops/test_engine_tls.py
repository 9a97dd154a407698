"""The sandbox reaches a remote engine over mutual TLS, as compose's ``sandbox-engine``."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import aiodocker
import aiohttp
import pytest

from moussaillon.areas import migrations
from moussaillon.core.store import Store
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.service import SandboxService
from tests.conftest import make_settings
from tests.ops.conftest import TlsEngine, make_certificates

pytestmark = pytest.mark.docker


def _load_busybox(engine: TlsEngine) -> None:
    saved = subprocess.run(["docker", "save", "busybox:latest"], capture_output=True, check=True)
    subprocess.run(
        ["docker", "-H", f"unix://{engine.socket}", "load"],
        input=saved.stdout,
        capture_output=True,
        check=True,
    )


async def test_a_student_command_runs_on_the_tls_engine(tls_engine: TlsEngine, tmp_path: Path):
    _load_busybox(tls_engine)
    settings = make_settings(
        tmp_path,
        docker_host=tls_engine.host,
        docker_tls_verify=True,
        docker_cert_path=tls_engine.certs,
        sandbox_images="busybox",
    )
    store = Store(settings.db_path, migrations())
    docker = create_docker(settings)
    service = SandboxService(settings, store, docker)
    try:
        await service.start()
        result = await service.run_command(4242, "docker run --rm busybox echo over-tls")
        assert result.verdict == "ran", result
        assert "over-tls" in result.output
        info = await docker.system.info()
        # the command ran on the second engine, not on the host's
        assert info["DockerRootDir"] == str(tls_engine.root / "data")
    finally:
        await service.reset(4242)
        await service.close()
        await docker.close()
        store.close()


async def test_the_engine_refuses_a_client_without_the_certificate(
    tls_engine: TlsEngine, tmp_path: Path
):
    ca_only = tmp_path / "ca-only"
    ca_only.mkdir()
    (ca_only / "ca.pem").write_bytes((tls_engine.certs / "ca.pem").read_bytes())
    settings = make_settings(
        tmp_path, docker_host=tls_engine.host, docker_tls_verify=True, docker_cert_path=ca_only
    )
    docker = create_docker(settings)
    try:
        with pytest.raises((aiodocker.DockerError, aiohttp.ClientError, ssl.SSLError)):
            await docker.version()
    finally:
        await docker.close()


async def test_verify_rejects_an_engine_signed_by_another_ca(tls_engine: TlsEngine, tmp_path: Path):
    other = tmp_path / "other"
    make_certificates(other, name="someone-else")
    (other / "client" / "cert.pem").write_bytes((tls_engine.certs / "cert.pem").read_bytes())
    (other / "client" / "key.pem").write_bytes((tls_engine.certs / "key.pem").read_bytes())
    settings = make_settings(
        tmp_path,
        docker_host=tls_engine.host,
        docker_tls_verify=True,
        docker_cert_path=other / "client",
    )
    docker = create_docker(settings)
    try:
        with pytest.raises((aiodocker.DockerError, aiohttp.ClientError)) as caught:
            await docker.version()
        assert "certificate" in str(caught.value).lower()
    finally:
        await docker.close()


async def test_plain_http_is_not_served(tls_engine: TlsEngine, tmp_path: Path):
    docker = create_docker(make_settings(tmp_path, docker_host=tls_engine.host))
    try:
        with pytest.raises((aiodocker.DockerError, aiohttp.ClientError)):
            await docker.version()
    finally:
        await docker.close()
