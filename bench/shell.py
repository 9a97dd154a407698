"""The round trip of one line in an interactive shell, against the raw engine in the same run.

Interleaved, ``--lines`` times each:

* raw stream: ``echo mark-N`` written to a raw aiodocker exec stream (Tty) into an ``alpine sh``
  and read back until the mark appears: the floor, what the engine and the TTY cost;
* raw one-shot exec: ``docker exec box echo mark-N`` as bare API calls (create, start, read,
  inspect), what a line costs without a session;
* service: the same line through ``ShellSession.send`` until the burst holding the mark (the
  burst waits for ``QUIET_S`` of silence, so that wait is in the figure);
* stand-in (``--telegram``): the same line sent as a Telegram message to the bot, polling the
  Bot API stand-in, until the bot's message with the mark arrives there.

Needs a running engine and the stand-in images (``moussaillon sandbox prepare --offline``).
Run: python -m bench.shell [--lines 40] [--telegram]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from pathlib import Path

import aiodocker
from aiodocker.execs import Exec

from bench.common import line, summary
from moussaillon.areas import migrations, register_messages
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.sandbox.service import SandboxService
from moussaillon.sandbox.shell.session import ShellSession

USER = 8_900_001
TG_USER = 8_900_002
TOKEN = "123456:BENCH-SHELL"
WAIT_S = 30


async def until_mark(stream: object, mark: bytes) -> None:
    seen = b""
    while mark not in seen:
        message = await stream.read_out()  # type: ignore[attr-defined]
        if message is None:
            raise RuntimeError("raw stream ended")
        seen += message.data


async def raw_stream_trip(stream: object, n: int) -> float:
    mark = f"mark-{n}"
    started = time.perf_counter()
    await stream.write_in(f"echo {mark}\n".encode())  # type: ignore[attr-defined]
    await until_mark(stream, f"\n{mark}".encode())
    return (time.perf_counter() - started) * 1000


async def raw_exec_trip(docker: aiodocker.Docker, container_id: str, n: int) -> float:
    started = time.perf_counter()
    container = docker.containers.container(container_id)
    execution = await container.exec(["echo", f"mark-{n}"], stdout=True, stderr=True)
    async with execution.start(detach=False) as stream:
        while await stream.read_out() is not None:
            pass
    await execution.inspect()
    return (time.perf_counter() - started) * 1000


async def service_trip(session: ShellSession, bursts: object, n: int) -> float:
    mark = f"\nsvc-{n}"
    started = time.perf_counter()
    await session.send(f"echo svc-{n}")
    seen = ""
    while mark not in seen:
        seen += (await anext(bursts)).text  # type: ignore[call-overload]
    return (time.perf_counter() - started) * 1000


def bench_settings(folder: Path, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        db_path=folder / "bench.db",
        sandbox_commands_per_minute=100_000,
        sandbox_burst=100_000,
        **extra,  # type: ignore[arg-type]
    )


async def telegram_trips(folder: Path, count: int) -> list[float]:
    """The bot in this process, polling the stand-in over real HTTP, as in the tests."""
    from moussaillon.app import build_services
    from moussaillon.bot.application import create_telegram_app, polling
    from tests.telegram_stub import running_stub

    times: list[float] = []
    async with running_stub(token=TOKEN) as stub:
        bot_settings = bench_settings(
            folder / "bot",
            telegram_token=TOKEN,
            telegram_base_url=stub.base_url,
            telegram_base_file_url=stub.base_file_url,
            telegram_rate_limiter=False,
        )
        async with (
            build_services(bot_settings) as services,
            polling(create_telegram_app(services)),
        ):
            user = stub.user(id=TG_USER, first_name="Bench")
            try:
                start = stub.mark()
                stub.send_text(user, "docker run -it --rm alpine sh")
                await stub.wait_for(user, timeout=WAIT_S, after=start)
                await asyncio.sleep(0.5)  # the first prompt's burst
                for n in range(count):
                    start = stub.mark()
                    began = time.perf_counter()
                    stub.send_text(user, f"echo tg-{n}")
                    got: list[object] = []
                    while not any(f"\ntg-{n}" in (m.text or "") for m in got):  # type: ignore[attr-defined]
                        got = await stub.wait_for(
                            user, count=len(got) + 1, timeout=WAIT_S, after=start
                        )
                    times.append((time.perf_counter() - began) * 1000)
                stub.send_text(user, "/quitter_shell")
                await asyncio.sleep(0.5)
            finally:
                assert services.sandbox is not None
                await purge_owner(services.sandbox.engine, labels.owner_key(TG_USER))
    return times


async def main(count: int, telegram: bool) -> None:
    register_messages()
    folder = Path(tempfile.mkdtemp(prefix="bench-shell-"))
    settings = bench_settings(folder)
    docker = create_docker(settings)
    store = Store(folder / "bench.db", migrations())
    service = SandboxService(settings, store, docker)
    raw = await docker.containers.create(
        {
            "Image": "alpine:latest",
            "Cmd": ["sleep", "3600"],
            "HostConfig": {"NetworkMode": "none"},
            "Labels": {"bench": "shell"},
        }
    )
    raw_stream = None
    try:
        await raw.start()
        created = await docker._query_json(  # the raw baseline: the engine's own API, as is
            f"containers/{raw.id}/exec",
            "POST",
            data={
                "AttachStdin": True,
                "AttachStdout": True,
                "AttachStderr": True,
                "Tty": True,
                "Cmd": ["sh"],
            },
        )
        raw_stream = Exec(docker, created["Id"], True).start(detach=False, timeout=None)
        await raw_stream.__aenter__()
        session = await service.open_shell(USER, "docker run -it --rm alpine sh", "en")
        assert isinstance(session, ShellSession), session
        bursts = session.bursts().__aiter__()
        await asyncio.sleep(0.5)
        await raw_stream_trip(raw_stream, -1)
        await service_trip(session, bursts, -1)
        raw_times, exec_times, service_times = [], [], []
        for n in range(count):
            raw_times.append(await raw_stream_trip(raw_stream, n))
            exec_times.append(await raw_exec_trip(docker, raw.id, n))
            service_times.append(await service_trip(session, bursts, n))
        await session.close()
        line("raw engine stream (tty)", summary(raw_times))
        line("raw one-shot exec", summary(exec_times))
        line("service shell session", summary(service_times))
        if telegram:
            line("telegram stand-in", summary(await telegram_trips(folder, count)))
    finally:
        if raw_stream is not None:
            with contextlib.suppress(Exception):
                await raw_stream.close()
        with contextlib.suppress(Exception):
            await raw.delete(force=True)
        await service.close()
        await purge_owner(service.engine, labels.owner_key(USER))
        store.close()
        await docker.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--telegram", action="store_true")
    arguments = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    asyncio.run(main(arguments.lines, arguments.telegram))
