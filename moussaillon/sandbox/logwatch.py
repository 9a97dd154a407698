"""Stops sandbox containers that flood their logs: the one load their limits do not bound.

A container's CPU share bounds what it computes, not what dockerd does for it: every line it
prints is read, split, timestamped, JSON-encoded and written by dockerd, outside the
container's cgroup. One ``yes`` (0.5 CPU in its container) keeps dockerd at a full core; ten
took 146 % of the teaching machine's two cores. Docker has no log rate limit (``max-size``
bounds the disk, not the CPU; non-blocking mode drops lines after dockerd has paid for them),
so the sandbox watches instead.

The rule: every ``interval_s`` the watch reads the last ``lines_per_s`` log entries (with
their timestamps) of every running sandbox container. When they span less than one second and
new entries keep coming, that is a strike; ``strikes`` in a row and the container is stopped.
A burst shorter than one interval is never stopped; a line a second is far below the rule.
The owner is told why on their next command, and in ``docker ps`` and ``docker logs`` while
the container stays stopped.

The watch runs in the process that started the service (the bot and the REST API), and what it
tells is kept there: another process sharing the engine does not see its notices.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiodocker

from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.executor.common import demux
from moussaillon.sandbox.requests import ContainerLsRequest, LogsRequest
from moussaillon.sandbox.scope import KEEPER, KIND

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 60.0  # the engine is slow to confirm a stop while floods keep it busy
PARALLEL_READS = 4
MAX_PENDING = 10  # per student, until their next command
_STAMP = re.compile(rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z ")


@dataclass(frozen=True)
class LogRule:
    lines_per_s: int = 100
    interval_s: float = 3.0
    strikes: int = 2


@dataclass(frozen=True)
class Notice:
    """A container the watch stopped, as its owner named it."""

    container_id: str
    name: str
    rate: int  # log lines per second when it was stopped (for the log: the span may be ~0)


@dataclass
class _Track:
    newest: float = 0.0
    strikes: int = 0


@dataclass
class LogWatch:
    engine: Engine
    rule: LogRule = field(default_factory=LogRule)
    # the labels of the containers watched: all sandbox containers (tests narrow it to a student)
    selector: tuple[str, ...] = (f"{labels.SANDBOX}=1",)
    _tracks: dict[str, _Track] = field(default_factory=dict)
    _stopped: dict[str, dict[str, Notice]] = field(default_factory=dict)  # owner → id → notice
    _pending: dict[str, list[Notice]] = field(default_factory=dict)  # owner → not told yet
    _stopping: dict[str, asyncio.Task[None]] = field(default_factory=dict)  # id → engine stop

    async def run_forever(self) -> None:
        try:
            while True:
                try:
                    await self.check_once()
                except Exception:
                    log.exception("sandbox: log watch pass failed")
                await asyncio.sleep(self.rule.interval_s)
        finally:
            for task in self._stopping.values():
                task.cancel()

    async def check_once(self) -> list[Notice]:
        """One pass over every sandbox container; the ones it stopped."""
        filters = json.dumps({"label": list(self.selector)})
        async with asyncio.timeout(CALL_TIMEOUT_S):
            found = await self.engine.get(
                "containers/json", params={"all": "1", "filters": filters}
            )
        found = [c for c in found if (c.get("Labels") or {}).get(KIND) != KEEPER]
        running = [
            c for c in found if c.get("State") == "running" and c["Id"] not in self._stopping
        ]
        self._forget(found, {c["Id"] for c in running})
        gate = asyncio.Semaphore(PARALLEL_READS)
        stopped = await asyncio.gather(*(self._check(c, gate) for c in running))
        return [notice for notice in stopped if notice is not None]

    async def settle(self) -> None:
        """Wait for the stops under way (the engine confirms them slowly during a flood)."""
        await asyncio.gather(*self._stopping.values(), return_exceptions=True)

    def _forget(self, found: list[dict[str, Any]], running: set[str]) -> None:
        """Drop what no longer matters: tracks of stopped containers, notices of containers
        that are gone or running again (a new flood gets a new notice)."""
        known = {c["Id"] for c in found}
        for container_id in list(self._tracks):
            if container_id not in running:
                del self._tracks[container_id]
        for owner, notices in list(self._stopped.items()):
            for container_id in list(notices):
                if container_id in self._stopping:
                    continue
                if container_id not in known or container_id in running:
                    del notices[container_id]
            if not notices:
                del self._stopped[owner]

    async def _check(self, container: dict[str, Any], gate: asyncio.Semaphore) -> Notice | None:
        try:
            async with gate:
                raw = await self._tail(container["Id"])
        except (aiodocker.DockerError, TimeoutError):
            return None  # gone meanwhile, or the engine is slow: next pass
        stamps = [_seconds(m) for m in _STAMP.finditer(raw)]
        track = self._tracks.setdefault(container["Id"], _Track())
        flooding = (
            len(stamps) >= self.rule.lines_per_s
            and stamps[-1] - stamps[0] < 1.0
            and stamps[-1] > track.newest
        )
        track.newest = stamps[-1] if stamps else track.newest
        track.strikes = track.strikes + 1 if flooding else 0
        if track.strikes < self.rule.strikes:
            return None
        rate = int(len(stamps) / max(stamps[-1] - stamps[0], 1e-3))
        return self._stop(container, rate)

    async def _tail(self, container_id: str) -> bytes:
        params = {
            "stdout": "1",
            "stderr": "1",
            "timestamps": "1",
            "tail": str(self.rule.lines_per_s),
        }
        async with (
            asyncio.timeout(CALL_TIMEOUT_S),
            self.engine.stream(f"containers/{container_id}/logs", params=params) as response,
        ):
            return demux(await response.read())

    def _stop(self, container: dict[str, Any], rate: int) -> Notice:
        """Record why, then stop it in the background (no grace: nothing in a flood needs a
        clean shutdown): while dockerd is swamped the engine takes seconds to confirm a stop,
        and the next pass must not wait for it to catch the next flood."""
        owner = (container.get("Labels") or {}).get(labels.OWNER, "")
        name = (container.get("Names") or ["/"])[0].lstrip("/").removeprefix(f"m-{owner}-")
        self._tracks.pop(container["Id"], None)
        notice = Notice(container["Id"], name, rate)
        self._stopped.setdefault(owner, {})[container["Id"]] = notice
        pending = self._pending.setdefault(owner, [])
        if all(n.container_id != notice.container_id for n in pending):
            pending.append(notice)
            del pending[:-MAX_PENDING]  # a student who never comes back is told nothing
        log.info("sandbox: stopping %s of %s: %d log lines/s", name, owner, rate)
        task = asyncio.create_task(self._engine_stop(container["Id"]))
        self._stopping[container["Id"]] = task
        task.add_done_callback(lambda _: self._stopping.pop(container["Id"], None))
        return notice

    async def _engine_stop(self, container_id: str) -> None:
        try:
            async with asyncio.timeout(STOP_TIMEOUT_S):
                await self.engine.post(f"containers/{container_id}/stop", params={"t": "0"})
        except (aiodocker.DockerError, TimeoutError):
            log.warning("sandbox: could not stop log-flooding container %s", container_id)

    # -- what the student is told ------------------------------------------------------------

    def notes_for(self, owner: str, request: Any, lang: str) -> list[str]:
        """The notices to add to the result of ``request``: every one not told yet, then the
        ones about the containers ``docker ps`` lists or ``docker logs`` reads."""
        told = self._pending.pop(owner, [])
        shown = {n.container_id for n in told}
        stopped = self._stopped.get(owner, {})
        if isinstance(request, ContainerLsRequest):
            told += [n for n in stopped.values() if n.container_id not in shown]
        elif isinstance(request, LogsRequest):
            told += [
                n
                for n in _matching(stopped.values(), request.container)
                if n.container_id not in shown
            ]
        return [
            t(
                "sandbox.engine.note.log_flood",
                lang,
                name=n.name,
                limit=self.rule.lines_per_s,
            )
            for n in told
        ]


def _matching(notices: Iterable[Notice], ref: str) -> list[Notice]:
    ref = ref.lstrip("/")
    return [n for n in notices if ref in (n.name, n.container_id) or n.container_id.startswith(ref)]


def _seconds(match: re.Match[bytes]) -> float:
    whole = datetime.strptime(match.group(1).decode(), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    fraction = match.group(2) or b"0"
    return whole.timestamp() + int(fraction) / float(10 ** len(fraction))


async def stop_watch(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


__all__ = ["LogRule", "LogWatch", "Notice", "stop_watch"]
