"""Who may build now: one build per student, ``MOUSSAILLON_BUILD_CONCURRENCY`` on the engine.

A build holds the engine for minutes where other commands hold it for a second, so builds
have their own fair queue (round-robin between students, the student told their place) and
take their build slot *before* a slot of the general queue: a class building at once waits
here, never on the slots ``docker ps`` needs. Each build slot has its cgroup (``cgroups.py``),
so the pids cap is per build. A second build of the same student is refused at once rather
than queued behind the first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from moussaillon.config import Settings
from moussaillon.sandbox.build.cgroups import BuildCgroups
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.errors import BuildUnavailable, SandboxRefused
from moussaillon.sandbox.fairqueue import FairScheduler, OnWait


class BuildSlots:
    def __init__(self, settings: Settings, cgroups: BuildCgroups | None = None) -> None:
        self.scheduler = FairScheduler(settings.build_concurrency)
        self.cgroups = cgroups or BuildCgroups(settings)
        self._free = list(range(settings.build_concurrency))
        self._building: set[str] = set()

    @property
    def building(self) -> int:
        return len(self._building)

    @asynccontextmanager
    async def hold(
        self, engine: Engine, owner: str, on_wait: OnWait | None = None
    ) -> AsyncIterator[str]:
        """The build's ``cgroupparent`` for the block; raises ``SandboxRefused`` when the
        student already builds, ``BuildUnavailable`` when the pids cap cannot be set."""
        if owner in self._building:
            raise SandboxRefused("sandbox.build.busy")
        self._building.add(owner)
        try:
            if not await self.cgroups.ready(engine):
                raise BuildUnavailable("sandbox.build.unavailable.cgroup")
            async with self.scheduler.slot(owner, on_wait=on_wait):
                slot = self._free.pop()
                try:
                    yield self.cgroups.parent(slot)
                finally:
                    self._free.append(slot)
        finally:
            self._building.discard(owner)
