"""The endpoint: a TLS listener, who the client is, the engine's headers and errors.

TLS only, with the app's own CA: the handshake asks for a client certificate but lets one
without through (``CERT_OPTIONAL``) so that ``/_ping`` answers, as the CLI pings before
anything; every other path needs a certificate the CA signed *and* ``terminal_certs`` still
holds unrevoked, or a live bearer token (``auth.py``, ``tokens.py``). Connections per
credential are capped (``MOUSSAILLON_TERMINAL_MAX_CONNECTIONS``), all connections too
(``MOUSSAILLON_TERMINAL_MAX_OPEN``); the HTTP bounds live in ``connection.py``. What is served
and refused is counted in ``metrics.py``.
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
from moussaillon.terminal.auth import Seat, identify
from moussaillon.terminal.ca import Authority, serial_of
from moussaillon.terminal.certs import TerminalCerts
from moussaillon.terminal.connection import ClientGone, Connection
from moussaillon.terminal.metrics import TerminalMetrics, kind
from moussaillon.terminal.open_streams import OpenStreams
from moussaillon.terminal.tls import TlsStream
from moussaillon.terminal.transcript import Remember, Tap, Transcript

log = logging.getLogger(__name__)

HANDSHAKE_TIMEOUT_S = 10.0
CLOSE_TIMEOUT_S = 2.0
FALLBACK_API = "1.41"
MAX_OPEN = 1024


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
        remember: Remember | None = None,
        max_open: int = MAX_OPEN,
        metrics: TerminalMetrics | None = None,
    ) -> None:
        """``remember(user_id, line, output)``: where the labs keep the student's latest
        output (``PracticeService.remember``), fed by the ``Transcript``."""
        self.api = api
        self.transcript = Transcript(remember)
        self.certs = certs
        self.host = host
        self.port = port
        self.max_connections = max_connections
        self.max_open = max_open
        self.open: Counter[str] = Counter()  # connections served per credential (auth.Seat)
        self.metrics = metrics or TerminalMetrics()
        self._exchanges: dict[int, routes.Exchange] = {}  # being answered now, by id()
        self._streams_closed = 0
        self.metrics.watch(self._live)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._tls = server_context(certs.authority)
        self.api_version = FALLBACK_API
        self.engine_version = ""
        self.streams = OpenStreams(api.service.settings.terminal_max_streams)

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
            backlog=self.max_open,  # asyncio's 100 drops a burst's SYNs: 1 s retries for all
        )
        sockets = list(self._server.sockets or ())
        if sockets and self.port == 0:
            self.port = sockets[0].getsockname()[1]
        log.info("terminal endpoint on tcp://%s:%s (TLS)", self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        await self.streams.close_all()  # each open stream says why it ends, then all are cut
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._server is not None:
            await self._server.wait_closed()
        await self.api.flush()

    def _live(self) -> tuple[int, int, int]:
        streams = sum(1 for ex in self._exchanges.values() if ex.hijacked)
        return len(self._tasks), streams, self._streams_closed

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
        if len(self._tasks) >= self.max_open:  # before any TLS work: a flood costs a close
            self.metrics.refused("server_full")
            writer.close()
            return
        if task is not None:
            self._tasks.add(task)
        self.metrics.accepted.inc()
        seat, stuck = Seat(), False
        stream = TlsStream(reader, writer, self._tls)
        try:
            try:
                async with asyncio.timeout(HANDSHAKE_TIMEOUT_S):
                    await stream.handshake()
            except (ConnectionError, OSError, TimeoutError, ssl.SSLError):
                self.metrics.refused("handshake")
                raise
            der = stream.peer_certificate()
            serial = serial_of(der) if der else None
            if serial is not None:
                seat.take(self.open, serial, self.max_connections)
            await self._serve(Connection(stream), serial, seat)
        except ClientGone as gone:
            stuck = gone.reason == "drain_timeout"
            if gone.reason is not None:
                self.metrics.refused(gone.reason)
        except (ConnectionError, OSError, TimeoutError, ssl.SSLError):
            pass
        except asyncio.CancelledError:  # the endpoint is closing: the connection ends here
            pass
        except Exception:
            log.exception("terminal: a connection failed")
        finally:
            seat.leave(self.open)
            if not stuck:  # a closing flushes first: not to a client that stopped reading
                stream.close()
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    async with asyncio.timeout(CLOSE_TIMEOUT_S):
                        await stream.wait_closed()
            stream.abort()
            if task is not None:
                self._tasks.discard(task)

    async def _serve(self, conn: Connection, serial: str | None, seat: Seat) -> None:
        while True:
            request = await conn.next_request(
                lambda method, target: routes.body_limit(self.api, method, target)
            )
            if request is None:
                return
            path, request.query, asked = routes.split(request.target)
            log.debug("terminal: %s %s", request.method, request.target)
            request.path = path
            route = kind(request.method, path)
            try:
                if not await self._answer(conn, request, path, asked, serial, seat):
                    return
            finally:
                if conn.status:
                    self.metrics.requests.labels(route, str(conn.status)).inc()
                    conn.status = 0

    async def _answer(
        self,
        conn: Connection,
        request: routes.Request,
        path: str,
        asked: tuple[int, int] | None,
        serial: str | None,
        seat: Seat,
    ) -> bool:
        """One request; False when the connection ends with it."""
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
            return True
        if asked is not None:
            maximum = tuple(int(p) for p in self.api_version.split("."))
            if asked > maximum or asked < routes.MIN_API:
                self.metrics.refused("version")
                text = routes.too_new(asked, self.api_version) if asked > maximum else None
                await conn.send_json(400, {"message": text or routes.too_old(asked)}, self.headers)
                return True
        caller = await identify(self.certs, serial, request.headers)
        if caller.user_id is None:
            self.metrics.refused(caller.reason)
            await conn.send_json(401, {"message": t(f"terminal.{caller.reason}")}, self.headers)
            return True
        seat.take(self.open, caller.key, self.max_connections)
        if seat.over:
            self.metrics.refused("too_many_connections")
            text = t("terminal.too_many_connections", limit=self.max_connections)
            await conn.send_json(429, {"message": text}, self.headers, close=True)
            return False
        return await self._route(conn, request, path, caller.user_id)

    async def _route(
        self, conn: Connection, request: routes.Request, path: str, user_id: int
    ) -> bool:
        """Answer one request; False once the connection was hijacked (it ends with the stream)."""
        ex = routes.Exchange(conn, request, self.api, user_id, self.headers, streams=self.streams)
        if self.transcript.on:

            async def heard(tap: Tap) -> None:
                await self.transcript.answered(user_id, request, tap)

            conn.tap = Tap(heard)
        self._exchanges[id(ex)] = ex
        try:
            if not await routes.dispatch(ex, path):
                self.metrics.refused("unknown_path")
                text = t("terminal.not_in_slice", method=request.method, path=path[:100])
                await ex.json(404, {"message": text})
        except ApiError as exc:
            if 400 <= exc.status < 500:
                self.metrics.refused("rate_limited" if exc.status == 429 else "policy")
            if ex.hijacked:  # the stream has begun: no HTTP answer can follow
                return False
            await ex.json(exc.status, {"message": exc.message})
        finally:
            tap, conn.tap = conn.tap, None
            if tap is not None:  # a stream's end (a whole answer was handed over already)
                await tap.complete()
            del self._exchanges[id(ex)]
            if ex.hijacked:
                self._streams_closed += 1
        return not ex.hijacked
