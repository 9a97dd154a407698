"""Hijacked streams through the terminal endpoint, against the engine's own socket in the same run.

Both sides use the same raw hijacking client (``POST …`` with ``Upgrade: tcp``, then the socket
both ways), so the difference is the endpoint: TLS, the sandbox's pipeline and the relay.

* keystroke round trip: one character typed into ``cat`` in an ``exec -it`` (the TTY echoes it),
  timed until the echo is back, ``--keys`` times, interleaved endpoint / engine;
* attach throughput: a container writing ``--mb`` MB to stdout (``dd`` from ``/dev/zero`` in 1 MB
  blocks, not a TTY: multiplexed frames) read from ``attach`` opened before its start, timed
  from the first frame to the stream's end; a run counts only when every byte of stdout
  arrived and the container exited 0. The container gets ``--cpus`` (default 1, above the
  sandbox's 0.5) so that the producer is not the bottleneck.

Needs a running engine and the stand-in images (``moussaillon sandbox prepare --offline``).
Run: python -m bench.terminal_streams [--keys 200] [--mb 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import ssl
import struct
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import line, percentile, summary
from moussaillon.areas import migrations, register_messages
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import EngineApi, labels
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.sandbox.service import SandboxService
from moussaillon.terminal.ca import Authority
from moussaillon.terminal.certs import TerminalCerts
from moussaillon.terminal.server import TerminalServer

USER = 8_900_011
SOCKET = "/var/run/docker.sock"
API = "/v1.41"
FRAME = struct.Struct(">BxxxI")
WAIT_S = 60
BLOCK = 1_000_000

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def hijack(streams: Streams, path: str, body: dict[str, Any] | None = None) -> bytes:
    """Send the upgrade; what came after the ``101`` head (the stream's first bytes)."""
    reader, writer = streams
    data = json.dumps(body).encode() if body is not None else b""
    writer.write(
        (
            f"POST {API}{path} HTTP/1.1\r\nHost: bench\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode()
        + data
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"no upgrade: {head[:200]!r}")
    return b""


class Side:
    """One way to the engine's API: the endpoint (TLS, a student's certificate) or the socket."""

    def __init__(self, name: str, tls: ssl.SSLContext | None, port: int = 0) -> None:
        self.name = name
        self.tls = tls
        self.port = port

    async def open(self) -> Streams:
        if self.tls is None:
            return await asyncio.open_unix_connection(SOCKET, limit=1 << 20)
        return await asyncio.open_connection(
            "127.0.0.1", self.port, ssl=self.tls, server_hostname="localhost", limit=1 << 20
        )


async def close(streams: Streams) -> None:
    streams[1].close()
    with contextlib.suppress(Exception):
        await streams[1].wait_closed()


async def typing_session(side: Side, exec_id: str) -> Streams:
    streams = await side.open()
    await hijack(streams, f"/exec/{exec_id}/start", {"Detach": False, "Tty": True})
    return streams


async def keystroke(streams: Streams, char: bytes) -> float:
    reader, writer = streams
    started = time.perf_counter()
    writer.write(char)
    await writer.drain()
    seen = b""
    async with asyncio.timeout(WAIT_S):
        while char not in seen:
            chunk = await reader.read(4096)
            if not chunk:
                raise RuntimeError("the stream ended")
            seen += chunk
    return (time.perf_counter() - started) * 1000


async def drain_frames(reader: asyncio.StreamReader) -> tuple[int, float]:
    """Stdout's payload bytes of a multiplexed stream until its end, and when the first came."""
    total, first = 0, 0.0
    while True:
        try:
            header = await reader.readexactly(FRAME.size)
        except asyncio.IncompleteReadError as exc:
            if exc.partial:
                raise
            return total, first
        kind, size = FRAME.unpack(header)
        first = first or time.perf_counter()
        left = size
        while left:
            chunk = await reader.read(min(left, 1 << 20))
            if not chunk:
                raise RuntimeError("a frame was cut")
            left -= len(chunk)
        if kind == 1:
            total += size


async def flood(api: EngineApi, side: Side, size: int) -> tuple[float, int, int]:
    """(seconds, payload bytes, exit code) of one container writing ``size`` bytes."""
    count = size // BLOCK
    command = ["dd", "if=/dev/zero", f"bs={BLOCK}", f"count={count}"]
    made = await api.create(USER, None, {"Image": "alpine", "Cmd": command})
    container_id = made["Id"]
    streams = await side.open()
    try:
        await hijack(streams, f"/containers/{container_id}/attach?stream=1&stdout=1&stderr=1")
        await api.start(USER, container_id)
        async with asyncio.timeout(WAIT_S):
            got, first = await drain_frames(streams[0])
        seconds = time.perf_counter() - first
    finally:
        await close(streams)
    state = (await api.inspect(USER, container_id)).get("State") or {}
    await api.remove(USER, container_id, force=True)
    return seconds, got, int(state.get("ExitCode", -1))


async def main(keys: int, mb: int, runs: int, cpus: float) -> None:
    register_messages()
    folder = Path(tempfile.mkdtemp(prefix="bench-terminal-streams-"))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db_path=folder / "bench.db",
        sandbox_commands_per_minute=100_000,
        sandbox_burst=100_000,
        sandbox_cpus=cpus,  # the producer must outrun the relay, or the figure is its limit
    )
    docker = create_docker(settings)
    store = Store(folder / "bench.db", migrations())
    service = SandboxService(settings, store, docker)
    api = service.engine_api()
    authority = Authority(folder / "terminal", ["localhost", "127.0.0.1"])
    certs = TerminalCerts(store, authority, host="127.0.0.1", port=0)
    server = TerminalServer(api, certs, host="127.0.0.1", port=0, max_connections=16)
    await server.start()
    sessions: list[Streams] = []
    try:
        bundle = await certs.issue(USER)
        for name, data in (("cert.pem", bundle.cert), ("key.pem", bundle.key)):
            (folder / name).write_bytes(data)
        tls = ssl.create_default_context(cafile=str(authority.ca_path))
        tls.load_cert_chain(str(folder / "cert.pem"), str(folder / "key.pem"))
        endpoint, engine = Side("endpoint", tls, server.port), Side("engine socket", None)

        box = await api.create(
            USER, "box", {"Image": "alpine", "Cmd": ["sleep", "3600"], "Tty": True}
        )
        await api.start(USER, box["Id"])
        config = {"Cmd": ["cat"], "Tty": True, "AttachStdin": True, "AttachStdout": True}
        mine = await api.exec_create(USER, "box", config)
        raw = await service.engine.post(f"containers/{box['Id']}/exec", data=config)
        ours, theirs = (
            await typing_session(endpoint, mine["Id"]),
            await typing_session(engine, raw["Id"]),
        )
        sessions += [ours, theirs]
        for streams in (ours, theirs):  # warm both
            await keystroke(streams, b"w")
        through, straight = [], []
        for n in range(keys):
            char = bytes([ord("a") + n % 26])
            through.append(await keystroke(ours, char))
            straight.append(await keystroke(theirs, char))
            if n % 64 == 63:  # ctrl-U: the line stays short
                for streams in (ours, theirs):
                    streams[1].write(b"\x15")
                await asyncio.sleep(0.05)
        line("keystroke, engine socket", summary(straight))
        line("keystroke, endpoint", summary(through))
        p95 = percentile(through, 95)
        line("keystroke p95 target < 50 ms", "met" if p95 < 50 else f"MISSED ({p95:.1f} ms)")

        size = mb * 1_000_000
        rates: dict[str, list[float]] = {endpoint.name: [], engine.name: []}
        for _ in range(runs):
            for side in (engine, endpoint):
                seconds, got, code = await flood(api, side, size)
                if got != size or code != 0:
                    line(f"attach {mb} MB, {side.name}", f"FAILED: {got} bytes, exit {code}")
                    continue
                rates[side.name].append(size / seconds / 1e6)
        for name, values in rates.items():
            shown = " ".join(f"{v:.0f}" for v in values)
            best = max(values, default=0.0)
            line(
                f"attach {mb} MB, {name}", f"{len(values)}/{runs} ok, MB/s {shown} best={best:.0f}"
            )
        if rates[engine.name] and rates[endpoint.name]:
            ratio = max(rates[endpoint.name]) / max(rates[engine.name])
            line("attach throughput endpoint/engine", f"{ratio:.2f}")
    finally:
        for streams in sessions:
            await close(streams)
        await server.close()
        await service.close()
        await purge_owner(service.engine, labels.owner_key(USER))
        store.close()
        await docker.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpus", type=float, default=1.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.keys, arguments.mb, arguments.runs, arguments.cpus))
