"""``docker compose …``: a project's objects made through the same requests as ``docker run``.

Every container, network and volume of the project is the typed request the parser would have
made for the equivalent ``docker`` line (``compose_plan``), checked by the service's policy
(``ctx.checker``) and run by the executor's usual functions: the same scope, forced limits,
quotas and labels as anything a student types. What is Compose's own is the order
(``depends_on`` and its conditions), the names and labels, and the output's shape (v2's).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from moussaillon.core.i18n import t
from moussaillon.sandbox.compose import ComposeProject, Service
from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.executor import build as build_exec
from moussaillon.sandbox.executor import compose_views as views
from moussaillon.sandbox.executor import containers, networks, run, volumes
from moussaillon.sandbox.executor.common import Context, Outcome, call
from moussaillon.sandbox.executor.compose_plan import (
    SERVICE,
    Found,
    build_request,
    by_service,
    check_quotas,
    checked,
    container_name,
    extra_networks,
    find,
    image_of,
    load,
    network_name,
    network_request,
    project_name,
    run_request,
    student_object,
    volume_name,
    volume_request,
    warnings_text,
)
from moussaillon.sandbox.output import DaemonError, short_id
from moussaillon.sandbox.requests import (
    ComposeRequest,
    ExecRequest,
    NetworkConnectRequest,
    NetworkRmRequest,
    RestartRequest,
    RmRequest,
    RunRequest,
    StartRequest,
    StopRequest,
    VolumeRmRequest,
)

POLL_S = 0.5
OK, FAILED = "✔", "✘"  # Compose's own marks


class Progress:
    """Compose v2's summary: ``[+] Running 3/3`` then one aligned line per object."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool]] = []

    def add(self, kind: str, name: str, status: str, ok: bool = True) -> None:
        shown = f'"{name}"' if kind == "Volume" else name
        for i, row in enumerate(self.rows):
            if row[0] == kind and row[1] == shown:
                self.rows[i] = (kind, shown, status, ok)
                return
        self.rows.append((kind, shown, status, ok))

    def render(self) -> str:
        if not self.rows:
            return ""
        width = max(len(f"{kind} {name}") for kind, name, _, _ in self.rows)
        done = sum(1 for row in self.rows if row[3])
        lines = [f"[+] Running {done}/{len(self.rows)}"]
        for kind, name, status, ok in self.rows:
            lines.append(f" {OK if ok else FAILED} {f'{kind} {name}'.ljust(width)}  {status}")
        return "\n".join(lines)


def _note(ctx: Context, key: str, **params: object) -> str:
    return t(f"sandbox.compose_run.{key}", ctx.lang, **params)


def _services(project: ComposeProject, req: ComposeRequest) -> list[str]:
    unknown = [s for s in req.services if s not in project.services]
    if unknown:
        raise SandboxRefused("sandbox.compose_run.no_service", service=unknown[0])
    return project.order(req.services or project.active(req.profiles))


# --- up ---------------------------------------------------------------------------------------


async def _image_exists(ctx: Context, project: ComposeProject, service: Service) -> bool:
    ref = f"{ctx.scope.image_repo}{image_of(project, service)}"
    ref = ref if ":" in ref.rsplit("/", 1)[-1] else ref + ":latest"
    try:
        await call(ctx, f"images/{ref}/json")
    except DaemonError:
        return False
    return True


async def _build(ctx: Context, project: ComposeProject, service: Service) -> Outcome:
    request = await checked(ctx, build_request(project, service))
    if ctx.build_slot is None:
        return await build_exec.build(ctx, request)
    async with ctx.build_slot() as parent:
        ctx.cgroup_parent = parent
        try:
            return await build_exec.build(ctx, request)
        finally:
            ctx.cgroup_parent = None


async def _builds(
    ctx: Context, project: ComposeProject, services: list[str], *, always: bool
) -> tuple[str, bool]:
    """Build the ``build:`` services (all with ``--build``, else the missing images)."""
    out: list[str] = []
    for name in services:
        service = project.services[name]
        if service.build is None or (not always and await _image_exists(ctx, project, service)):
            continue
        outcome = await _build(ctx, project, service)
        out.append(outcome.output)
        if outcome.exit_code != 0:
            out.append(f"failed to solve: service {name!r} did not build\n")
            return "".join(out), False
    return "".join(out), True


