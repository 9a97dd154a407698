"""One hijacked engine stream (an attach or an exec) as the endpoint relays it.

The engine's output is scrubbed of host paths before it leaves, as every other output is:
each stream (stdout, stderr, or the TTY's one) decodes UTF-8 incrementally, so a character cut
between two reads is not mangled into U+FFFD, then goes back raw (TTY) or framed with the
8-byte header (multiplexed). A path cut between two reads of a bulk output is scrubbed as
two halves: the tail is not held back, since an interactive shell's echo must not wait.
"""

from __future__ import annotations

import codecs
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiodocker.stream import Stream

from moussaillon.sandbox.api.bodies import STREAM_FRAME
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.scrub import scrub_paths


@dataclass
class Hijack:
    """``read`` the output (None at its end), ``write`` stdin, ``close_stdin`` (half-close),
    ``close``. ``tty`` says which shape ``read`` gives."""

    stream: Stream
    tty: bool
    prefix: str
    stdin: bool
    abandon: Callable[[], Awaitable[None]] | None = None  # when the endpoint ends it early
    _decoders: dict[int, codecs.IncrementalDecoder] = field(default_factory=dict)
    _closed: bool = False

    async def read(self) -> bytes | None:
        message = await self.stream.read_out()
        if message is None:
            tail = b"".join(self._flush())
            self._decoders.clear()
            return tail or None
        return self._shape(message.stream, message.data, final=False)

    def _shape(self, kind: int, data: bytes, *, final: bool) -> bytes:
        decoder = self._decoders.get(kind)
        if decoder is None:
            decoder = self._decoders[kind] = codecs.getincrementaldecoder("utf-8")("replace")
        text = decoder.decode(data, final)
        out = scrub_paths(text, self.prefix).encode() if "/" in text else text.encode()
        if self.tty or not out:
            return out
        return STREAM_FRAME.pack(kind, len(out)) + out

    def _flush(self) -> list[bytes]:
        return [self._shape(kind, b"", final=True) for kind in list(self._decoders)]

    async def write(self, data: bytes) -> None:
        await self.stream.write_in(data)

    def close_stdin(self) -> None:
        Engine.close_stdin(self.stream)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.stream.close()
