"""Volumes: tmpfs-backed local volumes, so a student's data lives in RAM with a size cap.

The local driver mounts a tmpfs volume when a container using it starts and unmounts it (data
gone) when the last one stops, which would break the lesson volumes teach: data outlives its
container. So each volume gets a hidden *keeper*, a sleeping container (no network, the forced
limits) that keeps the tmpfs mounted until the volume is removed. Keepers carry the owner's
labels (the reaper removes them with the rest) and ``moussaillon.kind=keeper``, which
``Scope.containers`` filters out: students never see them, quotas never count them.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from typing import Any

from moussaillon.sandbox import hostconfig
from moussaillon.sandbox.errors import QuotaExceeded
from moussaillon.sandbox.executor import pruning
from moussaillon.sandbox.executor.common import (
    Context,
    Outcome,
    call,
    each,
    filter_values,
    match_labels,
    name_matcher,
    render_format,
    student_json,
    visible_labels,
)
from moussaillon.sandbox.executor.inspection import show_objects
from moussaillon.sandbox.output import DaemonError, table
from moussaillon.sandbox.requests import (
    VolumeCreateRequest,
    VolumeInspectRequest,
    VolumeLsRequest,
    VolumePruneRequest,
    VolumeRmRequest,
)
from moussaillon.sandbox.scope import KEEPER, KIND, VALID_NAME

log = logging.getLogger(__name__)

HEADERS = {
    "Name": "VOLUME NAME",
    "Driver": "DRIVER",
    "Scope": "SCOPE",
    "Mountpoint": "MOUNTPOINT",
    "Labels": "LABELS",
}


async def ensure_volume(ctx: Context, name: str, labels: dict[str, str] | None = None) -> str:
    """The internal name of the student's volume ``name``, created (with quota) when absent."""
    if not VALID_NAME.match(name) or len(name) < 2:
        raise DaemonError(
            f'docker: Error response from daemon: create {name}: "{name}" includes invalid '
            'characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed.'
            " If you intended to pass a host directory, use absolute path.",
            125,
        )
    async with ctx.lock("volumes"):
        return await _ensure_volume(ctx, name, labels)


async def _ensure_volume(ctx: Context, name: str, labels: dict[str, str] | None) -> str:
    mine = await ctx.scope.volumes(ctx.engine)
    internal = ctx.scope.internal(name)
    if any(v["Name"] == internal for v in mine):
        return internal
    if len(mine) >= ctx.settings.sandbox_max_volumes:
        raise QuotaExceeded("sandbox.engine.quota.volumes", limit=ctx.settings.sandbox_max_volumes)
    body = {
        "Name": internal,
        "Driver": "local",
        "DriverOpts": hostconfig.volume_driver_opts(ctx.settings),
        "Labels": {**(labels or {}), **ctx.scope.labels(name)},
    }
    await call(ctx, "volumes/create", "POST", data=body)
    await _start_keeper(ctx, name, internal)
    return internal


KEEPER_IMAGES = ("busybox", "alpine")


async def _keeper_image(ctx: Context) -> str:
    refs = ctx.settings.sandbox_images
    candidates = [refs[k] for k in KEEPER_IMAGES if k in refs] + list(refs.values())
    for ref in candidates:
        try:
            await call(ctx, f"images/{ref}/json")
        except DaemonError:
            continue
        return ref
    raise DaemonError(ctx.note("image.unavailable", image="busybox"))


