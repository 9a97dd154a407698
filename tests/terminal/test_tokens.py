"""The bearer token instead of the client certificate: the real CLI with ``HttpHeaders`` in its
``config.json`` and only ``ca.pem`` to trust; refused once revoked or expired, as a certificate
is."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import ssl
from pathlib import Path

from moussaillon.core.clock import utcnow
from moussaillon.core.i18n import t
from moussaillon.terminal.tokens import TOKEN_DAYS
from tests.terminal.conftest import CLI_TIMEOUT_S, Endpoint


async def token_folder(endpoint: Endpoint, user_id: int) -> tuple[Path, str]:
    """What the zip unpacks to, minus the certificate: ``ca.pem`` and ``config.json``."""
    bundle = await endpoint.certs.issue(user_id)
    folder = endpoint.tmp / f"token-{bundle.serial}"
    folder.mkdir()
    (folder / "ca.pem").write_bytes(bundle.ca)
    (folder / "config.json").write_bytes(bundle.config_json())
    return folder, bundle.token


async def cli(endpoint: Endpoint, folder: Path, *args: str) -> tuple[int, str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(endpoint.tmp),
        "DOCKER_CONFIG": str(folder),
        "DOCKER_HOST": f"tcp://127.0.0.1:{endpoint.server.port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(folder),  # no cert.pem there: the CLI sends none
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


async def test_the_cli_with_a_token_header_runs_in_the_students_sandbox(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    folder, _ = await token_folder(endpoint, clean_user_id)
    assert not (folder / "cert.pem").exists()
    code, out, err = await cli(endpoint, folder, "run", "--rm", "alpine", "echo", "hi")
    assert (code, out) == (0, "hi\n"), err
    code, out, err = await cli(
        endpoint, folder, "run", "-d", "--name", "web", "alpine", "sleep", "60"
    )
    assert code == 0, err
    code, out, err = await cli(endpoint, folder, "ps", "--format", "{{.Names}}")
    assert (code, out) == (0, "web\n"), err
    code, _, err = await cli(endpoint, folder, "run", "--rm", "--privileged", "alpine", "true")
    assert code == 125 and t("sandbox.refused.privileged") in err
    code, _, err = await cli(endpoint, folder, "rm", "-f", "web")
    assert code == 0, err


async def test_a_revoked_expired_or_foreign_token_is_refused(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    folder, token = await token_folder(endpoint, clean_user_id)
    code, _, err = await cli(endpoint, folder, "ps")
    assert code == 0, err
    tokens = endpoint.certs.tokens
    tokens.clock = lambda: utcnow() + dt.timedelta(days=TOKEN_DAYS + 1)
    code, _, err = await cli(endpoint, folder, "ps")
    assert code != 0 and t("terminal.token_refused") in err
    tokens.clock = utcnow
    assert await endpoint.certs.revoke(clean_user_id) == 1  # the certificate and its token
    code, _, err = await cli(endpoint, folder, "ps")
    assert code != 0 and t("terminal.token_refused") in err
    # a REST API token is not a terminal one, and no header at all asks for a certificate
    (folder / "config.json").write_text(
        json.dumps({"HttpHeaders": {"Authorization": "Bearer mss_" + token[4:]}})
    )
    code, _, err = await cli(endpoint, folder, "ps")
    assert code != 0 and t("terminal.token_refused") in err
    (folder / "config.json").write_text("{}")
    code, _, err = await cli(endpoint, folder, "ps")
    assert code != 0 and t("terminal.no_certificate") in err


async def test_connections_per_token_are_capped(endpoint: Endpoint, clean_user_id: int) -> None:
    """A token's seat is taken at its first request (the handshake does not know it)."""
    _, token = await token_folder(endpoint, clean_user_id)
    ctx = ssl.create_default_context(cafile=str(endpoint.certs.authority.ca_path))
    request = (
        f"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()
    opened = []
    try:
        for _ in range(endpoint.server.max_connections):
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
            )
            opened.append(writer)
            writer.write(request)
            assert (await reader.read(4096)).startswith(b"HTTP/1.1 200 ")
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
        )
        opened.append(writer)
        writer.write(request)
        assert (await reader.read(4096)).startswith(b"HTTP/1.1 429 ")
    finally:
        for writer in opened:
            writer.close()
