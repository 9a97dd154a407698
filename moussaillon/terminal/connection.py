"""One HTTP/1.1 connection of the endpoint, over h11, with its bounds.

Why not uvicorn (which serves the REST API): the docker CLI's ``attach`` and ``exec start``
ask for ``Upgrade: tcp`` and then use the same socket as a raw two-way stream. ASGI has no
such hijack (uvicorn answers the upgrade as a failed WebSocket), so this endpoint reads the
socket itself with h11 (maintained, no I/O of its own) and, on an upgrade, answers
``101 UPGRADED`` and hands the reader and writer to the route.

Bounds, all from the start: request line and headers together at most ``MAX_HEADER_BYTES``
and ``MAX_HEADERS`` header lines (431, as Go's net/http answers the engine's clients), a body
at most ``MAX_BODY`` or its route's own cap (413, on the ``Content-Length`` before a byte of
the body, or as soon as a chunked body passes it), a whole request head within
``HEAD_TIMEOUT_S`` of its first byte and a body within ``BODY_TIMEOUT_S`` (a slowloris client
is cut off), an idle keep-alive connection closed after ``IDLE_TIMEOUT_S``, and every answer
taken by the client within ``DRAIN_TIMEOUT_S`` (one that never reads is cut off, it cannot hold
a task and its buffers). Malformed HTTP gets Go's plain ``400 Bad Request``.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import h11

from moussaillon.terminal.tls import TlsStream

if TYPE_CHECKING:
    from moussaillon.terminal.transcript import Tap

MAX_HEADER_BYTES = 64 * 1024
MAX_HEADERS = 100
MAX_BODY = 1024 * 1024
HEAD_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 30.0
IDLE_TIMEOUT_S = 60.0
DRAIN_TIMEOUT_S = 30.0  # a client that stops reading what it asked for is cut off
READ_CHUNK = 64 * 1024


BodyLimit = Callable[[str, str], tuple[int, str]]  # (method, target) -> (cap, refusal)
TOO_LARGE = "request body too large"


class ClientGone(Exception):
    """The client closed, timed out or broke HTTP: the connection ends. ``reason`` names the
    bound that cut it off (``metrics.REASONS``); None when the client just went away."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or "closed")
        self.reason = reason


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""
    path: str = ""
    query: dict[str, str] = field(default_factory=dict)

    @property
    def upgrade(self) -> bool:
        return self.headers.get("upgrade", "").lower() == "tcp"

    def json(self) -> Any:
        if not self.body.strip():
            return {}
        return json.loads(self.body)


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


def _plain(status: int, reason: str) -> bytes:
    """Go's net/http answer to a request it cannot parse (what the engine's clients see)."""
    text = f"{status} {reason}"
    return (
        f"HTTP/1.1 {text}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Connection: close\r\n\r\n{text}"
    ).encode()