async def _wait(ctx: Context, container: dict[str, Any], condition: str, deadline: float) -> str:
    """Wait for a dependency's ``condition``; its status word, or ``DaemonError`` as Compose.
    One deadline per command: ten services waiting in turn wait no longer than one."""
    name = student_object(ctx, container)
    while True:
        state = (await call(ctx, f"containers/{container['Id']}/json")).get("State") or {}
        if condition == "service_healthy":
            health = (state.get("Health") or {}).get("Status")
            if health is None:
                raise DaemonError(
                    f"dependency failed to start: container {name} has no healthcheck configured"
                )
            if health == "healthy":
                return "Healthy"
            if health == "unhealthy" or state.get("Status") == "exited":
                raise DaemonError(f"dependency failed to start: container {name} is unhealthy")
        elif condition == "service_completed_successfully":
            if state.get("Status") == "exited":
                code = state.get("ExitCode", 0)
                if code == 0:
                    return "Exited"
                service = (container.get("Labels") or {}).get(SERVICE, name)
                raise DaemonError(f'service "{service}" didn\'t complete successfully: exit {code}')
        else:
            return "Started"
        if time.monotonic() > deadline:
            raise DaemonError(
                _note(ctx, "wait_timeout", name=name, seconds=int(ctx.settings.compose_wait_s))
            )
        await asyncio.sleep(POLL_S)


async def _ensure_shared(
    ctx: Context, project: ComposeProject, services: list[str], found: Found, progress: Progress
) -> None:
    have_nets = {student_object(ctx, n) for n in found.networks}
    nets: list[str] = []
    for name in services:
        service = project.services[name]
        for net in [n.name for n in service.networks] or ["default"]:
            if net not in nets:
                nets.append(net)
    for net in nets:
        if network_name(project.name, net) in have_nets:
            continue
        await networks.create(ctx, await checked(ctx, network_request(project, net)))
        progress.add("Network", network_name(project.name, net), "Created")
    have_vols = {student_object(ctx, v) for v in found.volumes}
    vols: list[str] = []
    for name in services:
        for volume in project.services[name].volumes:
            if volume.type == "volume" and volume.source and volume.source not in vols:
                vols.append(volume.source)
    for named in vols:
        if volume_name(project.name, named) in have_vols:
            continue
        await volumes.create(ctx, await checked(ctx, volume_request(project, named)))
        progress.add("Volume", volume_name(project.name, named), "Created")


async def _create(ctx: Context, project: ComposeProject, request: RunRequest) -> str:
    service = project.services[request.labels[SERVICE]]
    container_id, name, _ = await run.create(ctx, request)
    for net, aliases in extra_networks(project, service):
        connect = NetworkConnectRequest(network=net, container=name, aliases=aliases)
        await networks.connect(ctx, await checked(ctx, connect))
    return container_id


async def up(ctx: Context, req: ComposeRequest) -> Outcome:
    project = await load(ctx, req)
    services = _services(project, req)
    found = await find(ctx, project.name)
    await check_quotas(ctx, project, services, found)
    requests: dict[str, RunRequest] = {}
    for name in services:  # the policy sees every container before anything is made
        if project.services[name].build is None:
            requests[name] = await checked(ctx, run_request(project, project.services[name]))
    built, ok = await _builds(ctx, project, services, always=req.build)
    if not ok:
        return Outcome(output=warnings_text(project) + built, exit_code=1)
    for name in services:
        if name not in requests:
            requests[name] = await checked(ctx, run_request(project, project.services[name]))
    progress = Progress()
    outcome = Outcome(output="")
    try:
        await _ensure_shared(ctx, project, services, found, progress)
        await _start_services(ctx, project, services, requests, found, progress)
    except DaemonError as exc:
        outcome.output = f"{warnings_text(project)}{built}{progress.render()}\n{exc.text}"
        outcome.exit_code = 1
        return outcome
    outcome.output = warnings_text(project) + built + progress.render()
    if not req.detach:
        outcome.notes.append(_note(ctx, "attached", project=project.name))
    published = next((project.services[s] for s in services if project.services[s].ports), None)
    if published is not None:
        net = published.networks[0].name if published.networks else "default"
        network = network_name(project.name, net)
        outcome.notes.append(_note(ctx, "ports", network=network, service=published.name))
    return outcome


