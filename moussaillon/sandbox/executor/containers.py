"""Container commands other than run/exec, each scoped to the student's own containers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from moussaillon.sandbox.executor import pruning
from moussaillon.sandbox.executor.common import (
    Context,
    Outcome,
    call,
    each,
    filter_values,
    hide_internal,
    match_labels,
    name_matcher,
    read_logs,
    render_format,
    student_json,
    text_of,
    visible_labels,
)
from moussaillon.sandbox.executor.inspection import show_objects
from moussaillon.sandbox.executor.networks import DEFAULT as DEFAULT_NETWORK
from moussaillon.sandbox.executor.run import foreground, port_text
from moussaillon.sandbox.output import (
    DaemonError,
    ago,
    human_size,
    quoted_command,
    short_id,
    table,
)
from moussaillon.sandbox.requests import (
    ContainerInspectRequest,
    ContainerLsRequest,
    ContainerPruneRequest,
    KillRequest,
    LogsRequest,
    PauseRequest,
    PortMapping,
    RenameRequest,
    RestartRequest,
    RmRequest,
    StartRequest,
    StopRequest,
    UnpauseRequest,
    WaitRequest,
)
from moussaillon.sandbox.scope import IMAGE, PORTS, VALID_NAME

DAEMON = "Error response from daemon: "
HEADERS = {
    "ID": "CONTAINER ID",
    "Image": "IMAGE",
    "Command": "COMMAND",
    "CreatedAt": "CREATED AT",
    "RunningFor": "CREATED",
    "Ports": "PORTS",
    "Status": "STATUS",
    "Names": "NAMES",
    "Labels": "LABELS",
    "Mounts": "MOUNTS",
    "Networks": "NETWORKS",
    "State": "STATE",
    "Size": "SIZE",
}


def student_name(ctx: Context, container: dict[str, Any]) -> str:
    """The container's current name (kept in the engine name, which ``rename`` updates)."""
    name: str = (container.get("Names") or ["/"])[0].lstrip("/")
    return name.removeprefix(ctx.scope.prefix)


def recorded_ports(container_labels: dict[str, str] | None) -> list[PortMapping]:
    raw = (container_labels or {}).get(PORTS) or "[]"
    return [PortMapping.model_validate(item) for item in json.loads(raw)]


def _row(ctx: Context, c: dict[str, Any], no_trunc: bool) -> dict[str, Any]:
    found = c.get("Labels") or {}
    command = c.get("Command", "")
    return {
        "ID": c["Id"] if no_trunc else short_id(c["Id"]),
        "Image": found.get(IMAGE) or c.get("Image", ""),
        "Command": json.dumps(command) if no_trunc else quoted_command(command),
        "CreatedAt": datetime.fromtimestamp(c.get("Created", 0)).strftime(
            "%Y-%m-%d %H:%M:%S +0000 UTC"
        ),
        "RunningFor": ago(c.get("Created", time.time())),
        "Ports": ", ".join(
            port_text(p)
            for p in sorted(recorded_ports(found), key=lambda p: (p.container_port, p.protocol))
        ),
        "Status": c.get("Status", ""),
        "State": c.get("State", ""),
        "Names": student_name(ctx, c),
        "Labels": ",".join(f"{k}={v}" for k, v in visible_labels(found).items()),
        "Mounts": ",".join(hide_internal(ctx, m.get("Name", "")) for m in c.get("Mounts") or []),
        "Networks": ",".join(
            hide_internal(ctx, n) for n in ((c.get("NetworkSettings") or {}).get("Networks") or {})
        ),
        "Size": _size(c),
    }


def _size(c: dict[str, Any]) -> str:
    """``docker ps -s``: the writable layer, then the image's size under it."""
    return f"{human_size(c.get('SizeRw') or 0)} (virtual {human_size(c.get('SizeRootFs') or 0)})"


def _matches(
    ctx: Context, c: dict[str, Any], req: ContainerLsRequest, named: Callable[[str], bool]
) -> bool:
    if not named(student_name(ctx, c)):
        return False
    statuses = filter_values(req.filters, "status")
    if statuses and c.get("State") not in statuses:
        return False
    wanted_labels = filter_values(req.filters, "label")
    if wanted_labels and not match_labels(wanted_labels, visible_labels(c.get("Labels"))):
        return False
    ids = filter_values(req.filters, "id")
    if ids and not any(c["Id"].startswith(i) for i in ids):
        return False
    ancestors = filter_values(req.filters, "ancestor")
    image = (c.get("Labels") or {}).get(IMAGE, "")
    if ancestors and not any(image == a or image.split(":")[0] == a for a in ancestors):
        return False
    exited = filter_values(req.filters, "exited")
    return not exited or (c.get("State") == "exited" and f"Exited ({exited[0]})" in c["Status"])


