"""Whether students' containers get a writable root file system, and the notes that go with it.

A writable root is what course demos assume (``echo hi > /hello.txt``, editing the page nginx
serves), but it writes to the engine's disk, so it is only given where the engine bounds it per
container: ``HostConfig.StorageOpt {"size": …}``. overlay2 honours it on an XFS data root
mounted with ``pquota`` (a project quota per container: a write past the bound fails with
``No space left on device``); on any other backing file system the engine refuses the create
("--storage-opt is supported only for overlay over xfs with 'pquota' mount option"). There the
root stays read-only, with size-limited tmpfs where images write (``hostconfig.py``), and the
student is told why the first time a write hits it.

The answer comes from the engine itself: a container is created (never started) with the
students' HostConfig and the size option, then removed. It is asked once at start-up and kept;
when it could not be asked (engine unreachable, no image prepared yet) it is asked again at the
next ``docker run``. btrfs also accepts the option but its qgroups are enforced late (measured
on a 16 MiB bound: 137 MiB written before the first refusal, and none at all on a Debian-based
image), so a btrfs engine counts as unable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiodocker
import aiohttp

from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine, unreachable
from moussaillon.sandbox.hostconfig import WRITABLE_PATHS, host_config
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import ExecRequest, RunRequest
from moussaillon.sandbox.scope import Scope, now_iso

log = logging.getLogger(__name__)

OWNER = "rootfs"
PROBE_TIMEOUT_S = 30.0
LOOSE_DRIVERS = ("btrfs",)  # accept StorageOpt size but do not hold it (see above)
READ_ONLY = "Read-only file system"
_FAILED_PATH = re.compile(r"(/[^\s:'\"]*)['\"]?: Read-only file system")
LINE_MAX = 4096  # longer output lines are not searched for the failed path
FULL = ("No space left on device", "Disk quota exceeded")
TOLD_MAX = 10_000  # students told of the read-only root, remembered until the next restart
# The verbs making containers: the engine is asked first if it was not yet. Any verb's context
# carries the answer (``Context.root_mb``); host_config(root_mb=ctx.root_mb) applies it.
ROOT_VERBS = ("container.run", "container.create", "compose.")


@dataclass(frozen=True)
class RootAnswer:
    """``writable`` None: not known yet (ask again); ``reason`` is for the operator's log."""

    writable: bool | None
    reason: str


async def _any_image(engine: Engine, settings: Settings) -> str | None:
    for ref in settings.sandbox_images.values():
        with contextlib.suppress(aiodocker.DockerError):
            await engine.get(f"images/{ref}/json")
            return ref
    return None