async def _start_services(
    ctx: Context,
    project: ComposeProject,
    services: list[str],
    requests: dict[str, RunRequest],
    found: Found,
    progress: Progress,
) -> None:
    deadline = time.monotonic() + ctx.settings.compose_wait_s
    ids: dict[str, dict[str, Any]] = {}
    for name in services:
        service = project.services[name]
        request = requests[name]
        existing = found.containers.get(name)
        shown = request.name or container_name(project.name, service)
        if existing is not None and (existing.get("Labels") or {}).get(
            "com.docker.compose.config-hash"
        ) == request.labels.get("com.docker.compose.config-hash"):
            ids[name] = existing
            if existing.get("State") == "running":
                progress.add("Container", shown, "Running")
                continue
            await _wait_deps(ctx, service, ids, progress, deadline)
            await run.start(ctx, existing["Id"], remove=False)
            progress.add("Container", shown, "Started")
            continue
        if existing is not None:
            await run.delete(ctx, existing["Id"])
            progress.add("Container", shown, "Recreated")
        container_id = await _create(ctx, project, request)
        ids[name] = {"Id": container_id, "Names": [ctx.scope.internal(shown)], "Labels": {}}
        progress.add("Container", shown, "Created")
        await _wait_deps(ctx, service, ids, progress, deadline)
        try:
            await run.start(ctx, container_id, remove=False)
        except DaemonError:
            progress.add("Container", shown, "Error", ok=False)
            raise
        progress.add("Container", shown, "Started")


async def _wait_deps(
    ctx: Context,
    service: Service,
    ids: dict[str, dict[str, Any]],
    progress: Progress,
    deadline: float,
) -> None:
    for dep in service.depends_on:
        container = ids.get(dep.service)
        if container is None or dep.condition == "service_started":
            continue
        shown = student_object(ctx, container)
        progress.add("Container", shown, "Waiting")
        if ctx.on_output is not None:  # the chat's live message shows the wait as it happens
            await ctx.on_output(f" ⠿ Container {shown}  Waiting\n")
        try:
            status = await _wait(ctx, container, dep.condition, deadline)
        except DaemonError:
            progress.add("Container", shown, "Error", ok=False)
            raise
        progress.add("Container", shown, status)


# --- the others -------------------------------------------------------------------------------


async def _each_container(
    ctx: Context,
    req: ComposeRequest,
    make: Callable[[list[str]], Any],
    act: Callable[[Context, Any], Awaitable[Outcome]],
    status: str,
    *,
    reverse: bool = False,
) -> Outcome:
    project, name = await project_name(ctx, req)
    found = await find(ctx, name)
    pairs = by_service(found, req.services)
    if project is not None:
        order = project.order([s for s, _ in pairs]) if pairs else []
        pairs = sorted(pairs, key=lambda p: order.index(p[0]) if p[0] in order else 0)
    if reverse:
        pairs.reverse()
    progress = Progress()
    failed = ""
    for _, c in pairs:
        shown = student_object(ctx, c)
        outcome = await act(ctx, await checked(ctx, make([shown])))
        if outcome.exit_code:
            progress.add("Container", shown, "Error", ok=False)
            failed += outcome.output + "\n"
        else:
            progress.add("Container", shown, status)
    return Outcome(
        output=progress.render() + ("\n" + failed if failed else ""), exit_code=1 if failed else 0
    )


async def stop(ctx: Context, req: ComposeRequest) -> Outcome:
    return await _each_container(
        ctx,
        req,
        lambda names: StopRequest(containers=names),
        containers.stop,
        "Stopped",
        reverse=True,
    )


async def start(ctx: Context, req: ComposeRequest) -> Outcome:
    return await _each_container(
        ctx, req, lambda names: StartRequest(containers=names), containers.start, "Started"
    )


async def restart(ctx: Context, req: ComposeRequest) -> Outcome:
    return await _each_container(
        ctx, req, lambda names: RestartRequest(containers=names), containers.restart, "Started"
    )


async def down(ctx: Context, req: ComposeRequest) -> Outcome:
    _, name = await project_name(ctx, req)
    found = await find(ctx, name)
    progress = Progress()
    problems: list[str] = []
    doomed = [c for _, c in sorted(found.containers.items(), reverse=True)] + found.oneoff
    for c in doomed:
        shown = student_object(ctx, c)
        outcome = await containers.rm(
            ctx, await checked(ctx, RmRequest(containers=[shown], force=True))
        )
        progress.add(
            "Container",
            shown,
            "Removed" if not outcome.exit_code else "Error",
            not outcome.exit_code,
        )
        if outcome.exit_code:
            problems.append(outcome.output)
    for net in found.networks:
        shown = student_object(ctx, net)
        outcome = await networks.rm(ctx, await checked(ctx, NetworkRmRequest(networks=[shown])))
        progress.add(
            "Network", shown, "Removed" if not outcome.exit_code else "Error", not outcome.exit_code
        )
        if outcome.exit_code:
            problems.append(outcome.output)
    if req.volumes:
        for volume in found.volumes:
            shown = student_object(ctx, volume)
            outcome = await volumes.rm(ctx, await checked(ctx, VolumeRmRequest(volumes=[shown])))
            progress.add(
                "Volume",
                shown,
                "Removed" if not outcome.exit_code else "Error",
                not outcome.exit_code,
            )
            if outcome.exit_code:
                problems.append(outcome.output)
    result = Outcome(output="\n".join([progress.render(), *problems]).strip("\n"))
    result.exit_code = 1 if problems else 0
    if not progress.rows:
        result.notes.append(_note(ctx, "nothing", project=name))
    elif found.volumes and not req.volumes:
        result.notes.append(_note(ctx, "volumes_kept", project=name))
    return result


