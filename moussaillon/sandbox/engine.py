"""The one place that knows how to reach the Docker engine, and the one that calls aiodocker's
private API.

aiodocker's public API does not cover what the sandbox needs: raw endpoints with engine-side
label filters (``containers/json?filters=…``), the archive and events endpoints, a plain log
read, ``images/create?fromSrc=-`` with repeated query parameters. Those go through
``Docker._query_json`` and ``Docker._query``, which are private and change between aiodocker
releases; keeping every such call in ``Engine`` keeps that version coupling in this one file
(``tests/sandbox/test_seam.py`` checks that no other module calls them). The rest of the
sandbox holds an ``Engine``; the public aiodocker calls it still makes (an exec stream, a pull,
the reaper's and the guard's removals) go through ``Engine.client``.

Time limits stay with the callers, which know their budget (a student's run, a scrape, the
reaper), and so does the translation of an unreachable engine (aiodocker's status 900) into
``EngineUnavailable``: ``unreachable`` tells them apart.

aiodocker opens a new HTTP connection per concurrent request; the connector is sized for the
fair queue's concurrency plus a margin for listings, reaper sweeps and log reads running beside
the student commands, so a burst never waits on the pool instead of the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, Literal
from urllib.parse import urlencode

import aiodocker
import aiohttp
from aiodocker.execs import Exec
from aiodocker.stream import Stream

from moussaillon.config import Settings

CONNECTION_MARGIN = 8
UNREACHABLE = 900  # aiodocker's status when no connection to the engine could be made

Params = Mapping[str, Any]
Method = Literal["GET", "POST", "DELETE", "PUT"]  # PUT: the archive endpoint


def unreachable(exc: aiodocker.DockerError) -> bool:
    """The engine could not be reached at all (as opposed to an engine's refusal)."""
    return exc.status == UNREACHABLE


class Engine:
    """JSON calls and raw streams on the engine's API; a daemon refusal raises
    ``aiodocker.DockerError`` with the engine's status and message.

    Nothing here has a time limit of its own: every caller holds its calls inside
    ``asyncio.timeout`` with its own budget (a student's run, a scrape, a reaper sweep).
    """

    def __init__(self, client: aiodocker.Docker) -> None:
        self.client = client

    async def get(self, path: str, *, params: Params | None = None) -> Any:
        return await self.request("GET", path, params=params)

    async def post(
        self,
        path: str,
        *,
        params: Params | None = None,
        data: Any = None,
    ) -> Any:
        return await self.request("POST", path, params=params, data=data)

    async def delete(self, path: str, *, params: Params | None = None) -> Any:
        return await self.request("DELETE", path, params=params)

    async def request(
        self,
        method: Method,
        path: str,
        *,
        params: Params | None = None,
        data: Any = None,
    ) -> Any:
        """One JSON call; ``data`` is sent as JSON."""
        return await self.client._query_json(path, method, params=params, data=data)

    async def head(self, path: str, *, params: Params | None = None) -> tuple[int, dict[str, str]]:
        """``HEAD``: the status and headers (``docker cp``'s stat). aiodocker reads an error's
        body as JSON, which a HEAD answer never has, so this goes around it."""
        await self.client._check_version()
        url = self.client._canonicalize_url(path, versioned_api=True)
        try:
            async with self.client.session.head(url, params=dict(params or {})) as response:
                return response.status, dict(response.headers)
        except aiohttp.ClientConnectionError as exc:
            raise aiodocker.DockerError(
                UNREACHABLE, f"Cannot connect to Docker Engine: {exc}"
            ) from exc

    @contextlib.asynccontextmanager
    async def stream(
        self,
        path: str,
        method: Method = "GET",
        *,
        params: Params | None = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """The raw response (logs, events, an archive, an import's progress), read by the
        caller; aiohttp's own time limit is off, the caller's ``asyncio.timeout`` holds."""
        async with self.client._query(
            path, method, params=params, data=data, headers=headers, timeout=None
        ) as response:
            yield response

    async def build(
        self,
        tar: bytes,
        params: Mapping[str, str | list[str]],
        timeout: float,  # noqa: ASYNC109 (one deadline for the whole stream, not per read)
    ) -> AsyncGenerator[dict[str, Any], None]:
        """``POST /build``: the JSON messages of the build as the engine sends them.

        A list value repeats its query parameter (``t``), which aiodocker's ``params`` cannot
        say. ``timeout`` bounds the whole build: past it ``TimeoutError`` rises from the read.
        Leaving early (``aclose``, a break, an error, the deadline) closes the connection, and
        the engine cancels the build and removes the step's container (``forcerm``). The read
        waits inside this generator, never across a ``yield``, so a deadline cannot fire in
        the caller's code.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        query = urlencode(
            [
                (key, item)
                for key, value in params.items()
                for item in (value if isinstance(value, list) else [value])
            ]
        )
        opening = self.client._query(
            f"build?{query}",
            "POST",
            data=tar,
            headers={"Content-Type": "application/x-tar"},
            timeout=None,
        )
        async with asyncio.timeout(timeout):
            response = await opening.__aenter__()
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError
                line = await asyncio.wait_for(response.content.readline(), remaining)
                if not line:
                    return
                if line.strip():
                    yield json.loads(line)
        finally:
            response.close()  # aiodocker leaves it open; closing is what cancels the build
            await opening.__aexit__(None, None, None)

    async def exec_stream(self, exec_id: str, *, tty: bool) -> Stream:
        """A started exec's stdin/stdout, hijacked from the HTTP connection (``write_in``,
        ``read_out``, ``close``); its reads wait as long as the process lives."""
        opened = Exec(self.client, exec_id, tty).start(detach=False, timeout=None)
        await opened.__aenter__()
        return opened

    async def attach_stream(
        self,
        container_id: str,
        *,
        stdin: bool,
        stdout: bool = True,
        stderr: bool = True,
        logs: bool = False,
        detach_keys: str | None = None,
    ) -> Stream:
        """A container's attached stdin/stdout (``docker attach``): opened before ``start`` for
        ``run -it``, so nothing the process prints first is lost."""
        container = self.client.containers.container(container_id)
        opened = container.attach(
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            logs=logs,
            detach_keys=detach_keys,
            timeout=None,
        )
        await opened.__aenter__()
        return opened

    @staticmethod
    def close_stdin(stream: Stream) -> None:
        """Half-close a hijacked stream (Go's ``CloseWrite``): the engine then closes the
        process's stdin (``cat`` ends) or, for a TTY, ends the attach, as the CLI's own
        half-close does. aiodocker's ``close`` would also drop the output still to come."""
        response = stream._resp
        connection = None if response is None else response.connection
        transport = None if connection is None else connection.transport
        if transport is not None and transport.can_write_eof():
            transport.write_eof()


class _Docker(aiodocker.Docker):
    """aiodocker leaves a caller-supplied connector open on close; this client owns its own."""

    async def close(self) -> None:
        await super().close()
        await self.connector.close()


def create_docker(settings: Settings) -> aiodocker.Docker:
    """Build the client; call it inside the running event loop and ``await docker.close()``."""
    limit = settings.sandbox_concurrency * 3 + CONNECTION_MARGIN
    host = settings.docker_host
    if host is None or host.startswith("unix://"):
        path = (host or "unix:///var/run/docker.sock").removeprefix("unix://")
        connector: aiohttp.BaseConnector = aiohttp.UnixConnector(path, limit=limit)
        return _Docker(url="unix://localhost", connector=connector)
    if host.startswith(("tcp://", "http://", "https://")):
        tls = tls_context(settings)
        scheme = "https://" if tls is not None else "http://"
        url = scheme + host.split("://", 1)[1]
        connector = aiohttp.TCPConnector(limit=limit, ssl=tls if tls is not None else False)
        return _Docker(url=url, connector=connector)
    return aiodocker.Docker(url=host)


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """TLS as the docker CLI does it: client certificate from ``ca.pem``/``cert.pem``/``key.pem``
    in the cert path; the engine's certificate is checked only when TLS verify is on."""
    if not settings.docker_tls_verify and settings.docker_cert_path is None:
        return None
    folder = settings.docker_cert_path
    if settings.docker_tls_verify:
        cafile = str(folder / "ca.pem") if folder is not None else None
        context = ssl.create_default_context(cafile=cafile)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if folder is not None and (folder / "cert.pem").exists():
        context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context
