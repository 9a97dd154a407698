"""``version``, ``info`` (sanitised), ``system prune``, plain ``inspect`` and ``help``.

``info`` shows the engine's version and kernel but only the student's own counts and the
sandbox's limits as CPUs/memory: no host paths, engine id, host name or other students' numbers.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from moussaillon.sandbox.executor import containers, images, networks, pruning, volumes
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

SANDBOX_OS = "Moussaillon sandbox"  # in place of the host's distribution
SANDBOX_NAME = "moussaillon"  # in place of the host's name

# The docker CLI the sandbox's answers follow (docker version of the test machine's CLI).
CLIENT = {
    "Version": "28.2.2",
    "GoVersion": "go1.24.3",
    "GitCommit": "e6534b4",
    "BuildTime": "Fri May 30 12:07:14 2025",
    "Os": "linux",
    "Arch": "amd64",
    "Context": "default",
}


def _built(stamp: str) -> str:
    """The engine's ``2026-05-07T21:09:36.000000000+00:00`` as the CLI prints it."""
    try:
        when = datetime.fromisoformat(re.sub(r"\.\d+", "", stamp))
    except ValueError:
        return stamp
    return when.strftime("%a %b ") + f"{when.day:>2}" + when.strftime(" %H:%M:%S %Y")


def _components(v: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("containerd", "runc", "docker-init")
    return [
        {"Name": c.get("Name"), "Version": c.get("Version", ""), "Details": c.get("Details") or {}}
        for c in v.get("Components") or []
        if c.get("Name") in keep
    ]


async def version(ctx: Context, req: VersionRequest) -> Outcome:
    """``docker version`` as the CLI prints it: the CLI the sandbox follows, then the engine
    and its components; no kernel or host in the text (the kernel stays in ``--format``,
    as ``uname -r`` in any container shows it anyway)."""
    v = await call(ctx, "version")
    api = v.get("ApiVersion", "")
    data = {
        "Client": {
            **{k: CLIENT[k] for k in ("Version", "GoVersion", "GitCommit", "Os", "Arch")},
            "ApiVersion": api,
            "DefaultAPIVersion": api,
            "BuildTime": CLIENT["BuildTime"],
            "Context": CLIENT["Context"],
            "Platform": {"Name": ""},
        },
        "Server": {
            "Platform": {"Name": ""},
            "Components": [
                {"Name": "Engine", "Version": v.get("Version", "")},
                *_components(v),
            ],
            "Version": v.get("Version", ""),
            "ApiVersion": api,
            "MinAPIVersion": v.get("MinAPIVersion", ""),
            "GitCommit": v.get("GitCommit", ""),
            "GoVersion": v.get("GoVersion", ""),
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
        "Client:",
        f" Version:           {CLIENT['Version']}",
        f" API version:       {api}",
        f" Go version:        {CLIENT['GoVersion']}",
        f" Git commit:        {CLIENT['GitCommit']}",
        f" Built:             {CLIENT['BuildTime']}",
        f" OS/Arch:           {CLIENT['Os']}/{CLIENT['Arch']}",
        f" Context:           {CLIENT['Context']}",
        "",
        "Server:",
        " Engine:",
        f"  Version:          {s['Version']}",
        f"  API version:      {api} (minimum version {s['MinAPIVersion']})",
        f"  Go version:       {s['GoVersion']}",
        f"  Git commit:       {s['GitCommit']}",
        f"  Built:            {_built(str(s['BuildTime']))}",
        f"  OS/Arch:          {s['Os']}/{s['Arch']}",
        f"  Experimental:     {str(s['Experimental']).lower()}",
    ]
    for component in _components(v):
        lines += [
            f" {component['Name']}:",
            f"  Version:          {component['Version']}",
            f"  GitCommit:        {component['Details'].get('GitCommit', '')}",
        ]
    return Outcome(output="\n".join(lines))


async def info(ctx: Context, req: InfoRequest) -> Outcome:
    """``docker info`` in docker's layout, with the student's own counts, the sandbox's limits
    as CPUs and memory, and nothing of the host (no name, id, root dir, OS or registries)."""
    engine = await call(ctx, "info")
    mine = await ctx.scope.containers(ctx.engine)
    states = [c.get("State") for c in mine]
    runtime = ctx.settings.sandbox_runtime or engine.get("DefaultRuntime", "") or "runc"
    data: dict[str, Any] = {
        "Containers": len(mine),
        "ContainersRunning": states.count("running"),
        "ContainersPaused": states.count("paused"),
        "ContainersStopped": len(mine) - states.count("running") - states.count("paused"),
        "Images": len(await images.visible(ctx)),
        "ServerVersion": engine.get("ServerVersion", ""),
        "Driver": engine.get("Driver", ""),
        "LoggingDriver": "json-file",
        "CgroupDriver": engine.get("CgroupDriver", ""),
        "CgroupVersion": engine.get("CgroupVersion", ""),
        "DefaultRuntime": runtime,
        "InitBinary": "docker-init",
        "KernelVersion": engine.get("KernelVersion", ""),
        "OperatingSystem": SANDBOX_OS,
        "OSType": engine.get("OSType", "linux"),
        "Architecture": engine.get("Architecture", ""),
        "NCPU": ctx.settings.sandbox_cpus,
        "MemTotal": ctx.settings.sandbox_memory_mb * 1024 * 1024,
        "Name": SANDBOX_NAME,
        "Swarm": {"LocalNodeState": "inactive"},
        "ClientInfo": {"Version": CLIENT["Version"], "Context": CLIENT["Context"]},
    }
    if req.format:
        return Outcome(output=(await render_each(ctx, req.format, [data]))[0])
    lines = [
        "Client:",
        f" Version:    {CLIENT['Version']}",
        f" Context:    {CLIENT['Context']}",
        " Debug Mode: false",
        "",
        "Server:",
        f" Containers: {data['Containers']}",
        f"  Running: {data['ContainersRunning']}",
        f"  Paused: {data['ContainersPaused']}",
        f"  Stopped: {data['ContainersStopped']}",
        f" Images: {data['Images']}",
        f" Server Version: {data['ServerVersion']}",
        f" Storage Driver: {data['Driver']}",
        f" Logging Driver: {data['LoggingDriver']}",
        f" Cgroup Driver: {data['CgroupDriver']}",
        f" Cgroup Version: {data['CgroupVersion']}",
        " Plugins:",
        "  Volume: local",
        "  Network: bridge null",
        "  Log: json-file",
        " Swarm: inactive",
        f" Runtimes: {runtime}",
        f" Default Runtime: {runtime}",
        f" Init Binary: {data['InitBinary']}",
        " Security Options:",
        "  seccomp",
        "   Profile: default",
        "  no-new-privileges",
        f" Kernel Version: {data['KernelVersion']}",
        f" Operating System: {data['OperatingSystem']}",
        f" OSType: {data['OSType']}",
        f" Architecture: {data['Architecture']}",
        f" CPUs: {data['NCPU']:g}",
        f" Total Memory: {bytes_size(data['MemTotal'])}",
        f" Name: {data['Name']}",
        " Debug Mode: false",
        " Experimental: false",
        " Live Restore Enabled: false",
    ]
    outcome = Outcome(output="\n".join(lines))
    outcome.notes.append(ctx.note("note.info_scope"))
    return outcome


async def prune(ctx: Context, req: SystemPruneRequest) -> Outcome:
    if not req.force:
        warning = pruning.system_warning(req.all, req.volumes)
        return pruning.unconfirmed(ctx, warning, req.raw or "docker system prune")
    removed = await containers.prune_containers(ctx)
    gone = await volumes.prune_volumes(ctx) if req.volumes else []
    nets = await networks.prune_networks(ctx)
    sections = [("Deleted Containers", removed), ("Deleted Volumes", gone)]
    return Outcome(output=pruning.reclaimed([*sections, ("Deleted Networks", nets)]))


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