async def _running(ctx: Context, req: ComposeRequest) -> tuple[ComposeProject, str, dict[str, Any]]:
    project = await load(ctx, req)
    service = req.services[0]
    if service not in project.services:
        raise SandboxRefused("sandbox.compose_run.no_service", service=service)
    container = (await find(ctx, project.name)).containers.get(service)
    if container is None or container.get("State") != "running":
        raise DaemonError(f'service "{service}" is not running')
    return project, service, container


async def exec_(ctx: Context, req: ComposeRequest) -> Outcome:
    _, _, container = await _running(ctx, req)
    if not req.command:
        raise DaemonError('"docker compose exec" requires at least 2 arguments')
    request = ExecRequest(container=student_object(ctx, container), command=list(req.command))
    return await run.execute(ctx, await checked(ctx, request))


async def run_(ctx: Context, req: ComposeRequest) -> Outcome:
    project = await load(ctx, req)
    name = req.services[0]
    if name not in project.services:
        raise SandboxRefused("sandbox.compose_run.no_service", service=name)
    service = project.services[name]
    found = await find(ctx, project.name)
    deps = [s for s in project.order([name]) if s != name]
    others = {s: c for s, c in found.containers.items() if s != name}  # the one-off is new
    await check_quotas(
        ctx, project, [*deps, name], Found(others, [], found.networks, found.volumes)
    )
    progress = Progress()
    built, ok = await _builds(ctx, project, [name], always=False)
    if not ok:
        return Outcome(output=built, exit_code=1)
    await _ensure_shared(ctx, project, [*deps, name], found, progress)
    if deps:
        requests = {d: await checked(ctx, run_request(project, project.services[d])) for d in deps}
        await _start_services(ctx, project, deps, requests, found, progress)
    oneoff = f"{project.name}-{name}-run-{short_id(_token())}"
    request = run_request(
        project,
        service,
        name=oneoff,
        command=list(req.command) or None,
        oneoff=True,
        remove=req.remove,
    )
    request = await checked(ctx, request)
    container_id, _, _ = await run.create(ctx, request)
    for net, aliases in extra_networks(project, service):
        connect = NetworkConnectRequest(network=net, container=oneoff, aliases=aliases)
        await networks.connect(ctx, await checked(ctx, connect))
    await run.start(ctx, container_id, request.remove)
    outcome = await run.foreground(ctx, container_id, request.remove)
    head = progress.render()
    if head:
        outcome.output = head + "\n" + outcome.output
    return outcome


def _token() -> str:
    return secrets.token_hex(6)


async def build(ctx: Context, req: ComposeRequest) -> Outcome:
    project = await load(ctx, req)
    services = [s for s in _services(project, req) if project.services[s].build is not None]
    built, ok = await _builds(ctx, project, services, always=True)
    return Outcome(output=warnings_text(project) + built, exit_code=0 if ok else 1)


HANDLERS: dict[str, Callable[[Context, ComposeRequest], Awaitable[Outcome]]] = {
    "compose.up": up,
    "compose.ps": views.ps,
    "compose.logs": views.logs,
    "compose.down": down,
    "compose.stop": stop,
    "compose.start": start,
    "compose.restart": restart,
    "compose.config": views.config,
    "compose.exec": exec_,
    "compose.run": run_,
    "compose.build": build,
    "compose.images": views.images,
    "compose.top": views.top,
    "compose.version": views.version,
}


async def compose(ctx: Context, req: ComposeRequest) -> Outcome:
    outcome = await HANDLERS[req.verb](ctx, req)
    if req.legacy:
        outcome.notes.insert(0, _note(ctx, "legacy"))
    return outcome


__all__ = ["HANDLERS", "compose"]