async def probe(engine: Engine, settings: Settings) -> RootAnswer:
    """Ask the engine whether it bounds a writable root; never raises."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            return await _probe(engine, settings)
    except TimeoutError:
        return RootAnswer(None, f"the engine did not answer in {PROBE_TIMEOUT_S:.0f} s")
    except (aiodocker.DockerError, aiohttp.ClientError, OSError) as exc:
        return RootAnswer(None, f"the engine could not be asked: {exc}")


async def _probe(engine: Engine, settings: Settings) -> RootAnswer:
    info = await engine.get("info")
    driver = str(info.get("Driver") or "")
    if driver in LOOSE_DRIVERS:
        return RootAnswer(False, f"the {driver} storage driver does not hold a size bound")
    image = await _any_image(engine, settings)
    if image is None:
        return RootAnswer(None, "no image prepared yet (run `moussaillon sandbox prepare`)")
    forced = host_config(settings, network="none", root_mb=settings.sandbox_root_mb)
    stamp = now_iso()
    body = {
        "Image": image,
        "Cmd": ["true"],
        "Labels": {
            labels.SANDBOX: "1",
            labels.OWNER: OWNER,
            labels.NAME: "probe",
            labels.CREATED: stamp,
            labels.LAST_USED: stamp,
        },
        "HostConfig": forced,
    }
    name = f"m-rootfs-{secrets.token_hex(4)}"
    try:
        created = await engine.post("containers/create", params={"name": name}, data=body)
    except aiodocker.DockerError as exc:
        if unreachable(exc):
            raise
        return RootAnswer(False, f"the {driver} engine refused a size bound: {exc.message}")
    with contextlib.suppress(aiodocker.DockerError):
        await engine.delete(f"containers/{created['Id']}", params={"force": "1", "v": "1"})
    return RootAnswer(
        True, f"the {driver} engine bounds each root at {settings.sandbox_root_mb} MiB"
    )


class RootFs:
    """The service's one answer (asked once, kept) and who was told of the read-only root."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.answer = RootAnswer(None, "not asked yet")
        if settings.sandbox_root == "readonly":
            self.answer = RootAnswer(False, "MOUSSAILLON_SANDBOX_ROOT=readonly")
        self._lock = asyncio.Lock()
        self._told: set[str] = set()

    @property
    def root_mb(self) -> int | None:
        """The size bound to ask for, or None for today's read-only root."""
        forced = self.settings.sandbox_root == "writable"
        return self.settings.sandbox_root_mb if forced or self.answer.writable else None

    async def ensure(self, engine: Engine) -> None:
        """Ask the engine unless the answer is known; at most one question at a time."""
        if self.answer.writable is not None:
            return
        async with self._lock:
            if self.answer.writable is not None:
                return
            answer = await probe(engine, self.settings)
            self.answer = answer
            if answer.writable is None:
                log.warning("sandbox: root file systems read-only for now: %s", answer.reason)
            elif answer.writable:
                log.info("sandbox: writable root file systems: %s", answer.reason)
            elif self.settings.sandbox_root == "writable":
                log.error(
                    "sandbox: MOUSSAILLON_SANDBOX_ROOT=writable but %s: containers will not start",
                    answer.reason,
                )
            else:
                log.warning("sandbox: read-only root file systems: %s", answer.reason)

    async def notes_for(
        self, engine: Engine, scope: Scope, request: Any, output: str, lang: str
    ) -> list[str]:
        """Why a write failed: the bound when the writable root filled up; the read-only root
        and where to write instead, once per student, unless every failed write was to a
        read-only mount or root the student asked for (``:ro``, ``--read-only``)."""
        if self.root_mb is not None:
            if any(marker in output for marker in FULL):
                note = t(
                    "sandbox.rootfs.note.full",
                    lang,
                    mb=self.root_mb,
                    tmpfs=self.settings.sandbox_tmpfs_mb,
                )
                return [note]
            return []
        if READ_ONLY not in output or scope.owner in self._told:
            return []
        if isinstance(request, RunRequest) and request.read_only:
            return []
        failed = failed_paths(output)
        if failed:
            mounted = await _mounts(engine, scope, request)
            if all(_under(path, mounted) for path in failed):
                return []
        if len(self._told) >= TOLD_MAX:
            self._told.clear()
        self._told.add(scope.owner)
        return [t("sandbox.rootfs.note.readonly", lang, paths=", ".join(WRITABLE_PATHS[:3]))]


def failed_paths(output: str) -> list[str]:
    """The paths a write was refused on, as busybox, coreutils and shells word it."""
    found: list[str] = []
    for line in output.splitlines():
        if READ_ONLY in line and len(line) <= LINE_MAX:
            found += _FAILED_PATH.findall(line)
    return found


def _under(path: str, targets: Sequence[str]) -> bool:
    return any(path == t or path.startswith(t.rstrip("/") + "/") for t in targets)


async def _mounts(engine: Engine, scope: Scope, request: Any) -> list[str]:
    """Where the container has mounts: a read-only one is the student's own choice."""
    if isinstance(request, RunRequest):
        return [mount.target for mount in request.mounts if mount.target]
    if isinstance(request, ExecRequest):
        with contextlib.suppress(DaemonError, aiodocker.DockerError):
            found = await scope.container(engine, request.container)
            return [
                str(m["Destination"]) for m in found.get("Mounts") or [] if m.get("Destination")
            ]
    return []
