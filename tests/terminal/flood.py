"""A client flooding the endpoint from its own process (so the endpoint's loop serves alone):
``python -m tests.terminal.flood PORT CERTS N HOLD_S`` opens N TLS connections with the
certificate in CERTS at once, sends one request on each, prints how each first answered (a JSON
count of status lines, "closed" when none came), then holds the open ones for HOLD_S seconds."""

from __future__ import annotations

import asyncio
import collections
import json
import ssl
import sys

LIST = b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\n\r\n"


async def one(ctx: ssl.SSLContext, port: int, held: list[asyncio.StreamWriter]) -> str:
    try:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=ctx, server_hostname="localhost"
        )
    except (OSError, ssl.SSLError):
        return "refused"
    held.append(writer)
    writer.write(LIST)
    try:
        async with asyncio.timeout(60):
            head = await reader.readline()
    except (OSError, ssl.SSLError, TimeoutError):
        head = b""
    return head.decode(errors="replace")[:12] or "closed"


async def main(port: int, certs: str, count: int, hold: float) -> None:
    ctx = ssl.create_default_context(cafile=f"{certs}/ca.pem")
    ctx.load_cert_chain(f"{certs}/cert.pem", f"{certs}/key.pem")
    held: list[asyncio.StreamWriter] = []
    answers = await asyncio.gather(*(one(ctx, port, held) for _ in range(count)))
    print(json.dumps(collections.Counter(answers)), flush=True)
    await asyncio.sleep(hold)
    for writer in held:
        writer.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
