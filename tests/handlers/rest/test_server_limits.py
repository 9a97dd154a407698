"""uvicorn's own limits as ``serve`` sets them, on the real server: header size, connections."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from moussaillon.app import MAX_HEADER_BYTES
from tests.handlers.rest.served import Served, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Served]:
    with serving(tmp_path_factory.mktemp("serve"), MOUSSAILLON_HTTP_MAX_CONNECTIONS="3") as s:
        yield s


def test_headers_beyond_the_cap_are_refused(server: Served):
    """h11 checks what it still has to buffer: headers of more than one socket read (256 KiB)
    are refused; smaller ones may arrive whole and pass, which bounds them all the same.

    uvicorn answers 400 and closes while the client is still writing, so the client mostly
    sees the connection reset before it can read the 400: either outcome is a refusal."""
    fits = httpx.get(f"{server.url}/api/v1/health", headers={"x-pad": "a" * 8 * 1024})
    assert fits.status_code == 200
    huge = "a" * (32 * MAX_HEADER_BYTES)  # 512 KiB
    try:
        status = httpx.get(f"{server.url}/api/v1/health", headers={"x-pad": huge}).status_code
    except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
        status = None
    assert status in (400, None)
    assert httpx.get(f"{server.url}/api/v1/health").status_code == 200


def test_connections_beyond_the_cap_get_503_until_some_close(server: Served):
    host, port = server.url.removeprefix("http://").split(":")
    with contextlib.ExitStack() as stack:
        for _ in range(3):  # idle connections, each holding a slot
            stack.enter_context(socket.create_connection((host, int(port))))
        time.sleep(0.3)  # let the server accept them
        refused = httpx.get(f"{server.url}/api/v1/health")
        assert refused.status_code == 503
    for _ in range(50):  # the slots free as the server sees the closes
        if httpx.get(f"{server.url}/api/v1/health").status_code == 200:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the server did not recover once the connections closed")
