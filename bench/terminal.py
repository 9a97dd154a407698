"""The student's own terminal: the real docker CLI through the endpoint vs straight to the engine.

Interleaved in one run, ``--rounds`` times each, the same CLI binary (``/usr/local/bin/docker``
or whatever ``docker`` is on PATH) as a subprocess:

* ``docker run --rm alpine echo hi`` through the endpoint (TLS, h11, the sandbox's pipeline:
  policy, rate limit, fair queue, scope, forced limits, journal) vs ``DOCKER_HOST`` on the
  engine's unix socket (target: at most 1.3x);
* ``docker ps`` the same way (target: at most 1.5x);
* the same ``run`` straight to the engine with the sandbox's own limits and student network as
  CLI flags (``hostconfig.host_config``): what the engine charges for the limits, so the
  ratio against it is the endpoint's and the pipeline's own share.

Both sides pay the CLI's own start (~15 ms of Go runtime and config loading), which is part of
what a student waits for. A call counts as a success by its exit code; a failure stops the run.
The endpoint runs in this process on a fresh database; its student's objects are removed at
the end. Needs a running engine. Run: python -m bench.terminal [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import line, summary
from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine, create_docker
from moussaillon.sandbox.hostconfig import host_config
from moussaillon.sandbox.reaper import purge_owner
from moussaillon.sandbox.service import SandboxService
from moussaillon.terminal.ca import Authority
from moussaillon.terminal.certs import TerminalCerts
from moussaillon.terminal.server import TerminalServer

USER = 8_950_001
ENGINE_SOCKET = "unix:///var/run/docker.sock"


async def cli(env: dict[str, str], *args: str) -> float:
    """Milliseconds of one CLI call; a non-zero exit stops the bench with its error."""
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        "docker",
        *args,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    elapsed = (time.perf_counter() - started) * 1000
    if proc.returncode != 0:
        raise SystemExit(f"docker {' '.join(args)}: exit {proc.returncode}: {err.decode()}")
    return elapsed


def environments(folder: Path, certs: Path, port: int) -> tuple[dict[str, str], dict[str, str]]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder)}
    config = folder / "docker-config"
    config.mkdir(exist_ok=True)
    through = {
        **base,
        "DOCKER_CONFIG": str(config),
        "DOCKER_HOST": f"tcp://127.0.0.1:{port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
    }
    direct = {**base, "DOCKER_CONFIG": str(config), "DOCKER_HOST": ENGINE_SOCKET}
    return through, direct


def limit_flags(config: dict[str, Any]) -> list[str]:
    """``docker run`` flags for the HostConfig the sandbox forces (the same engine work)."""
    flags = [
        f"--network={config['NetworkMode']}",
        f"--memory={config['Memory']}",
        f"--memory-swap={config['MemorySwap']}",
        f"--cpus={config['NanoCpus'] / 1e9}",
        f"--pids-limit={config['PidsLimit']}",
        f"--shm-size={config['ShmSize']}",
        f"--cgroupns={config['CgroupnsMode']}",
        f"--log-opt=max-size={config['LogConfig']['Config']['max-size']}",
        "--cap-drop=ALL",
    ]
    flags += [f"--security-opt={o}" for o in config["SecurityOpt"]]
    flags += [f"--cap-add={c}" for c in config["CapAdd"]]
    flags += [f"--tmpfs={path}:{options}" for path, options in config["Tmpfs"].items()]
    flags += [f"--ulimit={u['Name']}={u['Soft']}:{u['Hard']}" for u in config["Ulimits"]]
    flags += [f"--dns-option={o}" for o in config["DnsOptions"]]
    flags += [f"--sysctl={k}={v}" for k, v in config["Sysctls"].items()]
    if config["ReadonlyRootfs"]:
        flags.append("--read-only")
    return flags


async def main(rounds: int) -> None:
    if shutil.which("docker") is None:
        raise SystemExit("bench.terminal needs the docker CLI")
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db_path=folder / "bench.db",
        sandbox_commands_per_minute=100_000,
        sandbox_burst=100_000,
    )
    store = Store(settings.db_path, migrations())
    docker = create_docker(settings)
    service = SandboxService(settings, store, docker)
    authority = Authority(folder / "terminal", ["localhost", "127.0.0.1"])
    certs = TerminalCerts(store, authority, host="127.0.0.1", port=0)
    server = TerminalServer(
        service.engine_api(), certs, host="127.0.0.1", port=0, max_connections=32
    )
    await server.start()
    bundle = await certs.issue(USER)
    cert_dir = folder / "certs"
    cert_dir.mkdir()
    for name, data in (("ca.pem", bundle.ca), ("cert.pem", bundle.cert), ("key.pem", bundle.key)):
        (cert_dir / name).write_bytes(data)
    through, direct = environments(folder, cert_dir, server.port)
    run = ("run", "--rm", "alpine", "echo", "hi")
    network = f"m-{labels.owner_key(USER)}-bridge"  # made by the first run through the endpoint
    limited = ("run", "--rm", *limit_flags(host_config(settings, network=network)), *run[2:])
    figures: dict[str, list[float]] = {k: [] for k in ("run", "run0", "runL", "ps", "ps0")}
    try:
        for _ in range(3):  # warm-up: the student's network, the engine's caches
            await cli(through, *run)
            await cli(direct, *run)
            await cli(direct, *limited)
        for _ in range(rounds):
            figures["run"].append(await cli(through, *run))
            figures["run0"].append(await cli(direct, *run))
            figures["runL"].append(await cli(direct, *limited))
            figures["ps"].append(await cli(through, "ps"))
            figures["ps0"].append(await cli(direct, "ps"))
    finally:
        await server.close()
        await purge_owner(Engine(docker), labels.owner_key(USER))
        await service.close()
        await docker.close()
        store.close()
    for name, mine, base, target in (
        ("run --rm alpine echo hi", figures["run"], figures["run0"], 1.3),
        ("ps", figures["ps"], figures["ps0"], 1.5),
    ):
        ratio = statistics.median(mine) / statistics.median(base)
        line(f"terminal {name}", summary(mine))
        line("  baseline: CLI on the engine's socket", summary(base))
        verdict = "ok" if ratio <= target else "over"
        line("  ratio (p50)", f"{ratio:.2f}x (target <= {target}x: {verdict})")
        if name.startswith("run"):
            limited_p50 = statistics.median(figures["runL"])
            line("  baseline: the same, sandbox's limits", summary(figures["runL"]))
            line("  ratio (p50) to it", f"{statistics.median(mine) / limited_p50:.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(parser.parse_args().rounds))
