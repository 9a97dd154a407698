"""The student's own terminal with the real docker CLI, against the real engine through it.

The CLI runs as a subprocess (``DOCKER_HOST``/``DOCKER_TLS_VERIFY``/``DOCKER_CERT_PATH`` on a
fresh ``DOCKER_CONFIG``) while the endpoint runs in the test's event loop; raw TLS clients
check what the CLI cannot send (no certificate, broken HTTP, 10,000 headers).
"""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import aiodocker
import pytest

from moussaillon.core.i18n import t
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint, open_endpoint


async def test_version_negotiates_the_engines_api(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await endpoint.cli(certs, "version", "--format", "{{.Server.APIVersion}}")
    assert code == 0, err
    assert out.strip() == endpoint.server.api_version
    code, out, err = await endpoint.cli(certs, "version")
    assert code == 0, err
    assert "Server:" in out and "Moussaillon sandbox" in out
    code, out, err = await endpoint.cli(certs, "info", "--format", "{{.OperatingSystem}} {{.Name}}")
    assert (code, out) == (0, "Moussaillon sandbox moussaillon\n"), err


async def test_run_rm_prints_the_output_and_ps_lists_own_containers(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await endpoint.cli(certs, "run", "--rm", "alpine", "echo", "hi")
    assert (code, out) == (0, "hi\n"), err
    script = "echo out; echo err >&2; exit 3"
    code, out, err = await endpoint.cli(certs, "run", "--rm", "alpine", "sh", "-c", script)
    assert (code, out, err) == (3, "out\n", "err\n")
    code, out, err = await endpoint.cli(
        certs, "run", "-d", "--name", "web", "alpine", "sh", "-c", "echo hello; sleep 60"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "ps", "--format", "{{.Names}} {{.Image}}")
    assert (code, out) == (0, "web alpine\n"), err
    code, out, err = await endpoint.cli(certs, "logs", "web")
    assert (code, out) == (0, "hello\n"), err
    code, out, err = await endpoint.cli(certs, "rm", "-f", "web")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "ps", "-a", "-q")
    assert (code, out) == (0, ""), err
    journal = endpoint.service.store.read_sync(
        lambda db: [
            r["command"] for r in db["sandbox_commands"].rows_where("user_id = ?", [clean_user_id])
        ]
    )
    assert "api create" in journal and "api ps" in journal


async def test_privileged_is_refused_with_the_policys_reason(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "run", "--rm", "--privileged", "alpine", "true")
    assert code == 125
    assert "Error response from daemon: " + t("sandbox.refused.privileged") in err
    code, _, err = await endpoint.cli(certs, "run", "--rm", "-v", "/etc:/host", "alpine", "true")
    assert code == 125 and "Error response from daemon: " in err and "/etc" in err
    code, _, err = await endpoint.cli(certs, "run", "--rm", "--network", "host", "alpine", "true")
    assert code == 125 and "Error response from daemon: " in err


async def test_another_students_container_is_invisible(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    made = await endpoint.service.run_command(bob, "docker run -d --name secret alpine sleep 60")
    assert made.exit_code == 0, made
    certs = await endpoint.student(alice)
    code, out, err = await endpoint.cli(certs, "ps", "-a", "--format", "{{.Names}}")
    assert (code, out) == (0, ""), err
    _, _, err = await endpoint.cli(certs, "rm", "-f", "secret")  # -f: the CLI exits 0 here
    assert "Error response from daemon: No such container: secret" in err
    still = await endpoint.service.run_command(bob, "docker ps --format {{.Names}}")
    assert still.output.strip() == "secret"
    code, _, err = await endpoint.cli(certs, "logs", "secret")
    assert code != 0 and "No such container: secret" in err


async def test_a_revoked_certificate_is_refused(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "ps")
    assert code == 0, err
    assert await endpoint.certs.revoke(clean_user_id) == 1
    code, _, err = await endpoint.cli(certs, "ps")
    assert code != 0 and t("terminal.revoked") in err


async def test_without_a_certificate_only_ping_answers(endpoint: Endpoint) -> None:
    ping = await endpoint.raw(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
    assert ping.startswith(b"HTTP/1.1 200 ") and ping.endswith(b"OK")
    assert b"api-version: " in ping.lower()
    listing = await endpoint.raw(b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\n\r\n")
    assert listing.startswith(b"HTTP/1.1 401 ")
    assert t("terminal.no_certificate").encode() in listing


async def test_bad_http_gets_the_engines_kind_of_error(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    broken = await endpoint.raw(b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", certs)
    assert broken.startswith(b"HTTP/1.1 400 Bad Request")
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(10_000))
    huge = await endpoint.raw(b"GET /_ping HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n", certs)
    assert huge.startswith(b"HTTP/1.1 431 Request Header Fields Too Large")
    future = await endpoint.raw(b"GET /v1.99/containers/json HTTP/1.1\r\nHost: x\r\n\r\n", certs)
    assert future.startswith(b"HTTP/1.1 400 ")
    maximum = endpoint.server.api_version
    wanted = f"client version 1.99 is too new. Maximum supported API version is {maximum}"
    assert wanted.encode() in future


async def _tls(
    endpoint: Endpoint, certs: Path
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    ctx = ssl.create_default_context(cafile=str(endpoint.certs.authority.ca_path))
    ctx.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    return await asyncio.open_connection(
        "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
    )


PING = b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"
LIST = b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\n\r\n"


async def test_connections_per_certificate_are_capped(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    opened = [await _tls(endpoint, certs) for _ in range(endpoint.server.max_connections)]
    try:
        for reader, writer in opened:  # each handshake is done server-side once ping answers
            writer.write(PING)
            assert (await reader.read(4096)).startswith(b"HTTP/1.1 200 ")
        reader, writer = await _tls(endpoint, certs)
        opened.append((reader, writer))
        writer.write(LIST)
        answer = await reader.read(4096)
        assert answer.startswith(b"HTTP/1.1 429 ")
        assert t("terminal.too_many_connections", limit=8).encode() in answer
    finally:
        for _, writer in opened:
            writer.close()


async def test_a_revocation_stops_an_open_connection_too(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    reader, writer = await _tls(endpoint, certs)
    try:
        writer.write(LIST)
        assert (await reader.read(4096)).startswith(b"HTTP/1.1 200 ")
        await endpoint.certs.revoke(clean_user_id)
        writer.write(LIST)
        assert (await reader.read(4096)).startswith(b"HTTP/1.1 401 ")
    finally:
        writer.close()


async def test_a_slow_client_is_cut_off_and_a_big_body_refused(
    endpoint: Endpoint, clean_user_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moussaillon.terminal import connection as http

    monkeypatch.setattr(http, "HEAD_TIMEOUT_S", 0.5)
    certs = await endpoint.student(clean_user_id)
    reader, writer = await _tls(endpoint, certs)
    try:
        writer.write(b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\n")  # never ends
        async with asyncio.timeout(30):
            assert await reader.read(4096) == b""  # closed, nothing answered
    finally:
        writer.close()
    big = b"POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n"
    answer = await endpoint.raw(big, certs)
    assert answer.startswith(b"HTTP/1.1 413 ")


async def test_an_upgrade_to_a_refused_or_unknown_endpoint_is_not_hijacked(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    made = await endpoint.service.run_command(bob, "docker run -d --name secret alpine sleep 60")
    assert made.exit_code == 0, made
    certs = await endpoint.student(alice)
    upgrade = "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"
    foreign = await endpoint.raw(
        f"POST /v1.41/containers/secret/attach?stream=1 HTTP/1.1\r\nHost: x\r\n{upgrade}".encode(),
        certs,
    )
    assert foreign.startswith(b"HTTP/1.1 404 ") and b"No such container: secret" in foreign
    unknown = await endpoint.raw(
        f"POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: x\r\n{upgrade}".encode(), certs
    )
    assert unknown.startswith(b"HTTP/1.1 404 ") and b"101" not in unknown


async def test_a_chunked_body_without_end_is_cut_off(
    endpoint: Endpoint, clean_user_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moussaillon.terminal import connection

    monkeypatch.setattr(connection, "BODY_TIMEOUT_S", 0.5)
    certs = await endpoint.student(clean_user_id)
    reader, writer = await _tls(endpoint, certs)
    try:
        writer.write(
            b"POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
            b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n'
        )
        async with asyncio.timeout(30):
            assert await reader.read(4096) == b""
    finally:
        writer.close()


async def test_the_chats_rate_limit_holds_and_a_run_costs_one_token(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    """``docker run`` is four requests (create, attach, start, wait): one command, one token,
    as in the chat."""
    limits = {"sandbox_commands_per_minute": 0.01, "sandbox_burst": 2}
    async with open_endpoint(docker, standin_images, tmp_path, **limits) as endpoint:
        certs = await endpoint.student(clean_user_id)
        for _ in range(2):
            code, out, err = await endpoint.cli(certs, "run", "--rm", "alpine", "echo", "hi")
            assert (code, out) == (0, "hi\n"), err
        code, _, err = await endpoint.cli(certs, "run", "--rm", "alpine", "echo", "hi")
        assert code == 125 and "Error response from daemon: " in err
        journal = endpoint.service.store.read_sync(
            lambda db: [
                r["verdict"]
                for r in db["sandbox_commands"].rows_where("user_id = ?", [clean_user_id])
            ]
        )
        assert journal.count("rate_limited") == 1
