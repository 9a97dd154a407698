"""TLS over a plain asyncio socket, by hand (``ssl.SSLObject`` on memory BIOs).

asyncio's own TLS transport closes the whole connection when the peer half-closes (its
``close_notify``: "returning true from eof_received() has no effect when using ssl"). The
docker CLI half-closes every hijacked stream as soon as it has no more stdin to send, and
then waits for the container's output on the same socket: with asyncio's transport that
output was lost. Here a ``close_notify`` only ends the reading side, as Go's TLS does for the
engine. Sending no session tickets (``server.server_context``) and answering in one record
(``Connection.send``) keep a CLI call's round trips and wake-ups to the minimum.
"""

from __future__ import annotations

import asyncio
import contextlib
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
                if self._in.pending:  # a flight to answer: its crypto, off the event loop
                    await self._step_in_thread()
                else:
                    self.ssl.do_handshake()
                break
            except ssl.SSLWantReadError:
                if not await self._fill():
                    raise ConnectionError("closed during the TLS handshake") from None
        self._pump()
        await self._writer.drain()

    async def _step_in_thread(self) -> None:
        """One handshake step on a worker thread (OpenSSL lets go of the GIL), so a burst of
        handshakes neither stalls the loop nor keeps to one core. A cancelled caller still
        waits for the step: the SSL object must never be used by two threads at once."""
        step = asyncio.get_running_loop().run_in_executor(None, self.ssl.do_handshake)
        try:
            await asyncio.shield(step)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await step
            raise

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

    def abort(self) -> None:
        """Drop the socket and what is still buffered for it (no-op once closed)."""
        self._writer.transport.abort()

    async def wait_closed(self) -> None:
        await self._writer.wait_closed()
