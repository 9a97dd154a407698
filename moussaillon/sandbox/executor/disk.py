"""What a student's objects hold: ``docker diff`` and ``docker system df``, shaped like docker's.

``system df`` counts only the student's own containers and volumes, and the images they can
see (the course's, shared by the class, and their own tags); only their own tags could ever be
reclaimed by them, so the course images never count as reclaimable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moussaillon.sandbox.executor import images
from moussaillon.sandbox.executor.common import Context, Outcome, call, render_format
from moussaillon.sandbox.hostconfig import WRITABLE_PATHS
from moussaillon.sandbox.output import human_size, table
from moussaillon.sandbox.requests import DiffRequest, SystemDfRequest
from moussaillon.sandbox.scope import IMAGE

KINDS = {0: "C", 1: "A", 2: "D"}  # the engine's change kinds, as ``docker diff`` prints them
DF_HEADERS = {
    "Type": "TYPE",
    "TotalCount": "TOTAL",
    "Active": "ACTIVE",
    "Size": "SIZE",
    "Reclaimable": "RECLAIMABLE",
}


def _students_changes(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's changes without the sandbox's own: the mount points of its tmpfs (an
    alpine container would show ``/usr/local/apache2/logs``) and the init it adds, nor the
    directories changed only to hold them."""
    ours = {*WRITABLE_PATHS, "/sbin/docker-init"}
    paths = [str(c.get("Path", "")) for c in changes]

    def holds(parent: str, path: str) -> bool:
        return path.startswith(parent.rstrip("/") + "/")

    ours_only: set[str] = set()
    for path in sorted(paths, key=lambda p: p.count("/"), reverse=True):
        below = [p for p in paths if holds(path, p)]
        if path in ours or (below and all(p in ours_only for p in below)):
            ours_only.add(path)
    return [c for c in changes if c.get("Path") not in ours_only]


async def diff(ctx: Context, req: DiffRequest) -> Outcome:
    target = await ctx.scope.container(ctx.engine, req.container)
    changes = _students_changes(await call(ctx, f"containers/{target['Id']}/changes") or [])
    rows = [f"{KINDS.get(int(c.get('Kind') or 0), '?')} {c.get('Path', '')}" for c in changes]
    outcome = Outcome(output="\n".join(rows))
    if not rows and (await call(ctx, f"containers/{target['Id']}/json"))["HostConfig"].get(
        "ReadonlyRootfs"
    ):
        outcome.notes.append(ctx.note("note.diff_tmpfs"))
    return outcome


def _reclaimable(size: int, total: int) -> str:
    if size <= 0:
        return "0B"
    percent = int(size * 100 / total) if total else 0
    return f"{human_size(size)} ({percent}%)"


@dataclass
class Usage:
    """What ``system df`` counts: the images the student sees (by id: the summary, and whether
    it is theirs alone to reclaim), those their containers use, their containers and volumes."""

    seen: dict[str, dict[str, Any]]  # shown repo:tag -> summary
    unique: dict[str, tuple[dict[str, Any], bool]]  # id -> (summary, own)
    active_images: set[str]
    containers: list[dict[str, Any]]
    volumes: list[dict[str, Any]]
    used_volumes: set[str]

    @property
    def image_size(self) -> int:
        return sum(int(image.get("Size") or 0) for image, _ in self.unique.values())

    @property
    def image_free(self) -> int:
        return sum(
            int(image.get("Size") or 0)
            for image_id, (image, own) in self.unique.items()
            if own and image_id not in self.active_images
        )


async def usage(ctx: Context) -> Usage:
    seen = await images.visible(ctx)
    containers = await ctx.scope.containers(ctx.engine, size=True)
    volumes = await ctx.scope.volumes(ctx.engine)
    used_images = {(c.get("Labels") or {}).get(IMAGE, "") for c in containers}
    used_images |= {c.get("ImageID", "") for c in containers}
    unique: dict[str, tuple[dict[str, Any], bool]] = {}
    for tag, image in seen.items():
        own = not any(
            tag == name or tag.startswith(f"{name}:") for name in ctx.settings.sandbox_images
        )
        previous = unique.get(image["Id"])
        unique[image["Id"]] = (image, own and (previous is None or previous[1]))
    active_images = {
        image_id
        for image_id in unique
        if image_id in used_images
        or any(
            tag in used_images or tag.split(":")[0] in used_images
            for tag, image in seen.items()
            if image["Id"] == image_id
        )
    }
    used_volumes = {str(m.get("Name")) for c in containers for m in c.get("Mounts") or []}
    return Usage(seen, unique, active_images, containers, volumes, used_volumes)


async def df(ctx: Context, req: SystemDfRequest) -> Outcome:
    found = await usage(ctx)
    containers, volumes, image_size = found.containers, found.volumes, found.image_size
    rw = [int(c.get("SizeRw") or 0) for c in containers]
    stopped_rw = sum(int(c.get("SizeRw") or 0) for c in containers if c.get("State") != "running")
    rows = [
        {
            "Type": "Images",
            "TotalCount": str(len(found.unique)),
            "Active": str(len(found.active_images)),
            "Size": human_size(image_size),
            "Reclaimable": _reclaimable(found.image_free, image_size),
        },
        {
            "Type": "Containers",
            "TotalCount": str(len(containers)),
            "Active": str(sum(1 for c in containers if c.get("State") == "running")),
            "Size": human_size(sum(rw)),
            "Reclaimable": _reclaimable(stopped_rw, sum(rw)),
        },
        {
            "Type": "Local Volumes",
            "TotalCount": str(len(volumes)),
            "Active": str(sum(1 for v in volumes if v.get("Name") in found.used_volumes)),
            "Size": "0B",  # tmpfs-backed: nothing on the disk
            "Reclaimable": "0B",
        },
        {
            "Type": "Build Cache",
            "TotalCount": "0",
            "Active": "0",
            "Size": "0B",
            "Reclaimable": "0B",
        },
    ]
    if req.format:
        return Outcome(output=await render_format(ctx, req.format, rows, DF_HEADERS))
    columns = list(DF_HEADERS)
    text = table([DF_HEADERS[c] for c in columns], [[r[c] for c in columns] for r in rows])
    outcome = Outcome(output=text)
    outcome.notes.append(ctx.note("note.df_scope"))
    return outcome
