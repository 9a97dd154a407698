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
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiodocker

from moussaillon.core.clock import utcnow
from moussaillon.core.store import Store
from moussaillon.sandbox import labels, sessions
from moussaillon.sandbox.build import records
from moussaillon.sandbox.engine import Engine

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 30.0


@dataclass
class ReapReport:
    """What one pass removed (names, or ids where an object has no name) and what failed."""

    owners: set[str] = field(default_factory=set)
    containers: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    images: int = 0  # the student's tags and the images their builds left
    errors: list[str] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return len(self.containers) + len(self.networks) + len(self.volumes) + self.images

    def merge(self, other: ReapReport) -> None:
        self.owners |= other.owners
        self.containers += other.containers
        self.networks += other.networks
        self.volumes += other.volumes
        self.images += other.images
        self.errors += other.errors


@dataclass
class Stock:
    """Sandbox objects on the engine, raw, as the list endpoints describe them (what the reaper
    removes; ``SandboxService.inventory`` is the student's view)."""

    containers: list[dict[str, Any]] = field(default_factory=list)
    networks: list[dict[str, Any]] = field(default_factory=list)
    volumes: list[dict[str, Any]] = field(default_factory=list)

    def owners(self) -> set[str]:
        return {
            owner
            for item in (*self.containers, *self.networks, *self.volumes)
            if (owner := (item.get("Labels") or {}).get(labels.OWNER))
        }

    def created_before(self, cutoff: datetime) -> Stock:
        """Objects the engine says were created before ``cutoff`` (unknown age: spared)."""

        def old(item: dict[str, Any]) -> bool:
            created = _created(item)
            return created is not None and created < cutoff

        return Stock(
            [i for i in self.containers if old(i)],
            [i for i in self.networks if old(i)],
            [i for i in self.volumes if old(i)],
        )

    def only(self, keep: Callable[[str | None], bool]) -> Stock:
        def pick(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [i for i in items if keep((i.get("Labels") or {}).get(labels.OWNER))]

        return Stock(pick(self.containers), pick(self.networks), pick(self.volumes))


def _created(item: dict[str, Any]) -> datetime | None:
    """The engine's own creation time (labels can be copied; this cannot)."""
    value = item.get("Created") or item.get("CreatedAt")
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str):
            return datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        return None
    return None


def _label_filters(owner: str | None) -> list[str]:
    filters = [f"{labels.SANDBOX}=1"]
    if owner is not None:
        filters.append(f"{labels.OWNER}={owner}")
    return filters


async def list_stock(engine: Engine, owner: str | None = None) -> Stock:
    """List the sandbox's objects, all of them or one owner's."""
    wanted = {"label": _label_filters(owner)}
    async with asyncio.timeout(CALL_TIMEOUT_S):
        containers = await engine.get(
            "containers/json", params={"all": True, "filters": json.dumps(wanted)}
        )
        networks = await engine.client.networks.list(filters=wanted)
        volumes = (await engine.client.volumes.list(filters=wanted)).get("Volumes") or []
    return Stock(list(containers), list(networks), list(volumes))


def _gone(exc: aiodocker.DockerError) -> bool:
    return exc.status == 404


async def remove(engine: Engine, stock: Stock) -> ReapReport:
    """Remove the listed objects: containers (with their anonymous volumes), then networks
    (after disconnecting whatever is still attached), then volumes."""
    report = ReapReport(owners=stock.owners())

    async def attempt(kind: str, name: str, done: list[str], removal: Awaitable[None]) -> None:
        """One removal with a time limit; an object already gone is not an error."""
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                await removal
            done.append(name)
        except aiodocker.DockerError as exc:
            if not _gone(exc):
                report.errors.append(f"{kind} {name}: {exc.message}")
        except TimeoutError:
            report.errors.append(f"{kind} {name}: timed out")

    async def drop_network(network_id: str) -> None:
        network = aiodocker.networks.DockerNetwork(engine.client, network_id)
        attached = (await network.show()).get("Containers") or {}
        for container_id in attached:
            try:
                await network.disconnect({"Container": container_id, "Force": True})
            except aiodocker.DockerError as exc:
                if not _gone(exc):
                    raise
        await network.delete()

    for item in stock.containers:
        name = (item.get("Names") or [item["Id"]])[0].lstrip("/")
        container = engine.client.containers.container(item["Id"])
        await attempt("container", name, report.containers, container.delete(force=True, v=True))
    for item in stock.networks:
        await attempt(
            "network", item.get("Name") or item["Id"], report.networks, drop_network(item["Id"])
        )
    for item in stock.volumes:
        await attempt(
            "volume",
            item["Name"],
            report.volumes,
            aiodocker.volumes.DockerVolume(engine.client, item["Name"]).delete(),
        )
    for error in report.errors:
        log.warning("sandbox reaper: could not remove %s", error)
    return report


