"""The endpoint: a TLS listener, who the client is, the engine's headers and errors.

TLS only, with the app's own CA: the handshake asks for a client certificate but lets one
without through (``CERT_OPTIONAL``) so that ``/_ping`` answers, as the CLI pings before
anything; every other path needs a certificate the CA signed *and* ``terminal_certs`` still
holds unrevoked. Connections per certificate are capped (``MOUSSAILLON_TERMINAL_MAX_CONNECTIONS``);
the HTTP bounds live in ``connection.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections import Counter
from typing import Any

from moussaillon.core.i18n import t
from moussaillon.sandbox import ApiError, EngineApi
from moussaillon.terminal import routes
from moussaillon.terminal.ca import Authority, serial_of
from moussaillon.terminal.certs import TerminalCerts
from moussaillon.terminal.connection import ClientGone, Connection
from moussaillon.terminal.tls import TlsStream

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_S = 10.0
FALLBACK_API = "1.41"


def server_context(authority: Authority) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(authority.ca_path))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(authority.server_cert), str(authority.server_key))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.num_tickets = 0  # each CLI call is a new process that never resumes a session
    return ctx


class TerminalServer:
    def __init__(
        self,
        api: EngineApi,
        certs: TerminalCerts,
        *,
        host: str,
        port: int,
        max_connections: int,
    ) -> None:
        self.api = api
        self.certs = certs
        self.host = host
        self.port = port
        self.max_connections = max_connections
        self.open: Counter[str] = Counter()  # live connections per certificate serial
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._tls = server_context(certs.authority)
        self.api_version = FALLBACK_API
        self.engine_version = ""

    async def start(self) -> None:
        try:
            version = await self.api.version()
            self.api_version = version.get("ApiVersion") or FALLBACK_API
            self.engine_version = version.get("Version") or ""
        except Exception:
            log.warning("terminal: engine version unknown, answering API %s", FALLBACK_API)
        self._server = await asyncio.start_server(
            self._handle,
            self.host,
            self.port,
        )
        sockets = list(self._server.sockets or ())
        if sockets and self.port == 0:
            self.port = sockets[0].getsockname()[1]
        log.info("terminal endpoint on tcp://%s:%s (TLS)", self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._server is not None:
            await self._server.wait_closed()
        await self.api.flush()

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [
            ("Api-Version", self.api_version),
            ("Docker-Experimental", "false"),
            ("Ostype", "linux"),
            ("Server", f"Docker/{self.engine_version} (linux)"),
        ]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        serial: str | None = None
        stream = TlsStream(reader, writer, self._tls)
        try:
            async with asyncio.timeout(HANDSHAKE_TIMEOUT_S):
                await stream.handshake()
            der = stream.peer_certificate()
            serial = serial_of(der) if der else None
            if serial is not None:
                self.open[serial] += 1
            await self._serve(Connection(stream), serial)
        except (ClientGone, ConnectionError, OSError, TimeoutError, ssl.SSLError):
            pass
        except asyncio.CancelledError:  # the endpoint is closing: the connection ends here
            pass
        except Exception:
            log.exception("terminal: a connection failed")
        finally:
            if serial is not None:
                self.open[serial] -= 1
                if self.open[serial] <= 0:
                    del self.open[serial]
            stream.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await stream.wait_closed()
            if task is not None:
                self._tasks.discard(task)

    async def _serve(self, conn: Connection, serial: str | None) -> None:
        while True:
            request = await conn.next_request()
            if request is None:
                return
            path, request.query, asked = routes.split(request.target)
            log.debug("terminal: %s %s", request.method, request.target)
            request.path = path
            if path == "/_ping" and request.method in ("GET", "HEAD"):
                body = b"" if request.method == "HEAD" else b"OK"
                headers = [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Cache-Control", "no-cache, no-store, must-revalidate"),
                    ("Pragma", "no-cache"),
                    ("Builder-Version", "1"),
                    *self.headers,
                ]
                await conn.send(200, body, headers)
                continue
            if asked is not None:
                maximum = tuple(int(p) for p in self.api_version.split("."))
                if asked > maximum:
                    await conn.send_json(
                        400, {"message": routes.too_new(asked, self.api_version)}, self.headers
                    )
                    continue
                if asked < routes.MIN_API:
                    await conn.send_json(400, {"message": routes.too_old(asked)}, self.headers)
                    continue
            # Looked up per request: a revocation also stops connections already open.
            user_id = None if serial is None else await self.certs.owner(serial)
            if user_id is None:
                key = "terminal.no_certificate" if serial is None else "terminal.revoked"
                await conn.send_json(401, {"message": t(key)}, self.headers)
                continue
            if serial is not None and self.open[serial] > self.max_connections:
                text = t("terminal.too_many_connections", limit=self.max_connections)
                await conn.send_json(429, {"message": text}, self.headers, close=True)
                return
            if not await self._route(conn, request, path, user_id):
                return

    async def _route(
        self, conn: Connection, request: routes.Request, path: str, user_id: int
    ) -> bool:
        """Answer one request; False once the connection was hijacked (it ends with the stream)."""
        ex = routes.Exchange(conn, request, self.api, user_id, self.headers)
        try:
            if not await routes.dispatch(ex, path):
                text = t("terminal.not_in_slice", method=request.method, path=path[:100])
                await ex.json(404, {"message": text})
        except ApiError as exc:
            if ex.hijacked:  # the stream has begun: no HTTP answer can follow
                return False
            await ex.json(exc.status, {"message": exc.message})
        return not ex.hijacked
