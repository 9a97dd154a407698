"""Bad input against the endpoint, beyond test_endpoint.py's: a flood of connections from one
certificate, upgrades that must stay HTTP, an idle keep-alive connection, a client that never
reads; and, during each, another student's ``docker ps`` with the real CLI, timed (loosely:
this machine's two cores are shared, so the bound is generous and the figure is printed)."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import statistics
import sys
import time
from pathlib import Path

import pytest

from moussaillon.core.i18n import t
from moussaillon.terminal import connection
from tests.sandbox.conftest import make_user_id  # noqa: F401 (fixture)
from tests.terminal.conftest import Endpoint

FLOOD = 200
UPGRADE = "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"
PING = b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"


async def timed_ps(endpoint: Endpoint, certs: Path) -> float:
    started = time.perf_counter()
    code, out, err = await endpoint.cli(certs, "ps", "-q")
    assert (code, out) == (0, ""), err
    return time.perf_counter() - started


async def ps_while(endpoint: Endpoint, certs: Path, running: asyncio.Future[object]) -> list[float]:
    """Another student's ``docker ps``, again and again until ``running`` is done."""
    times = [await timed_ps(endpoint, certs)]
    while not running.done():
        times.append(await timed_ps(endpoint, certs))
    return times


def _figures(times: list[float]) -> str:
    ms = [x * 1000 for x in times]
    return f"n={len(ms)} p50={statistics.median(ms):.0f} ms max={max(ms):.0f} ms"


def refusals(endpoint: Endpoint, reason: str) -> float:
    value = endpoint.server.metrics.registry.get_sample_value(
        "moussaillon_terminal_refusals_total", {"reason": reason}
    )
    return value or 0.0


async def test_a_flood_from_one_certificate_is_capped_and_others_are_served_at_once(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    flooder, other = await endpoint.student(alice), await endpoint.student(bob)
    baseline = statistics.median([await timed_ps(endpoint, other) for _ in range(3)])
    flood = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.terminal.flood",
        str(endpoint.server.port),
        str(flooder),
        str(FLOOD),
        "30",
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert flood.stdout is not None
        answered = asyncio.ensure_future(flood.stdout.readline())
        during = await ps_while(endpoint, other, answered)
        counts = json.loads(await answered)
        cap = endpoint.server.max_connections
        assert counts.get("HTTP/1.1 200", 0) == cap, counts
        assert counts.get("HTTP/1.1 429", 0) + counts.get("closed", 0) == FLOOD - cap, counts
        assert refusals(endpoint, "too_many_connections") == counts.get("HTTP/1.1 429", 0)
        # the flooder's own CLI waits for its seats; the other student is served at once
        code, _, err = await endpoint.cli(flooder, "ps")
        assert code != 0 and t("terminal.too_many_connections", limit=cap) in err
        after = await timed_ps(endpoint, other)
    finally:
        flood.kill()
        await flood.wait()
    print(f"\nother student's ps: {baseline * 1000:.0f} ms alone, {_figures(during)} in the flood")
    assert max(during) < baseline * 10 + 5, during
    assert after < baseline * 5 + 2


async def test_an_upgrade_refused_before_the_route_stays_http(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    """No credential, a revoked one, a future API: a JSON error, no 101, and the connection
    still speaks HTTP (the next request on it is answered)."""
    attach = f"POST /v1.41/containers/web/attach?stream=1 HTTP/1.1\r\nHost: x\r\n{UPGRADE}"
    answer = await endpoint.raw(attach.encode())
    assert answer.startswith(b"HTTP/1.1 401 ") and b"application/json" in answer
    assert t("terminal.no_certificate").encode() in answer and b"101" not in answer
    certs = await endpoint.student(clean_user_id)
    future = attach.replace("/v1.41/", "/v1.99/")
    answer = await endpoint.raw(future.encode() + PING, certs)
    assert answer.startswith(b"HTTP/1.1 400 ") and b"is too new" in answer
    reader, writer = await _tls(endpoint, certs)
    try:
        writer.write(future.encode() + PING)  # pipelined: the ping after the refusal
        seen = b""
        async with asyncio.timeout(30):
            while not seen.endswith(b"OK"):
                seen += await reader.read(4096)
        assert seen.count(b"HTTP/1.1 ") == 2 and b"101" not in seen
    finally:
        writer.close()
    await endpoint.certs.revoke(clean_user_id)
    answer = await endpoint.raw(attach.encode(), certs)
    assert answer.startswith(b"HTTP/1.1 401 ") and t("terminal.revoked").encode() in answer


async def test_an_idle_keep_alive_connection_is_closed(
    endpoint: Endpoint, clean_user_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "IDLE_TIMEOUT_S", 0.5)
    certs = await endpoint.student(clean_user_id)
    reader, writer = await _tls(endpoint, certs)
    try:
        writer.write(b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await reader.readline()).startswith(b"HTTP/1.1 200 ")
        started = time.perf_counter()
        async with asyncio.timeout(10):
            while await reader.read(4096):
                pass  # the rest of the answer, then the end
        assert time.perf_counter() - started < 5
    finally:
        writer.close()
    assert refusals(endpoint, "idle_timeout") == 1


async def test_a_client_that_never_reads_is_cut_off_and_others_still_served(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pipelined pings, none of the answers read: once the socket's buffers are full the
    endpoint's write waits, and ``DRAIN_TIMEOUT_S`` later the connection is gone."""
    monkeypatch.setattr(connection, "DRAIN_TIMEOUT_S", 1.0)
    stuck, other = await endpoint.student(make_user_id()), await endpoint.student(make_user_id())
    baseline = statistics.median([await timed_ps(endpoint, other) for _ in range(3)])
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # full sooner
    sock.connect(("127.0.0.1", endpoint.server.port))
    ctx = ssl.create_default_context(cafile=str(stuck / "ca.pem"))
    ctx.load_cert_chain(str(stuck / "cert.pem"), str(stuck / "key.pem"))
    reader, writer = await asyncio.open_connection(
        sock=sock, ssl=ctx, server_hostname="localhost", limit=4096
    )
    try:
        # the handshake is done once one answer came; after that, nothing is read again
        writer.write(PING)
        assert (await reader.readline()).startswith(b"HTTP/1.1 200 ")
        burst, during = PING * 20_000, []
        async with asyncio.timeout(60):
            while refusals(endpoint, "drain_timeout") < 1:
                if not writer.transport.is_closing():
                    writer.write(burst)  # no drain: the endpoint stops reading once stuck
                during.append(await timed_ps(endpoint, other))
        open_now = endpoint.server.metrics.registry.get_sample_value(
            "moussaillon_terminal_connections"
        )
        assert open_now == 0  # the stuck connection is gone, its task and buffers with it
    finally:
        writer.transport.abort()
    print(f"\nother student's ps: {baseline * 1000:.0f} ms alone, {_figures(during)} beside")
    assert max(during) < baseline * 10 + 5
    assert refusals(endpoint, "drain_timeout") == 1


async def _tls(
    endpoint: Endpoint, certs: Path
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    ctx = ssl.create_default_context(cafile=str(endpoint.certs.authority.ca_path))
    ctx.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    return await asyncio.open_connection(
        "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
    )