async def purge_owner(engine: Engine, owner: str) -> ReapReport:
    """Every sandbox object of one owner, gone (``/reset``, test clean-up)."""
    return await remove(engine, await list_stock(engine, owner))


class Reaper:
    """Applies the idle TTL to the engine; safe to run from several processes at once."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        *,
        idle_ttl_min: float,
        clock: Callable[[], datetime] = utcnow,
        scope: Callable[[str | None], bool] | None = None,
    ) -> None:
        """``scope`` limits which owner labels this reaper may act on (None: all of them);
        tests use it so a start-up sweep never reaches another run's objects on the engine."""
        self.engine = engine
        self.store = store
        self.idle_ttl_min = idle_ttl_min
        self.clock = clock
        self.scope = scope or (lambda _owner: True)

    async def _stock(self) -> Stock:
        return (await list_stock(self.engine)).only(self.scope)

    async def _reap(self, stock: Stock, user_ids: Iterable[int], now: datetime) -> ReapReport:
        """Remove each owner's objects; forget the session only once nothing of theirs is
        left, so a failed removal is retried on the next pass rather than orphaned."""
        report = ReapReport()
        for user_id in sorted(user_ids):
            owner = labels.owner_key(user_id)
            if not self.scope(owner) or await self._came_back(user_id, now):
                continue

            def mine(label: str | None, owner: str = owner) -> bool:
                return label == owner

            part = await remove(self.engine, stock.only(mine))
            part.images += await self._images(owner)
            report.merge(part)
            if not part.errors:
                await sessions.forget(self.store, user_id, idle_ttl_min=self.idle_ttl_min, now=now)
        return report

    async def _images(self, owner: str) -> int:
        """The owner's images (tags and recorded build layers); failures wait for a later pass."""
        try:
            return await records.purge_images(self.engine, self.store, owner)
        except (aiodocker.DockerError, TimeoutError) as exc:
            log.warning("sandbox reaper: images of %s: %s", owner, exc)
            return 0

    async def _came_back(self, user_id: int, now: datetime) -> bool:
        """Re-read just before removing: the student may have run a command meanwhile."""
        stamp = await sessions.last_used(self.store, user_id)
        return stamp is not None and stamp > now - timedelta(minutes=self.idle_ttl_min)

    async def reap_idle(self) -> ReapReport:
        """Remove the objects of owners idle for longer than the TTL and forget their session.

        Owners with objects but no session row at all are left to ``reap_orphans`` so that a
        command racing its first ``touch`` is never reaped from under the student.
        """
        now = self.clock()
        idle = await sessions.idle_owners(self.store, self.idle_ttl_min, now)
        return await self._reap(await self._stock(), idle, now)

    async def reap_orphans(self) -> ReapReport:
        """A full sweep: what ``reap_idle`` removes, plus objects older than the TTL whose owner
        has no session row at all (a crash, a wiped database) or no owner label.

        A student with no row but objects younger than the TTL is spared: every command
        touches the session first, so such objects belong to a command in flight (or to
        another database sharing the engine, as in parallel test runs). They are caught by a
        later sweep once they are older than the TTL.
        """
        now = self.clock()
        live = {
            labels.owner_key(user_id)
            for user_id in await sessions.live_owners(self.store, self.idle_ttl_min, now)
        }
        stock = await self._stock()
        idle = await sessions.idle_owners(self.store, self.idle_ttl_min, now)
        report = await self._reap(stock, idle, now)
        handled = {labels.owner_key(user_id) for user_id in idle} | live
        old = stock.created_before(now - timedelta(minutes=self.idle_ttl_min))
        report.merge(await remove(self.engine, old.only(lambda owner: owner not in handled)))
        for owner in await records.owners(self.store):  # builds of students with no session
            if owner not in handled and self.scope(owner):
                report.images += await self._images(owner)
        return report

    async def reset(self, owner: str) -> ReapReport:
        """All of one student's objects, for ``/reset``; the session row stays (still active)."""
        return await purge_owner(self.engine, owner)

    async def run_forever(self, interval_s: float) -> None:
        """Sweep (``reap_orphans``) every ``interval_s`` until cancelled; failures are logged."""
        while True:
            try:
                report = await self.reap_orphans()
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
