"""``docker compose up -d`` of the two-service LAMP project against the same objects made raw.

Interleaved in one run, each round from nothing (volume included, so MariaDB initialises each
time): the whole pipeline (rate limit, parse, the project loaded from the files, the policy on
every object, quotas, Compose's names and labels, the volume's keeper, the wait for the
database's health, the shaped output, the journal) against raw aiodocker calls making the same
network, volume and two containers with the same forced limits and the same health probe,
waiting for the same ``healthy`` before starting the web one. The teardown is not timed.

Needs a running engine and the Debian-based images (``moussaillon sandbox prepare --offline``).
Run: python -m bench.compose [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import aiodocker

from bench.common import line
from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox import hostconfig
from moussaillon.sandbox.debian_images import IMAGES
from moussaillon.sandbox.executor.networks import network_body
from moussaillon.sandbox.service import SandboxService

BASE_USER = 8_950_000
COMPOSE = """\
name: lamp
services:
  db:
    image: mariadb:11
    environment:
      MARIADB_DATABASE: carnet
      MARIADB_USER: carnet
      MARIADB_PASSWORD: s3cr3t
      MARIADB_RANDOM_ROOT_PASSWORD: "yes"
    volumes:
      - donnees:/var/lib/mysql
    healthcheck:
      test: ["CMD", "mariadb-admin", "ping", "-h", "127.0.0.1"]
      interval: 1s
      timeout: 5s
      retries: 60
  web:
    image: php:8.2-apache
    depends_on:
      db:
        condition: service_healthy
volumes:
  donnees:
"""
ENV = [
    "MARIADB_DATABASE=carnet",
    "MARIADB_USER=carnet",
    "MARIADB_PASSWORD=s3cr3t",
    "MARIADB_RANDOM_ROOT_PASSWORD=yes",
]
HEALTH = {
    "Test": ["CMD", "mariadb-admin", "ping", "-h", "127.0.0.1"],
    "Interval": 1_000_000_000,
    "Timeout": 5_000_000_000,
    "Retries": 60,
}


class Files:
    def __init__(self) -> None:
        self.trees: dict[int, dict[str, bytes]] = {}

    async def snapshot(self, user_id: int) -> dict[str, bytes]:
        return self.trees.get(user_id, {})


def images() -> dict[str, str]:
    return {
        tag: tag if ":" in tag else f"{tag}:latest"
        for image in IMAGES.values()
        for tag in image.tags
    }


async def through_sandbox(service: SandboxService, user_id: int) -> float:
    started = time.perf_counter()
    result = await service.run_command(user_id, "docker compose up -d", lang="en")
    took = time.perf_counter() - started
    assert result.exit_code == 0, result
    await service.run_command(user_id, "docker compose down -v", lang="en")
    return took


async def raw(docker: aiodocker.Docker, settings: Settings, tag: str) -> float:
    """The same objects by hand: network, volume, db (healthy), web; then removed."""
    made: dict[str, Any] = {}
    started = time.perf_counter()
    net = await docker.networks.create(network_body(f"mbench-{tag}_default", {}))
    made["net"] = net
    await docker.volumes.create(
        {
            "Name": f"mbench-{tag}_donnees",
            "Driver": "local",
            "DriverOpts": hostconfig.volume_driver_opts(settings),
        }
    )
    mount = {"Type": "volume", "Source": f"mbench-{tag}_donnees", "Target": "/var/lib/mysql"}

    async def container(name: str, image: str, **extra: Any) -> Any:
        body = {
            "Image": image,
            "HostConfig": hostconfig.host_config(settings, network=net.id, **extra.pop("host", {})),
            "NetworkingConfig": {"EndpointsConfig": {net.id: {"Aliases": [name]}}},
            **extra,
        }
        made.setdefault("containers", []).append(
            created := await docker.containers.create(body, name=f"mbench-{tag}-{name}-1")
        )
        await created.start()
        return created

    db = await container("db", "mariadb:11", Env=ENV, Healthcheck=HEALTH, host={"mounts": [mount]})
    while True:
        state = (await db.show())["State"]
        if (state.get("Health") or {}).get("Status") == "healthy":
            break
        await asyncio.sleep(0.5)
    await container("web", "php:8.2-apache")
    took = time.perf_counter() - started
    for created in reversed(made.get("containers", [])):
        await created.delete(force=True)
    await net.delete()
    await (await docker.volumes.get(f"mbench-{tag}_donnees")).delete()
    return took


async def main(rounds: int) -> None:
    docker = aiodocker.Docker()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            sandbox_images=",".join(f"{k}={v}" for k, v in images().items()),
            sandbox_commands_per_minute=6000,
            sandbox_burst=1000,
        )
        store = Store(Path(tmp) / "bench.db", migrations())
        files = Files()
        service = SandboxService(settings, store, docker, files=files)
        sandbox_s: list[float] = []
        raw_s: list[float] = []
        try:
            for index in range(rounds):
                user_id = BASE_USER + index
                files.trees[user_id] = {"compose.yaml": COMPOSE.encode()}
                sandbox_s.append(await through_sandbox(service, user_id))
                raw_s.append(await raw(docker, settings, f"r{index}"))
                await service.reset(user_id)
        finally:
            await service.close()
            store.close()
            await docker.close()
    ratio = statistics.median(sandbox_s) / statistics.median(raw_s)
    line("compose up -d (sandbox), median", f"{statistics.median(sandbox_s) * 1000:.0f} ms")
    line("same objects, raw aiodocker, median", f"{statistics.median(raw_s) * 1000:.0f} ms")
    line("ratio (target <= 1.2)", f"{ratio:.2f}x")
    line("rounds", " ".join(f"{s:.2f}/{r:.2f}s" for s, r in zip(sandbox_s, raw_s, strict=True)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