async def ls(ctx: Context, req: ContainerLsRequest) -> Outcome:
    show_all = (
        req.all
        or req.last is not None
        or req.latest
        or bool(filter_values(req.filters, "status") or filter_values(req.filters, "exited"))
    )
    wants_size = req.size or bool(req.format and ".Size" in req.format)
    found = await ctx.scope.containers(ctx.engine, all=show_all, size=wants_size)
    found.sort(key=lambda c: c.get("Created", 0), reverse=True)
    named = name_matcher(req.filters)
    found = [c for c in found if _matches(ctx, c, req, named)]
    if req.latest:
        found = found[:1]
    elif req.last is not None and req.last >= 0:
        found = found[: req.last]
    rows = [_row(ctx, c, req.no_trunc) for c in found]
    if req.quiet:
        return Outcome(output="\n".join(r["ID"] for r in rows))
    if req.format:
        return Outcome(output=await render_format(ctx, req.format, rows, HEADERS))
    columns = ["ID", "Image", "Command", "RunningFor", "Status", "Ports", "Names"]
    if req.size:
        columns.append("Size")
    rows_out = [[r[c] for c in columns] for r in rows]
    return Outcome(output=table([HEADERS[c] for c in columns], rows_out))


async def logs(ctx: Context, req: LogsRequest) -> Outcome:
    target = await ctx.scope.container(ctx.engine, req.container)
    params: dict[str, str] = {"timestamps": "1" if req.timestamps else "0"}
    if req.tail is not None:
        params["tail"] = str(req.tail) if req.tail >= 0 else "all"
    for key, value in (("since", req.since), ("until", req.until)):
        if value:
            params[key] = value
    data, truncated = await read_logs(ctx, target["Id"], **params)
    outcome = Outcome(output=text_of(data), truncated=truncated)
    if truncated:
        outcome.notes.append(ctx.note("note.truncated", kb=ctx.settings.sandbox_output_kb))
    if req.follow:
        outcome.notes.append(ctx.note("note.follow"))
    return outcome


def _action(ctx: Context, verb: str, **params: str) -> Callable[[str], Awaitable[None]]:
    async def act(ref: str) -> None:
        target = await ctx.scope.container(ctx.engine, ref)
        async with asyncio.timeout(ctx.settings.sandbox_timeout_s + 15):
            await call(ctx, f"containers/{target['Id']}/{verb}", "POST", params=params or None)

    return act


def grace_period(ctx: Context, asked: int | None) -> tuple[int, str | None]:
    """The ``-t`` of ``stop``/``restart`` the engine gets, and a note when it differs.

    Docker reads a negative time as "wait as long as it takes", which would hold a slot of the
    shared queue until the engine call gives up; the sandbox waits at most ``sandbox_stop_s``
    (its run time limit when shorter), then the engine kills, as docker does when the time is up."""
    limit = max(0, min(ctx.settings.sandbox_stop_s, int(ctx.settings.sandbox_timeout_s)))
    if asked is None:
        return limit, None
    if asked < 0:
        return limit, ctx.note("note.stop_unbounded", asked=asked, limit=limit)
    if asked > limit:
        return limit, ctx.note("note.stop_capped", asked=asked, limit=limit)
    return asked, None


async def _stop_or_restart(ctx: Context, verb: str, req: StopRequest | RestartRequest) -> Outcome:
    seconds, note = grace_period(ctx, req.time)
    outcome = await each(req.containers, _action(ctx, verb, t=str(seconds)), parallel=True)
    if note:
        outcome.notes.append(note)
    return outcome


async def stop(ctx: Context, req: StopRequest) -> Outcome:
    return await _stop_or_restart(ctx, "stop", req)


async def restart(ctx: Context, req: RestartRequest) -> Outcome:
    return await _stop_or_restart(ctx, "restart", req)


async def kill(ctx: Context, req: KillRequest) -> Outcome:
    params = {"signal": req.signal} if req.signal else {}
    act = _action(ctx, "kill", **params)

    async def one(ref: str) -> None:
        try:
            await act(ref)
        except DaemonError as exc:  # the daemon's kill names the container first
            if "No such container" in exc.text:
                detail = exc.text.removeprefix(DAEMON)
                raise DaemonError(f"{DAEMON}Cannot kill container: {ref}: {detail}") from None
            raise

    return await each(req.containers, one)


