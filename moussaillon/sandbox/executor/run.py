"""``docker run`` and ``docker exec``: the two commands that execute student code.

A foreground run is create → start → wait (bounded by ``sandbox_timeout_s``) → logs → delete
when ``--rm``: never AutoRemove, whose race with the log read loses the output. aiodocker's
streams have no timeout of their own, so every wait, log read and exec stream sits inside
``asyncio.timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any

from moussaillon.sandbox import hostconfig
from moussaillon.sandbox.errors import QuotaExceeded, SandboxRefused
from moussaillon.sandbox.executor.common import (
    Context,
    Outcome,
    call,
    hide_internal,
    read_logs,
    text_of,
)
from moussaillon.sandbox.executor.networks import ALIAS_ON_DEFAULT, network_target
from moussaillon.sandbox.executor.networks import DEFAULT as DEFAULT_NETWORK
from moussaillon.sandbox.executor.volumes import ensure_volume
from moussaillon.sandbox.output import DaemonError, bytes_size, keep_tail
from moussaillon.sandbox.requests import (
    CreateRequest,
    ExecRequest,
    Healthcheck,
    PortMapping,
    RunRequest,
)
from moussaillon.sandbox.scope import IMAGE, PORTS, VALID_NAME, random_name

RUN_ERROR = "docker: Error response from daemon: "
# A volume mounted where the image has a file (``-v data:/etc/hosts``); the engine names the
# file by its host path, which ``call`` has already turned back into the container's.
NOT_A_DIRECTORY = re.compile(r"source (/\S*) is not directory")


def with_tag(image: str) -> str:
    return image if ":" in image.rsplit("/", 1)[-1] or "@" in image else image + ":latest"


def port_text(mapping: PortMapping) -> str:
    inner = f"{mapping.container_port}/{mapping.protocol}"
    if mapping.host_port is None:
        return inner
    return f"{mapping.host_ip or '0.0.0.0'}:{mapping.host_port}->{inner}"


def reach(ctx: Context, name: str, networks: dict[str, Any]) -> tuple[str, str, bool]:
    """How another container reaches this one: (``--network`` option, host, by IP?). By name on
    a network of the student's; on the default one, like docker's bridge, only by its IP."""
    default = ctx.scope.internal(DEFAULT_NETWORK)
    for network in networks:
        if network not in ("none", default):
            return f" --network {ctx.scope.student(None, network)}", name, False
    ip = (networks.get(default) or {}).get("IPAddress") or "IP"
    return "", ip, True


async def ports_note(
    ctx: Context, container_id: str, name: str, network: str | None, publish: list[PortMapping]
) -> list[str]:
    """The ``-p`` note; ``network`` (the student's, None for the default) serves when the
    container is gone already (``--rm``) and its addresses with it."""
    networks: dict[str, Any] = {ctx.scope.internal(network or DEFAULT_NETWORK): {}}
    with contextlib.suppress(DaemonError):
        details = await call(ctx, f"containers/{container_id}/json")
        networks = (details.get("NetworkSettings") or {}).get("Networks") or networks
    net, host, by_ip = reach(ctx, name, networks)
    asked = ", ".join(port_text(p) for p in publish)
    port = publish[0].container_port
    notes = [ctx.note("note.ports", ports=asked, net=net, name=host, port=port)]
    if by_ip:
        notes.append(ctx.note("note.by_ip", name=name))
    return notes


async def _image(ctx: Context, req: RunRequest) -> dict[str, Any]:
    ref = req.image_ref or req.image
    try:
        found: dict[str, Any] = await call(ctx, f"images/{ref}/json")
        return found
    except DaemonError:
        shown = with_tag(req.image)
        raise DaemonError(
            f"Unable to find image '{shown}' locally\n"
            + RUN_ERROR
            + ctx.note("image.unavailable", image=shown),
            125,
        ) from None


async def _mounts(ctx: Context, req: RunRequest) -> list[dict[str, Any]]:
    mounts: list[dict[str, Any]] = []
    for mount in req.mounts:
        if mount.type == "bind":
            raise SandboxRefused("sandbox.engine.refused.bind", path=mount.source or "")
        if mount.type == "tmpfs" or not mount.source:
            options = {"SizeBytes": ctx.settings.sandbox_tmpfs_mb * 1024 * 1024}
            mounts.append({"Type": "tmpfs", "Target": mount.target, "TmpfsOptions": options})
            continue
        internal = await ensure_volume(ctx, mount.source)
        mounts.append(
            {
                "Type": "volume",
                "Source": internal,
                "Target": mount.target,
                "ReadOnly": mount.read_only,
            }
        )
    return mounts


EPHEMERAL_FIRST = 32768  # where the engine's own ephemeral host ports start (Linux's range)


def ephemeral_ports(publish: list[PortMapping], live: list[dict[str, Any]]) -> list[PortMapping]:
    """``-p 80`` gets a host port as docker would give one (32768, 32769 …), recorded like
    the others, so ``docker port`` and ``docker ps`` show a full mapping (never opened)."""
    taken: set[int] = set()
    for container in live:
        for item in json.loads((container.get("Labels") or {}).get(PORTS) or "[]"):
            if item.get("host_port"):
                taken.add(int(item["host_port"]))
    taken.update(p.host_port for p in publish if p.host_port is not None)
    result = []
    port = EPHEMERAL_FIRST
    for mapping in publish:
        if mapping.host_port is None:
            while port in taken:
                port += 1
            taken.add(port)
            mapping = mapping.model_copy(update={"host_port": port})
        result.append(mapping)
    return result


async def create(ctx: Context, req: RunRequest) -> tuple[str, str, str | None]:
    """Create the container; returns (id, student name, student network or None)."""
    async with ctx.lock("containers"):  # quota and name checks hold until the engine has it
        return await _create(ctx, req)


async def _create(ctx: Context, req: RunRequest) -> tuple[str, str, str | None]:
    live = await ctx.scope.containers(ctx.engine)
    if len(live) >= ctx.settings.sandbox_max_containers:
        raise QuotaExceeded(
            "sandbox.engine.quota.containers", limit=ctx.settings.sandbox_max_containers
        )
    taken = {(c.get("Names") or ["/"])[0].lstrip("/"): c["Id"] for c in live}
    name = req.name or random_name()
    if not VALID_NAME.match(name):
        raise DaemonError(
            RUN_ERROR + f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] "
            "are allowed.",
            125,
        )
    internal = ctx.scope.internal(name)
    if internal in taken:
        raise DaemonError(
            RUN_ERROR + f'Conflict. The container name "/{name}" is already in use by container '
            f'"{taken[internal]}". You have to remove (or rename) that container to be able to '
            "reuse that name.",
            125,
        )
    image = await _image(ctx, req)
    network, student_net = await network_target(ctx, req.network)
    if student_net is None and req.network_aliases:
        raise DaemonError(RUN_ERROR + ALIAS_ON_DEFAULT + ".", 125)
    mounts = await _mounts(ctx, req)
    exposed: dict[str, dict[str, Any]] = {
        f"{p.container_port}/{p.protocol}": {} for p in req.publish
    }
    for item in req.expose:
        port, _, proto = item.partition("/")
        exposed[f"{port}/{proto or 'tcp'}"] = {}
    restart = req.restart
    publish = ephemeral_ports(req.publish, live)
    extra = {
        IMAGE: req.image,
        PORTS: json.dumps([p.model_dump() for p in publish]),
    }
    body: dict[str, Any] = {
        "Image": req.image_ref or req.image,
        "Env": [e.key if e.value is None else f"{e.key}={e.value}" for e in req.env],
        "Labels": {**req.labels, **ctx.scope.labels(name, **extra)},
        "ExposedPorts": exposed,
        # ``-dit``: an open stdin nobody writes to keeps a shell alive, as in docker
        "Tty": req.tty and req.detach,
        "OpenStdin": req.interactive and req.detach,
        "StdinOnce": req.interactive and req.detach and req.stdin_once,
        "AttachStdout": not req.detach,
        "AttachStderr": not req.detach,
        "HostConfig": hostconfig.host_config(
            ctx.settings,
            network=network,
            mounts=mounts,
            image_volumes=list((image.get("Config") or {}).get("Volumes") or {}),
            restart=hostconfig.restart_policy(
                restart.name if restart else None, restart.max_retries if restart else None
            ),
            memory=req.memory,
            cpus=req.cpus,
            init=req.init,
            root_mb=None if req.read_only else ctx.root_mb,
        ),
    }
    if req.remove and req.detach:
        body["HostConfig"]["AutoRemove"] = True  # nothing to read back: let the engine clean up
    if student_net is not None and network != "none":
        # like docker's default bridge, the default network gets no name: only the IP reaches it
        aliases = [name, *req.network_aliases]
        body["NetworkingConfig"] = {"EndpointsConfig": {network: {"Aliases": aliases}}}
    if req.healthcheck is not None:
        body["Healthcheck"] = health_body(req.healthcheck)
    if req.command:
        body["Cmd"] = list(req.command)
    if req.entrypoint is not None:
        body["Entrypoint"] = list(req.entrypoint) or [""]
    for key, value in (
        ("WorkingDir", req.workdir),
        ("User", req.user),
        ("Hostname", req.hostname),
        ("StopSignal", req.stop_signal),
    ):
        if value:
            body[key] = value
    try:
        created = await call(
            ctx,
            "containers/create",
            "POST",
            params={"name": internal},
            data=body,
            prefix=RUN_ERROR,
            exit_code=125,
        )
    except DaemonError as exc:
        on_file = NOT_A_DIRECTORY.search(exc.text)
        if on_file is None:
            raise
        note = ctx.note("volume_on_file", path=on_file.group(1))
        raise DaemonError(RUN_ERROR + note, 125) from None
    return created["Id"], name, student_net


async def start(ctx: Context, container_id: str, remove: bool) -> None:
    try:
        await call(ctx, f"containers/{container_id}/start", "POST", prefix=RUN_ERROR)
    except DaemonError as exc:
        exc.exit_code = 127 if "not found" in exc.text or "no such file" in exc.text else 126
        if remove:
            await delete(ctx, container_id)
        raise


async def delete(ctx: Context, container_id: str) -> None:
    with contextlib.suppress(DaemonError):
        await call(ctx, f"containers/{container_id}", "DELETE", params={"force": "1", "v": "1"})


async def wait_exit(ctx: Context, container_id: str) -> int | None:
    """The exit code, or None when the time limit hit first (the container is then killed)."""
    try:
        async with asyncio.timeout(ctx.settings.sandbox_timeout_s):
            result = await ctx.engine.post(f"containers/{container_id}/wait")
        return int(result.get("StatusCode", 0))
    except TimeoutError:
        with contextlib.suppress(DaemonError):
            await call(ctx, f"containers/{container_id}/kill", "POST")
        return None


async def foreground(
    ctx: Context, container_id: str, remove: bool, *, since: str | None = None
) -> Outcome:
    """``since`` (the engine's ``seconds.nanoseconds``): only what this start printed, as an
    attached ``docker start -a`` shows, not an earlier run's output."""
    code = await wait_exit(ctx, container_id)
    data, truncated = await read_logs(ctx, container_id, **({"since": since} if since else {}))
    outcome = Outcome(output=text_of(data), exit_code=code, truncated=truncated)
    if code is None:
        outcome.timed_out = True
        outcome.notes.append(ctx.note("note.timeout", seconds=ctx.settings.sandbox_timeout_s))
    if truncated:
        outcome.notes.append(ctx.note("note.truncated", kb=ctx.settings.sandbox_output_kb))
    if remove:
        await delete(ctx, container_id)
    return outcome


def limit_notes(ctx: Context, req: RunRequest) -> list[str]:
    """Say so when ``-m``/``--cpus`` asked for more than the sandbox gives (the applied value
    is what ``docker inspect`` shows)."""
    notes = []
    ceiling_memory = ctx.settings.sandbox_memory_mb * 1024 * 1024
    if req.memory and req.memory > ceiling_memory:
        notes.append(
            ctx.note(
                "note.memory_capped",
                asked=bytes_size(req.memory),
                limit=bytes_size(ceiling_memory),
            )
        )
    interval = req.healthcheck.interval if req.healthcheck else None
    if interval and interval < HEALTH_FLOOR_NS:
        notes.append(ctx.note("note.health_interval", asked=f"{interval / 1e9:g}"))
    if req.cpus and req.cpus > ctx.settings.sandbox_cpus:
        notes.append(
            ctx.note(
                "note.cpus_capped", asked=f"{req.cpus:g}", limit=f"{ctx.settings.sandbox_cpus:g}"
            )
        )
    return notes


HEALTH_FLOOR_NS = (
    1_000_000_000  # every check is an exec on the shared engine: once a second at most
)


def health_body(health: Healthcheck) -> dict[str, Any]:
    body: dict[str, Any] = {"Test": list(health.test)} if health.test else {}
    for key, value in (
        ("Interval", health.interval),
        ("Timeout", health.timeout),
        ("StartPeriod", health.start_period),
        ("Retries", health.retries),
    ):
        if value:
            body[key] = value
    if body.get("Interval"):
        body["Interval"] = max(body["Interval"], HEALTH_FLOOR_NS)
    return body


RUN_HINT = "\n\nRun 'docker run --help' for more information"


async def run(ctx: Context, req: RunRequest) -> Outcome:
    try:
        container_id, name, network = await create(ctx, req)
        await start(ctx, container_id, req.remove)
    except DaemonError as exc:  # the CLI 28 ends run's daemon errors with its help hint
        if RUN_ERROR in exc.text and not exc.text.endswith(RUN_HINT):
            exc.text += RUN_HINT
        raise
    if req.detach:
        outcome = Outcome(output=container_id)
    else:
        outcome = await foreground(ctx, container_id, req.remove)
    if req.publish:
        outcome.notes += await ports_note(ctx, container_id, name, network, list(req.publish))
    outcome.notes += limit_notes(ctx, req)
    return outcome


async def create_only(ctx: Context, req: CreateRequest) -> Outcome:
    """``docker create``: the container is made as ``run`` would make it, and left created;
    docker's ``create`` reports the daemon's refusals without ``run``'s ``docker:`` and 125."""
    try:
        container_id, name, network = await create(ctx, req)
    except DaemonError as exc:
        raise DaemonError(exc.text.replace("docker: Error response", "Error response"), 1) from None
    outcome = Outcome(output=container_id)
    if req.publish:
        outcome.notes += await ports_note(ctx, container_id, name, network, list(req.publish))
    outcome.notes += limit_notes(ctx, req)
    return outcome


async def execute(ctx: Context, req: ExecRequest) -> Outcome:
    target = await ctx.scope.container(ctx.engine, req.container)
    config: dict[str, Any] = {
        "AttachStdout": not req.detach,
        "AttachStderr": not req.detach,
        "Tty": False,
        "Cmd": list(req.command),
        "Env": [e.key if e.value is None else f"{e.key}={e.value}" for e in req.env],
        "Privileged": False,
    }
    if req.workdir:
        config["WorkingDir"] = req.workdir
    if req.user:
        config["User"] = req.user
    created = await call(ctx, f"containers/{target['Id']}/exec", "POST", data=config)
    exec_ = ctx.engine.client.containers.exec(created["Id"])
    if req.detach:
        await call(ctx, f"exec/{created['Id']}/start", "POST", data={"Detach": True})
        return Outcome()
    buffer = bytearray()
    limit = ctx.output_limit
    timed_out = False
    try:
        async with asyncio.timeout(ctx.settings.sandbox_timeout_s):
            async with exec_.start(detach=False) as stream:
                while (message := await stream.read_out()) is not None:
                    buffer += message.data
                    if len(buffer) > 2 * limit:
                        del buffer[: len(buffer) - limit]
    except TimeoutError:
        timed_out = True
    data, truncated = keep_tail(bytes(buffer), limit)
    outcome = Outcome(output=hide_internal(ctx, text_of(data)), truncated=truncated)
    if truncated or len(buffer) > limit:
        outcome.truncated = True
        outcome.notes.append(ctx.note("note.truncated", kb=ctx.settings.sandbox_output_kb))
    if timed_out:
        outcome.timed_out = True
        outcome.exit_code = None
        outcome.notes.append(
            ctx.note(
                "note.exec_timeout", seconds=ctx.settings.sandbox_timeout_s, name=req.container
            )
        )
        return outcome
    inspected = await call(ctx, f"exec/{created['Id']}/json")
    outcome.exit_code = inspected.get("ExitCode")
    if outcome.exit_code is None:
        outcome.exit_code = 126
    return outcome
