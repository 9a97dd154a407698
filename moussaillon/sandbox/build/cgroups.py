"""The pids cap of builds: a cgroup per build slot, made by the sandbox on the engine's host.

The build API has memory, CPU and ulimit parameters but no pids limit, so a fork bomb in a
``RUN`` line would have the whole host's process table. Every build step's container is put
under ``cgroupparent``; the engine creates the step's cgroup inside it, and the kernel applies
the parent's ``pids.max`` to everything below. One child per build slot
(``<parent>/slot0`` …) gives each running build its own cap, so one student's bomb never
starves another's build.

The sandbox writes the cgroups itself when it can (the app on the engine's host, root, the
cgroupfs driver), then reads ``pids.max`` back. When it cannot, builds are refused with a
friendly message and one log line; an operator whose engine runs elsewhere creates them there
(docs/sandbox.md) and sets ``MOUSSAILLON_BUILD_CGROUP_EXTERNAL``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from moussaillon.config import Settings
from moussaillon.sandbox.engine import Engine

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")


class CgroupUnavailable(Exception):
    """Why the pids cap could not be set (for the log line; students get a plain message)."""


def slot_dirs(root: Path, version: str, parent: str, slots: int) -> list[Path]:
    """Where each slot's cgroup lives on the host: ``pids/<parent>/slotN`` under cgroup v1,
    ``<parent>/slotN`` under the unified v2 tree."""
    base = root / "pids" / parent if version == "1" else root / parent
    return [base / f"slot{index}" for index in range(slots)]


def _enable_pids(folder: Path) -> None:
    """v2 only hands a controller to children that the parent lists in subtree_control."""
    control = folder / "cgroup.subtree_control"
    if "pids" not in control.read_text().split():
        control.write_text("+pids")


def write_caps(root: Path, version: str, parent: str, slots: int, pids: int) -> list[Path]:
    """Create the slot cgroups, write ``pids.max`` and read it back; raises
    ``CgroupUnavailable`` with the reason."""
    folders = slot_dirs(root, version, parent, slots)
    try:
        if version == "2":
            _enable_pids(root)
            folders[0].parent.mkdir(exist_ok=True)
            _enable_pids(folders[0].parent)
        for folder in folders:
            folder.mkdir(parents=version == "1", exist_ok=True)
            (folder / "pids.max").write_text(str(pids))
            found = (folder / "pids.max").read_text().strip()
            if found != str(pids):
                raise CgroupUnavailable(f"{folder}/pids.max reads {found!r}, not {pids}")
    except OSError as exc:
        raise CgroupUnavailable(f"{exc.strerror or exc} ({exc.filename or root})") from None
    return folders


def remove_caps(root: Path, version: str, parent: str, slots: int) -> None:
    """Remove the slot cgroups and the parent (tests; a busy one stays). Under v1 the engine
    made the same folders in every controller it uses: those go too."""
    tops = [root / parent] if version == "2" else [c / parent for c in root.iterdir()]
    for top in tops:
        if not top.is_dir():
            continue
        for folder in sorted(top.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if folder.is_dir():
                with contextlib.suppress(OSError):
                    folder.rmdir()
        with contextlib.suppress(OSError):
            top.rmdir()


class BuildCgroups:
    """Made once, on the first build (or at start-up); the answer is kept for the process."""

    def __init__(self, settings: Settings, root: Path = ROOT) -> None:
        self.settings = settings
        self.root = root
        self.slots = settings.build_concurrency
        self._ready: bool | None = None
        self._lock = asyncio.Lock()

    def parent(self, slot: int) -> str:
        """The ``cgroupparent`` of a build in ``slot``, as the engine's cgroupfs driver takes it."""
        return f"/{self.settings.build_cgroup_parent}/slot{slot}"

    async def ready(self, engine: Engine) -> bool:
        """True once every slot's cap is in place; False (logged once) when it cannot be."""
        async with self._lock:
            if self._ready is None:
                self._ready = await self._prepare(engine)
            return self._ready

    async def _prepare(self, engine: Engine) -> bool:
        if self.settings.build_cgroup_external:
            return True
        try:
            info = await engine.get("info")
            driver = info.get("CgroupDriver", "cgroupfs")
            version = str(info.get("CgroupVersion") or "1")
            if driver != "cgroupfs":
                raise CgroupUnavailable(f"the engine's cgroup driver is {driver}, not cgroupfs")
            await asyncio.to_thread(
                write_caps,
                self.root,
                version,
                self.settings.build_cgroup_parent,
                self.slots,
                self.settings.build_pids,
            )
        except CgroupUnavailable as exc:
            log.error(
                "sandbox: builds disabled: cannot cap their processes with cgroup %s (%s);"
                " see docs/sandbox.md, Builds",
                self.settings.build_cgroup_parent,
                exc,
            )
            return False
        return True