async def pause(ctx: Context, req: PauseRequest) -> Outcome:
    return await each(req.containers, _action(ctx, "pause"))


async def unpause(ctx: Context, req: UnpauseRequest) -> Outcome:
    return await each(req.containers, _action(ctx, "unpause"))


def engine_seconds(stamp: str | None) -> str | None:
    """An RFC 3339 time with nanoseconds (``2026-12-02T05:01:02.123456789Z``) as the logs API's
    ``since`` (``1764651662.123456789``); None when the engine gave none (or its zero time, for a
    container that never ran)."""
    if not stamp or not stamp.endswith("Z") or "." not in stamp or stamp.startswith("0001-"):
        return None
    whole, fraction = stamp[:-1].split(".", 1)
    try:
        seconds = int(datetime.fromisoformat(whole).replace(tzinfo=UTC).timestamp())
    except ValueError:
        return None
    return f"{seconds}.{fraction[:9].ljust(9, '0')}"


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two ``seconds.nanoseconds`` stamps (fixed width after the dot)."""
    if a is None or b is None:
        return a or b

    def key(stamp: str) -> tuple[int, ...]:
        return tuple(int(part) for part in stamp.split("."))

    return a if key(a) >= key(b) else b


async def _after_last_line(ctx: Context, container_id: str) -> str | None:
    """Just after the previous run's last log line: under load the engine may stamp a line
    after the process's ``FinishedAt``, which alone would print it again."""
    data, _ = await read_logs(ctx, container_id, tail="1", timestamps="1")
    stamp = engine_seconds(text_of(data).split(" ", 1)[0].strip())
    if stamp is None:
        return None
    seconds, nanos = (int(part) for part in stamp.split("."))
    nanos += 1
    return f"{seconds + nanos // 10**9}.{nanos % 10**9:09d}"


async def start(ctx: Context, req: StartRequest) -> Outcome:
    if req.attach and len(req.containers) == 1:
        target = await ctx.scope.container(ctx.engine, req.containers[0])
        # The end of the previous run, not this start: a fast command may log before the
        # engine records StartedAt.
        before = await call(ctx, f"containers/{target['Id']}/json")
        since = _later(
            engine_seconds((before.get("State") or {}).get("FinishedAt")),
            await _after_last_line(ctx, target["Id"]),
        )
        await _action(ctx, "start")(target["Id"])
        return await foreground(ctx, target["Id"], remove=False, since=since)
    failed: list[str] = []

    async def one(ref: str) -> None:
        try:
            await _action(ctx, "start")(ref)
        except DaemonError:
            failed.append(ref)
            raise

    outcome = await each(req.containers, one)
    if failed:  # docker sums up after the daemon's errors
        outcome.output += "\nError: failed to start containers: " + ", ".join(failed)
    return outcome


async def wait(ctx: Context, req: WaitRequest) -> Outcome:
    async def one(ref: str) -> int:
        target = await ctx.scope.container(ctx.engine, ref)
        try:
            async with asyncio.timeout(ctx.settings.sandbox_timeout_s):
                result = await ctx.engine.post(f"containers/{target['Id']}/wait")
        except TimeoutError:
            raise DaemonError(ctx.note("wait_timeout", name=ref)) from None
        return int(result.get("StatusCode", 0))

    return await each(req.containers, one)


async def rename(ctx: Context, req: RenameRequest) -> Outcome:
    try:
        target = await ctx.scope.container(ctx.engine, req.container)
    except DaemonError as exc:
        summary = f"Error: failed to rename container named {req.container}"
        raise DaemonError(f"{exc.text}\n{summary}") from None
    new = req.new_name.lstrip("/")
    if not VALID_NAME.match(new):
        raise DaemonError(
            f"Error response from daemon: Invalid container name ({new}), only "
            "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed."
        )
    for other in await ctx.scope.containers(ctx.engine):
        if student_name(ctx, other) == new:
            raise DaemonError(
                f'Error response from daemon: Conflict. The container name "/{new}" is already '
                f'in use by container "{other["Id"]}". You have to remove (or rename) that '
                "container to be able to reuse that name."
            )
    await call(
        ctx, f"containers/{target['Id']}/rename", "POST", params={"name": ctx.scope.internal(new)}
    )
    await _realias(ctx, target, student_name(ctx, target), new)
    return Outcome()


