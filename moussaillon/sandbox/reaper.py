"""Removes what students leave behind on the engine, and nothing else.

Only objects labelled ``moussaillon.sandbox=1`` are ever considered. Whose they are comes from
the ``moussaillon.owner`` label and whether that owner is still around comes from SQLite
(``sandbox_sessions.last_used``), never from process memory: the bot, the REST API and the CLI
share one engine and one database, and any of them may reap. Removal goes in dependency order
(containers, then networks, then volumes) and tolerates another process removing the same
object first.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import aiodocker

from moussaillon.bot.clock import utcnow
from moussaillon.bot.store import Store
from moussaillon.sandbox import labels, sessions

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 30.0


@dataclass
class ReapReport:
    """What one pass removed (names, or ids where an object has no name) and what failed."""

    owners: set[str] = field(default_factory=set)
    containers: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return len(self.containers) + len(self.networks) + len(self.volumes)

    def merge(self, other: ReapReport) -> None:
        self.owners |= other.owners
        self.containers += other.containers
        self.networks += other.networks
        self.volumes += other.volumes
        self.errors += other.errors


@dataclass
class Inventory:
    """Every sandbox object on the engine, as the list endpoints describe them."""

    containers: list[dict] = field(default_factory=list)
    networks: list[dict] = field(default_factory=list)
    volumes: list[dict] = field(default_factory=list)

    def owners(self) -> set[str]:
        return {
            owner
            for item in (*self.containers, *self.networks, *self.volumes)
            if (owner := (item.get("Labels") or {}).get(labels.OWNER))
        }

    def only(self, keep: Callable[[str | None], bool]) -> Inventory:
        def pick(items: list[dict]) -> list[dict]:
            return [i for i in items if keep((i.get("Labels") or {}).get(labels.OWNER))]

        return Inventory(pick(self.containers), pick(self.networks), pick(self.volumes))


def _label_filters(owner: str | None) -> list[str]:
    filters = [f"{labels.SANDBOX}=1"]
    if owner is not None:
        filters.append(f"{labels.OWNER}={owner}")
    return filters


async def inventory(docker: aiodocker.Docker, owner: str | None = None) -> Inventory:
    """List the sandbox's objects, all of them or one owner's."""
    wanted = {"label": _label_filters(owner)}
    async with asyncio.timeout(CALL_TIMEOUT_S):
        containers = await docker._query_json(
            "containers/json", params={"all": True, "filters": json.dumps(wanted)}
        )
        networks = await docker.networks.list(filters=wanted)
        volumes = (await docker.volumes.list(filters=wanted)).get("Volumes") or []
    return Inventory(list(containers), list(networks), list(volumes))


def _gone(exc: aiodocker.DockerError) -> bool:
    return exc.status == 404


async def remove(docker: aiodocker.Docker, stock: Inventory) -> ReapReport:
    """Remove the listed objects: containers (with their anonymous volumes), then networks
    (after disconnecting whatever is still attached), then volumes."""
    report = ReapReport(owners=stock.owners())
    for item in stock.containers:
        name = (item.get("Names") or [item["Id"]])[0].lstrip("/")
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                await docker.containers.container(item["Id"]).delete(force=True, v=True)
            report.containers.append(name)
        except aiodocker.DockerError as exc:
            if _gone(exc):
                continue
            report.errors.append(f"container {name}: {exc.message}")
        except TimeoutError:
            report.errors.append(f"container {name}: timed out")
    for item in stock.networks:
        name = item.get("Name") or item["Id"]
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                network = aiodocker.networks.DockerNetwork(docker, item["Id"])
                attached = (await network.show()).get("Containers") or {}
                for container_id in attached:
                    try:
                        await network.disconnect({"Container": container_id, "Force": True})
                    except aiodocker.DockerError as exc:
                        if not _gone(exc):
                            raise
                await network.delete()
            report.networks.append(name)
        except aiodocker.DockerError as exc:
            if _gone(exc):
                continue
            report.errors.append(f"network {name}: {exc.message}")
        except TimeoutError:
            report.errors.append(f"network {name}: timed out")
    for item in stock.volumes:
        name = item["Name"]
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                await aiodocker.volumes.DockerVolume(docker, name).delete()
            report.volumes.append(name)
        except aiodocker.DockerError as exc:
            if _gone(exc):
                continue
            report.errors.append(f"volume {name}: {exc.message}")
        except TimeoutError:
            report.errors.append(f"volume {name}: timed out")
    for error in report.errors:
        log.warning("sandbox reaper: could not remove %s", error)
    return report


async def purge_owner(docker: aiodocker.Docker, owner: str) -> ReapReport:
    """Every sandbox object of one owner, gone (``/reset``, test clean-up)."""
    return await remove(docker, await inventory(docker, owner))


class Reaper:
    """Applies the idle TTL to the engine; safe to run from several processes at once."""

    def __init__(
        self,
        docker: aiodocker.Docker,
        store: Store,
        *,
        idle_ttl_min: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.docker = docker
        self.store = store
        self.idle_ttl_min = idle_ttl_min
        self.clock = clock

    async def _forget_idle(self, user_ids: Iterable[int], now: datetime) -> None:
        for user_id in user_ids:
            await sessions.forget(self.store, user_id, idle_ttl_min=self.idle_ttl_min, now=now)

    async def reap_idle(self) -> ReapReport:
        """Remove the objects of owners idle for longer than the TTL and forget their session.

        Owners with objects but no session row at all are left to ``reap_orphans`` so that a
        command racing its first ``touch`` is never reaped from under the student.
        """
        now = self.clock()
        idle = await sessions.idle_owners(self.store, self.idle_ttl_min, now)
        stock = await inventory(self.docker)
        doomed = {labels.owner_key(user_id) for user_id in idle}
        report = await remove(self.docker, stock.only(lambda owner: owner in doomed))
        await self._forget_idle(idle, now)
        return report

    async def reap_orphans(self) -> ReapReport:
        """At start-up: remove objects whose owner has no live session (none, or expired),
        and sandbox objects with no owner label at all."""
        now = self.clock()
        live = {
            labels.owner_key(user_id)
            for user_id in await sessions.live_owners(self.store, self.idle_ttl_min, now)
        }
        stock = await inventory(self.docker)
        report = await remove(self.docker, stock.only(lambda owner: owner not in live))
        await self._forget_idle(await sessions.idle_owners(self.store, self.idle_ttl_min, now), now)
        return report

    async def reset(self, owner: str) -> ReapReport:
        """All of one student's objects, for ``/reset``; the session row stays (still active)."""
        return await purge_owner(self.docker, owner)

    async def run_forever(self, interval_s: float) -> None:
        """Reap idle owners every ``interval_s`` until cancelled; failures are logged."""
        while True:
            try:
                report = await self.reap_idle()
                if report.removed:
                    log.info(
                        "sandbox reaper: removed %d objects of %s",
                        report.removed,
                        ", ".join(sorted(report.owners)),
                    )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sandbox reaper: pass failed")
            await asyncio.sleep(interval_s)