async def _start_keeper(ctx: Context, name: str, internal: str) -> None:
    mount = {"Type": "volume", "Source": internal, "Target": "/volume"}
    host = hostconfig.host_config(ctx.settings, network="none", mounts=[mount])
    host["Memory"] = host["MemorySwap"] = max(6, ctx.settings.sandbox_memory_mb // 4) * 1024 * 1024
    body = {
        "Image": await _keeper_image(ctx),
        "Entrypoint": ["sleep"],
        "Cmd": ["2147483647"],
        "Labels": ctx.scope.labels(name, **{KIND: KEEPER}),
        "HostConfig": host,
    }
    try:
        created = await call(
            ctx,
            "containers/create",
            "POST",
            params={"name": ctx.scope.keeper_name(name)},
            data=body,
        )
        await call(ctx, f"containers/{created['Id']}/start", "POST")
    except DaemonError:
        log.warning("sandbox: could not start the keeper of volume %s", internal)


async def _drop_keeper(ctx: Context, name: str) -> None:
    with contextlib.suppress(DaemonError):
        await call(
            ctx,
            f"containers/{ctx.scope.keeper_name(name)}",
            "DELETE",
            params={"force": "1"},
        )


async def _remove(ctx: Context, volume: dict[str, Any], force: bool = False) -> None:
    """Remove a volume unless a student container uses it (its keeper goes first)."""
    users = [
        c["Id"]
        for c in await ctx.scope.containers(ctx.engine)
        if any(m.get("Name") == volume["Name"] for m in c.get("Mounts") or [])
    ]
    name = ctx.scope.student(volume.get("Labels"), volume["Name"])
    if users:
        raise DaemonError(
            f"Error response from daemon: remove {name}: volume is in use - [{', '.join(users)}]"
        )
    await _drop_keeper(ctx, name)
    params = {"force": "1"} if force else None
    await call(ctx, f"volumes/{volume['Name']}", "DELETE", params=params)


async def create(ctx: Context, req: VolumeCreateRequest) -> Outcome:
    if req.driver not in (None, "local"):
        raise DaemonError(
            f"Error response from daemon: create {req.name or ''}: error looking up volume "
            f'plugin {req.driver}: plugin "{req.driver}" not found'
        )
    name = req.name or secrets.token_hex(32)
    await ensure_volume(ctx, name, dict(req.labels))
    return Outcome(output=name)


def _row(ctx: Context, volume: dict[str, Any]) -> dict[str, Any]:
    return {
        "Name": ctx.scope.student(volume.get("Labels"), volume["Name"]),
        "Driver": volume.get("Driver", "local"),
        "Scope": volume.get("Scope", "local"),
        "Mountpoint": "",  # the data lives in the engine's tree: see note.mountpoint
        "Labels": ",".join(f"{k}={v}" for k, v in visible_labels(volume.get("Labels")).items()),
    }


async def _used(ctx: Context) -> set[str]:
    used: set[str] = set()
    for container in await ctx.scope.containers(ctx.engine):
        used.update(m.get("Name", "") for m in container.get("Mounts") or [])
    return used


async def ls(ctx: Context, req: VolumeLsRequest) -> Outcome:
    volumes = await ctx.scope.volumes(ctx.engine)
    named = name_matcher(req.filters)
    wanted_labels = filter_values(req.filters, "label")
    dangling = filter_values(req.filters, "dangling")
    used = await _used(ctx) if dangling else set()
    rows = []
    for volume in volumes:
        row = _row(ctx, volume)
        if not named(row["Name"]):
            continue
        if wanted_labels and not match_labels(wanted_labels, volume.get("Labels")):
            continue
        if dangling and (volume["Name"] not in used) != (dangling[0] in ("true", "1")):
            continue
        rows.append(row)
    rows.sort(key=lambda r: r["Name"])
    if req.quiet:
        return Outcome(output="\n".join(r["Name"] for r in rows))
    if req.format:
        outcome = Outcome(output=await render_format(ctx, req.format, rows, HEADERS))
        if rows and ("Mountpoint" in req.format or "json" in req.format):
            outcome.notes.append(ctx.note("note.mountpoint"))
        return outcome
    return Outcome(
        output=table(["DRIVER", "VOLUME NAME"], [[r["Driver"], r["Name"]] for r in rows])
    )


async def inspect_one(ctx: Context, ref: str) -> dict[str, Any]:
    volume = await ctx.scope.volume(ctx.engine, ref)
    data: dict[str, Any] = await call(ctx, f"volumes/{volume['Name']}")
    data = student_json(ctx, data)
    data["Labels"] = visible_labels(data.get("Labels")) or None
    return data


async def inspect(ctx: Context, req: VolumeInspectRequest) -> Outcome:
    outcome = await show_objects(ctx, req.volumes, inspect_one, req.format)
    if outcome.exit_code == 0 and (not req.format or "Mountpoint" in req.format):
        outcome.notes.append(ctx.note("note.mountpoint"))
    return outcome


async def rm(ctx: Context, req: VolumeRmRequest) -> Outcome:
    async def remove(ref: str) -> None:
        volume = await ctx.scope.volume(ctx.engine, ref)
        await _remove(ctx, volume, req.force)

    return await each(req.volumes, remove)


async def prune_volumes(ctx: Context) -> list[str]:
    used = await _used(ctx)
    removed = []
    for volume in await ctx.scope.volumes(ctx.engine):
        if volume["Name"] in used:
            continue
        try:
            await _remove(ctx, volume)
        except DaemonError:
            continue
        removed.append(ctx.scope.student(volume.get("Labels"), volume["Name"]))
    return removed


async def prune(ctx: Context, req: VolumePruneRequest) -> Outcome:
    if not req.force:
        return pruning.unconfirmed(ctx, pruning.VOLUMES, req.raw or "docker volume prune")
    removed = await prune_volumes(ctx)
    return Outcome(output=pruning.reclaimed([("Deleted Volumes", removed)]))