async def _realias(ctx: Context, target: dict[str, Any], old: str, new: str) -> None:
    """Move the DNS alias to the new name, so other containers find it as they would in docker."""
    details = await call(ctx, f"containers/{target['Id']}/json")
    for network, endpoint in (details.get("NetworkSettings") or {}).get("Networks", {}).items():
        if network in ("none", ctx.scope.internal(DEFAULT_NETWORK)):
            continue  # the default network holds no alias to move, as docker's bridge
        aliases = [a for a in endpoint.get("Aliases") or [] if a not in (old, target["Id"][:12])]
        internal = (
            ctx.scope.internal(network) if not network.startswith(ctx.scope.prefix) else network
        )
        with contextlib.suppress(DaemonError):
            await call(
                ctx,
                f"networks/{internal}/disconnect",
                "POST",
                data={"Container": target["Id"], "Force": True},
            )
            await call(
                ctx,
                f"networks/{internal}/connect",
                "POST",
                data={"Container": target["Id"], "EndpointConfig": {"Aliases": [new, *aliases]}},
            )


async def rm(ctx: Context, req: RmRequest) -> Outcome:
    params = {"force": "1" if req.force else "0", "v": "1" if req.volumes else "0"}
    failed: list[str] = []

    async def remove(ref: str) -> None:
        try:
            target = await ctx.scope.container(ctx.engine, ref)
            async with asyncio.timeout(30):
                await call(ctx, f"containers/{target['Id']}", "DELETE", params=params)
        except DaemonError as exc:
            if not (req.force and "No such container" in exc.text):
                failed.append(ref)
            raise

    outcome = await each(req.containers, remove)
    if not failed:  # ``rm -f`` of a missing container says so and still succeeds, as docker
        outcome.exit_code = 0
    return outcome


def clean_container(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Inspect output with student names, without host paths and the sandbox's own labels."""
    found = (data.get("Config") or {}).get("Labels") or {}
    if IMAGE in found:
        data["Config"]["Image"] = found[IMAGE]
    data = student_json(ctx, data)
    if data.get("Config"):
        data["Config"]["Labels"] = visible_labels(data["Config"].get("Labels"))
    _as_on_docker_bridge(data, recorded_ports(found))
    return data


_BRIDGE_FIELDS = ("EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "MacAddress")


def _as_on_docker_bridge(data: dict[str, Any], ports: list[PortMapping]) -> None:
    """Docker fills ``NetworkSettings.IPAddress`` (and the gateway, MAC …) for a container on
    its default ``bridge``; the student's ``bridge`` is a network of the sandbox, so the engine
    leaves them empty: copy them up, and show the recorded ``-p`` mappings as docker would."""
    settings = data.get("NetworkSettings")
    if not isinstance(settings, dict):
        return
    bridge = (settings.get("Networks") or {}).get("bridge")
    if isinstance(bridge, dict):
        for key in _BRIDGE_FIELDS:
            if not settings.get(key) and bridge.get(key):
                settings[key] = bridge[key]
    if ports and data.get("State", {}).get("Running"):
        shown: dict[str, list[dict[str, str]]] = {}
        for p in ports:
            shown.setdefault(f"{p.container_port}/{p.protocol}", []).append(
                {"HostIp": p.host_ip or "0.0.0.0", "HostPort": str(p.host_port or "")}
            )
        settings["Ports"] = shown
    host = data.get("HostConfig")
    if ports and isinstance(host, dict):
        bindings: dict[str, list[dict[str, str]]] = {}
        for p in ports:
            bindings.setdefault(f"{p.container_port}/{p.protocol}", []).append(
                {"HostIp": p.host_ip or "", "HostPort": str(p.host_port or "")}
            )
        host["PortBindings"] = bindings


async def inspect_one(ctx: Context, ref: str) -> dict[str, Any]:
    target = await ctx.scope.container(ctx.engine, ref)
    return clean_container(ctx, await call(ctx, f"containers/{target['Id']}/json"))


async def inspect(ctx: Context, req: ContainerInspectRequest) -> Outcome:
    return await show_objects(ctx, req.containers, inspect_one, req.format)


async def prune_containers(ctx: Context) -> list[str]:
    removed = []
    for c in await ctx.scope.containers(ctx.engine):
        if c.get("State") in ("exited", "created", "dead"):
            try:
                await call(ctx, f"containers/{c['Id']}", "DELETE", params={"v": "1"})
            except DaemonError:
                continue
            removed.append(c["Id"])
    return removed


async def prune(ctx: Context, req: ContainerPruneRequest) -> Outcome:
    if not req.force:
        return pruning.unconfirmed(ctx, pruning.CONTAINERS, req.raw or "docker container prune")
    removed = await prune_containers(ctx)
    return Outcome(output=pruning.reclaimed([("Deleted Containers", removed)]))
