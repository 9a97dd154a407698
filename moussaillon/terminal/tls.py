"""TLS over a plain asyncio socket, by hand (``ssl.SSLObject`` on memory BIOs).

asyncio's own TLS transport closes the whole connection when the peer half-closes (its
``close_notify``: "returning true from eof_received() has no effect when using ssl"). The
docker CLI half-closes every hijacked stream as soon as it has no more stdin to send, and
then waits for the container's output on the same socket: with asyncio's transport that
output was lost. Here a ``close_notify`` only ends the reading side, as Go's TLS does for the
engine.
"""

from __future__ import annotations

import asyncio
import ssl

RAW_CHUNK = 64 * 1024


class TlsStream:
    """One server-side TLS connection: ``read``/``write``/``drain``/``close``, like asyncio's
    reader and writer together."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        context: ssl.SSLContext,
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._in = ssl.MemoryBIO()
        self._out = ssl.MemoryBIO()
        self.ssl = context.wrap_bio(self._in, self._out, server_side=True)
        self.eof = False

    def _pump(self) -> None:
        data = self._out.read()
        if data:
            self._writer.write(data)

    async def _fill(self) -> bool:
        self._pump()
        await self._writer.drain()
        raw = await self._reader.read(RAW_CHUNK)
        if not raw:
            return False
        self._in.write(raw)
        return True

    async def handshake(self) -> None:
        while True:
            try:
                self.ssl.do_handshake()
                break
            except ssl.SSLWantReadError:
                if not await self._fill():
                    raise ConnectionError("closed during the TLS handshake") from None
        self._pump()
        await self._writer.drain()

    def peer_certificate(self) -> bytes | None:
        return self.ssl.getpeercert(binary_form=True)

    async def read(self, n: int) -> bytes:
        """Up to ``n`` bytes; b"" once the peer closed its side (the writing side stays)."""
        while not self.eof:
            try:
                return self.ssl.read(n)
            except ssl.SSLWantReadError:
                if not await self._fill():
                    self.eof = True
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                self.eof = True
        return b""

    def write(self, data: bytes) -> None:
        self.ssl.write(data)
        self._pump()

    async def drain(self) -> None:
        await self._writer.drain()

    def close(self) -> None:
        try:
            self.ssl.unwrap()
        except (ssl.SSLError, ValueError):
            pass
        self._pump()
        self._writer.close()

    async def wait_closed(self) -> None:
        await self._writer.wait_closed()