class Connection:
    def __init__(self, stream: TlsStream) -> None:
        self.reader = stream
        self.writer = stream
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEADER_BYTES)
        self.tap: Tap | None = None  # what the current answer carries, for the transcript
        self.status = 0  # of the last answer begun (101 for an upgrade), for the metrics

    async def _read(self, timeout: float, phase: str) -> None:  # noqa: ASYNC109 (per-phase deadline)
        try:
            async with asyncio.timeout(timeout):
                data = await self.reader.read(READ_CHUNK)
        except TimeoutError as exc:
            raise ClientGone(phase) from exc
        except (ConnectionError, OSError, ssl.SSLError) as exc:
            raise ClientGone from exc
        self.h11.receive_data(data)

    async def _refuse(self, status: int, reason: str, why: str) -> None:
        self.status = status
        self.writer.write(_plain(status, reason))
        await self._drain()
        raise ClientGone(why)

    async def _drain(self) -> None:
        try:
            async with asyncio.timeout(DRAIN_TIMEOUT_S):
                await self.writer.drain()
        except TimeoutError as exc:
            raise ClientGone("drain_timeout") from exc
        except (ConnectionError, OSError) as exc:
            raise ClientGone from exc

    async def next_request(self, body_limit: BodyLimit | None = None) -> Request | None:
        """The next whole request, or None when the client closed between requests;
        ``body_limit(method, target)`` is a route's own cap and refusal (``MAX_BODY``
        without one)."""
        if self.h11.our_state is h11.MUST_CLOSE:  # the client asked ``Connection: close``
            return None
        await asyncio.sleep(0)  # pipelined requests come without a read: let others run between
        if self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE:
            self.h11.start_next_cycle()
        loop = asyncio.get_running_loop()
        deadline: float | None = None  # the head's, then the body's: a whole phase, not a read
        request: Request | None = None
        body = bytearray()
        cap, too_large = MAX_BODY, TOO_LARGE
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                if exc.error_status_hint == 431:
                    await self._refuse(431, "Request Header Fields Too Large", "headers_too_large")
                await self._refuse(400, "Bad Request", "bad_request")
                raise
            if event is h11.NEED_DATA:
                if deadline is None:  # waiting for a new request: the idle time-out
                    await self._read(IDLE_TIMEOUT_S, "idle_timeout")
                    deadline = loop.time() + HEAD_TIMEOUT_S
                else:
                    phase = "head_timeout" if request is None else "body_timeout"
                    await self._read(max(0.0, deadline - loop.time()), phase)
                continue
            if isinstance(event, h11.ConnectionClosed):
                return None
            if isinstance(event, h11.Request):
                if len(event.headers) > MAX_HEADERS:
                    await self._refuse(431, "Request Header Fields Too Large", "headers_too_large")
                headers = {k.decode().lower(): v.decode("latin-1") for k, v in event.headers}
                method, target = event.method.decode(), event.target.decode("latin-1")
                cap, too_large = (
                    (MAX_BODY, TOO_LARGE) if body_limit is None else body_limit(method, target)
                )
                length = headers.get("content-length")
                if length is not None and length.isdigit() and int(length) > cap:
                    await self.send_json(413, {"message": too_large}, close=True)
                    raise ClientGone("body_too_large")
                request = Request(method, target, headers)
                deadline = loop.time() + BODY_TIMEOUT_S
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > cap:
                    await self.send_json(413, {"message": too_large}, close=True)
                    raise ClientGone("body_too_large")
            elif isinstance(event, h11.EndOfMessage):
                assert request is not None
                request.body = bytes(body)
                return request

    async def send(
        self,
        status: int,
        body: bytes,
        headers: list[tuple[str, str]],
        *,
        close: bool = False,
    ) -> None:
        self.status = status
        if self.tap is not None:
            self.tap.status = status
            self.tap.add(body)
            await self.tap.complete()
        all_headers = [*headers, ("Content-Length", str(len(body)))]
        if close:
            all_headers.append(("Connection", "close"))
        head = h11.Response(status_code=status, headers=all_headers, reason=_reason(status))
        try:  # one TLS record and one send: each write would wake the client once more
            parts = [self.h11.send(head), self.h11.send(h11.Data(data=body)) if body else b""]
            parts.append(self.h11.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as exc:
            raise ClientGone from exc
        self.writer.write(b"".join(p or b"" for p in parts))
        await self._drain()

    async def start_stream(self, status: int, headers: list[tuple[str, str]]) -> None:
        """The head of a response whose body comes later (chunked)."""
        self.status = status
        if self.tap is not None:
            self.tap.status = status
        try:
            self.writer.write(
                self.h11.send(
                    h11.Response(status_code=status, headers=headers, reason=_reason(status))
                )
            )
        except h11.LocalProtocolError as exc:
            raise ClientGone from exc
        await self._drain()

    async def stream_data(self, data: bytes) -> None:
        """One chunk of a body ``start_stream`` began."""
        if self.tap is not None:
            self.tap.add(data)
        try:
            self.writer.write(self.h11.send(h11.Data(data=data)))
        except h11.LocalProtocolError as exc:
            raise ClientGone from exc
        await self._drain()

    async def client_closed(self) -> None:
        """Return once the client closed its side while a streamed answer goes on (the CLI
        killed): an idle ``logs -f`` would not notice it otherwise. Bytes it sends meanwhile
        go to h11 for the next request, and then the watch stops (never returns)."""
        try:
            data = await self.reader.read(READ_CHUNK)
        except (ConnectionError, OSError, ssl.SSLError):
            return
        if not data:
            return
        self.h11.receive_data(data)
        await asyncio.Event().wait()

    async def stream_end(self, data: bytes) -> None:
        if self.tap is not None:
            self.tap.add(data)
            await self.tap.complete()
        try:
            if data:
                self.writer.write(self.h11.send(h11.Data(data=data)))
            self.writer.write(self.h11.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as exc:
            raise ClientGone from exc
        await self._drain()

    async def send_json(
        self,
        status: int,
        data: Any,
        headers: list[tuple[str, str]] | None = None,
        *,
        close: bool = False,
    ) -> None:
        body = (json.dumps(data, ensure_ascii=False) + "\n").encode() if status != 204 else b""
        await self.send(
            status, body, [("Content-Type", "application/json"), *(headers or [])], close=close
        )

    async def hijack(self, upgraded: bool, headers: list[tuple[str, str]]) -> None:
        """Take the socket over as the engine does: ``101 UPGRADED`` when the client asked
        for ``Upgrade: tcp``, else a 200 with a body that lasts until the stream ends."""
        self.status = 101 if upgraded else 200
        head = "HTTP/1.1 101 UPGRADED\r\n" if upgraded else "HTTP/1.1 200 OK\r\n"
        if self.tap is not None:
            self.tap.status = 101 if upgraded else 200
        lines = [("Content-Type", "application/vnd.docker.raw-stream"), *headers]
        if upgraded:
            lines += [("Connection", "Upgrade"), ("Upgrade", "tcp")]
        self.writer.write((head + "".join(f"{k}: {v}\r\n" for k, v in lines) + "\r\n").encode())
        await self._drain()

    def leftover(self) -> bytes:
        """Bytes the client sent after the request h11 read: after a hijack, its first input."""
        data, _ = self.h11.trailing_data
        return bytes(data)

    async def read_raw(self) -> bytes:
        """The hijacked client's next bytes (b"" once it closed its side); no time limit here,
        the stream's own idle bound applies."""
        try:
            return await self.reader.read(READ_CHUNK)
        except (ConnectionError, OSError, ssl.SSLError) as exc:
            raise ClientGone from exc

    async def write_raw(self, data: bytes) -> None:
        if self.tap is not None:
            self.tap.add(data)
        self.writer.write(data)
        await self._drain()

    def close(self) -> None:
        self.writer.close()
