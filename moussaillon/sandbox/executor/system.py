"""``version``, ``info`` (sanitised), ``system prune``, plain ``inspect`` and ``help``.

``info`` shows the engine's version and kernel but only the student's own counts and the
sandbox's limits as CPUs/memory: no host paths, engine id, host name or other students' numbers.
"""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.executor import containers, images, networks, volumes
from moussaillon.sandbox.executor.common import Context, Outcome, call, render_each
from moussaillon.sandbox.executor.inspection import show_objects
from moussaillon.sandbox.help import help_text
from moussaillon.sandbox.output import DaemonError, bytes_size
from moussaillon.sandbox.requests import (
    HelpRequest,
    InfoRequest,
    InspectRequest,
    SystemPruneRequest,
    VersionRequest,
)


async def version(ctx: Context, req: VersionRequest) -> Outcome:
    v = await call(ctx, "version")
    data = {
        "Client": {
            "Version": v.get("Version", ""),
            "ApiVersion": v.get("ApiVersion", ""),
            "Os": v.get("Os", "linux"),
            "Arch": v.get("Arch", "amd64"),
            "Platform": {"Name": "Moussaillon sandbox"},
        },
        "Server": {
            "Version": v.get("Version", ""),
            "ApiVersion": v.get("ApiVersion", ""),
            "MinAPIVersion": v.get("MinAPIVersion", ""),
            "GoVersion": v.get("GoVersion", ""),
            "GitCommit": v.get("GitCommit", ""),
            "Os": v.get("Os", ""),
            "Arch": v.get("Arch", ""),
            "KernelVersion": v.get("KernelVersion", ""),
            "BuildTime": v.get("BuildTime", ""),
            "Experimental": bool(v.get("Experimental", False)),
        },
    }
    if req.format:
        return Outcome(output=(await render_each(ctx, req.format, [data]))[0])
    s = data["Server"]
    lines = [
        "Client: Moussaillon sandbox",
        f" Version:           {s['Version']}",
        f" API version:       {s['ApiVersion']}",
        f" OS/Arch:           {s['Os']}/{s['Arch']}",
        "",
        "Server: Docker Engine - Community",
        " Engine:",
        f"  Version:          {s['Version']}",
        f"  API version:      {s['ApiVersion']} (minimum version {s['MinAPIVersion']})",
        f"  Go version:       {s['GoVersion']}",
        f"  Git commit:       {s['GitCommit']}",
        f"  Built:            {s['BuildTime']}",
        f"  OS/Arch:          {s['Os']}/{s['Arch']}",
        f"  Experimental:     {str(s['Experimental']).lower()}",
    ]
    return Outcome(output="\n".join(lines))


async def info(ctx: Context, req: InfoRequest) -> Outcome:
    engine = await call(ctx, "info")
    mine = await ctx.scope.containers(ctx.engine)
    states = [c.get("State") for c in mine]
    data: dict[str, Any] = {
        "Containers": len(mine),
        "ContainersRunning": states.count("running"),
        "ContainersPaused": states.count("paused"),
        "ContainersStopped": len(mine) - states.count("running") - states.count("paused"),
        "Images": len(await images.visible(ctx)),
        "ServerVersion": engine.get("ServerVersion", ""),
        "Driver": engine.get("Driver", ""),
        "CgroupDriver": engine.get("CgroupDriver", ""),
        "CgroupVersion": engine.get("CgroupVersion", ""),
        "DefaultRuntime": ctx.settings.sandbox_runtime or engine.get("DefaultRuntime", ""),
        "KernelVersion": engine.get("KernelVersion", ""),
        "OperatingSystem": engine.get("OperatingSystem", ""),
        "OSType": engine.get("OSType", "linux"),
        "Architecture": engine.get("Architecture", ""),
        "NCPU": ctx.settings.sandbox_cpus,
        "MemTotal": ctx.settings.sandbox_memory_mb * 1024 * 1024,
    }
    if req.format:
        return Outcome(output=(await render_each(ctx, req.format, [data]))[0])
    lines = [
        "Server:",
        f" Containers: {data['Containers']}",
        f"  Running: {data['ContainersRunning']}",
        f"  Paused: {data['ContainersPaused']}",
        f"  Stopped: {data['ContainersStopped']}",
        f" Images: {data['Images']}",
        f" Server Version: {data['ServerVersion']}",
        f" Storage Driver: {data['Driver']}",
        f" Cgroup Driver: {data['CgroupDriver']}",
        f" Cgroup Version: {data['CgroupVersion']}",
        f" Default Runtime: {data['DefaultRuntime']}",
        f" Kernel Version: {data['KernelVersion']}",
        f" Operating System: {data['OperatingSystem']}",
        f" OSType: {data['OSType']}",
        f" Architecture: {data['Architecture']}",
        f" CPUs: {data['NCPU']:g}",
        f" Total Memory: {bytes_size(data['MemTotal'])}",
    ]
    outcome = Outcome(output="\n".join(lines))
    outcome.notes.append(ctx.note("note.info_scope"))
    return outcome


async def prune(ctx: Context, req: SystemPruneRequest) -> Outcome:
    parts: list[str] = []
    removed = await containers.prune_containers(ctx)
    if removed:
        parts.append("Deleted Containers:\n" + "\n".join(removed) + "\n")
    if req.volumes:
        gone = await volumes.prune_volumes(ctx)
        if gone:
            parts.append("Deleted Volumes:\n" + "\n".join(gone) + "\n")
    nets = await networks.prune_networks(ctx)
    if nets:
        parts.append("Deleted Networks:\n" + "\n".join(nets) + "\n")
    parts.append("Total reclaimed space: 0B")
    return Outcome(output="\n".join(parts))


LOOKUPS = {
    "container": containers.inspect_one,
    "network": networks.inspect_one,
    "volume": volumes.inspect_one,
    "image": images.inspect_one,
}


async def inspect(ctx: Context, req: InspectRequest) -> Outcome:
    kinds = [req.type] if req.type else ["container", "image", "volume", "network"]

    async def lookup(ctx: Context, ref: str) -> dict[str, Any]:
        for kind in kinds:
            try:
                return await LOOKUPS[kind](ctx, ref)
            except DaemonError:
                continue
        raise DaemonError(f"Error: No such object: {ref}")

    return await show_objects(ctx, req.targets, lookup, req.format)


async def help_(ctx: Context, req: HelpRequest) -> Outcome:
    return Outcome(output=help_text(req.topic, ctx.lang))
