"""Networks: every student network is an internal bridge, invisible to other students.

Every one is created as ``network_body`` says: ``Internal`` (no route out) and, on the bridge,
``inhibit_ipv4`` so the host holds no address there and nothing on the host answers a student's
container (docs/sandbox.md, "Networks"); its subnet comes from the ``SubnetAllocator``.

``docker network ls`` shows the student's networks plus ``bridge``, ``host`` and ``none``.
``bridge`` is the student's own default network (``m-u42-bridge``, created on demand) where
``docker run`` lands without ``--network``; like docker's default bridge it gives containers no
name (no alias, ``--alias`` refused), so the course's "only by IP" lesson holds there too.
``host`` is listed but refused by the policy; ``none`` is the engine's and safe to use.
"""

from __future__ import annotations

import json
import logging
from typing import Any

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
from moussaillon.sandbox.output import DaemonError, short_id, table
from moussaillon.sandbox.requests import (
    NetworkConnectRequest,
    NetworkCreateRequest,
    NetworkDisconnectRequest,
    NetworkInspectRequest,
    NetworkLsRequest,
    NetworkPruneRequest,
    NetworkRmRequest,
)
from moussaillon.sandbox.scope import KIND, VALID_NAME
from moussaillon.sandbox.subnets import SubnetAllocator

log = logging.getLogger(__name__)

DEFAULT = "bridge"
PREDEFINED = ("bridge", "host", "none")
BRIDGE_OPTIONS = {"com.docker.network.bridge.inhibit_ipv4": "true"}
# docker's own words when an alias is asked on its default bridge, which resolves no names
ALIAS_ON_DEFAULT = "network-scoped alias is supported only for containers in user defined networks"
HEADERS = {
    "ID": "NETWORK ID",
    "Name": "NAME",
    "Driver": "DRIVER",
    "Scope": "SCOPE",
    "Internal": "INTERNAL",
    "Labels": "LABELS",
    "CreatedAt": "CREATED",
    "IPv6": "IPV6",
}


def network_body(name: str, network_labels: dict[str, str]) -> dict[str, Any]:
    """``POST /networks/create`` for a student network, IPAM aside; the start-up guard
    (``netguard``) probes a network made from exactly this."""
    return {
        "Name": name,
        "Driver": "bridge",
        "Internal": True,
        "CheckDuplicate": True,
        "Attachable": False,
        "Labels": network_labels,
        "Options": dict(BRIDGE_OPTIONS),
    }


async def _create(ctx: Context, name: str, **extra: str) -> dict[str, Any]:
    body = network_body(ctx.scope.internal(name), ctx.scope.labels(name, **extra))
    allocator = ctx.subnets or SubnetAllocator.from_settings(ctx.settings)
    return await allocator.create(
        ctx.engine, body, lambda data: call(ctx, "networks/create", "POST", data=data)
    )


async def ensure_default_network(ctx: Context) -> str:
    internal = ctx.scope.internal(DEFAULT)
    async with ctx.lock("network", DEFAULT):
        found = [n for n in await ctx.scope.networks(ctx.engine) if n["Name"] == internal]
        if not found:
            await _create(ctx, DEFAULT, **{KIND: "default"})
            found = [n for n in await ctx.scope.networks(ctx.engine) if n["Name"] == internal]
        if len(found) > 1:
            await _drop_duplicates(ctx, found)
    return internal


async def _drop_duplicates(ctx: Context, found: list[dict[str, Any]]) -> None:
    """Another process created the same network meanwhile: keep the oldest, drop empty others."""
    found.sort(key=lambda n: (n.get("Created", ""), n["Id"]))
    for extra in found[1:]:
        try:
            await call(ctx, f"networks/{extra['Id']}", "DELETE")
        except DaemonError:
            log.warning("sandbox: duplicate network %s kept (in use)", extra["Name"])


async def network_target(ctx: Context, asked: str | None) -> tuple[str, str | None]:
    """(engine network for HostConfig, the student's network name or None for the default)."""
    if asked in (None, "", DEFAULT, "default"):
        return await ensure_default_network(ctx), None
    if asked == "none":
        return "none", "none"
    if asked == "host" or asked.startswith("container:"):
        raise DaemonError(f"docker: Error response from daemon: network {asked} not found.", 125)
    try:
        net = await ctx.scope.network(ctx.engine, asked)
    except DaemonError:
        raise DaemonError(
            f"docker: Error response from daemon: network {asked} not found.", 125
        ) from None
    return net["Name"], ctx.scope.student(net.get("Labels"), net["Name"])


async def _resolve(ctx: Context, ref: str) -> dict[str, Any]:
    if ref in (DEFAULT, "default"):
        await ensure_default_network(ctx)
    if ref == DEFAULT:
        ref = ctx.scope.internal(DEFAULT)
        for net in await ctx.scope.networks(ctx.engine):
            if net["Name"] == ref:
                return net
    return await ctx.scope.network(ctx.engine, ref)


async def create(ctx: Context, req: NetworkCreateRequest) -> Outcome:
    async with ctx.lock("networks"):
        return await _create_checked(ctx, req)


async def _create_checked(ctx: Context, req: NetworkCreateRequest) -> Outcome:
    name = req.name
    if name in PREDEFINED or name == "default":
        raise DaemonError(f"Error response from daemon: network with name {name} already exists")
    if not VALID_NAME.match(name):
        raise DaemonError(f"Error response from daemon: invalid network name {name!r}")
    mine = [
        n for n in await ctx.scope.networks(ctx.engine) if n["Name"] != ctx.scope.internal(DEFAULT)
    ]
    if any(ctx.scope.student(n.get("Labels"), n["Name"]) == name for n in mine):
        raise DaemonError(f"Error response from daemon: network with name {name} already exists")
    if len(mine) >= ctx.settings.sandbox_max_networks:
        raise QuotaExceeded(
            "sandbox.engine.quota.networks", limit=ctx.settings.sandbox_max_networks
        )
    created = await _create(ctx, name, **req.labels)
    outcome = Outcome(output=created["Id"])
    if not req.internal:
        outcome.notes.append(ctx.note("note.internal_network"))
    return outcome


def _row(ctx: Context, net: dict[str, Any]) -> dict[str, Any]:
    name = ctx.scope.student(net.get("Labels"), net["Name"])
    return {
        "ID": net["Id"],
        "Name": name,
        "Driver": net.get("Driver", "bridge"),
        "Scope": net.get("Scope", "local"),
        "Internal": str(net.get("Internal", False)).lower(),
        "IPv6": str(net.get("EnableIPv6", False)).lower(),
        "Labels": ",".join(f"{k}={v}" for k, v in visible_labels(net.get("Labels")).items()),
        "CreatedAt": net.get("Created", ""),
    }


async def ls(ctx: Context, req: NetworkLsRequest) -> Outcome:
    await ensure_default_network(ctx)
    nets = await ctx.scope.networks(ctx.engine)
    engine = await call(ctx, "networks", params={"filters": json.dumps({"name": ["host", "none"]})})
    rows = [_row(ctx, n) for n in nets]
    rows += [_row(ctx, n) for n in engine if n["Name"] in ("host", "none")]
    for key in ("name", "id", "driver", "label"):
        wanted = filter_values(req.filters, key)
        if not wanted:
            continue
        if key == "label":
            rows = [
                r
                for r in rows
                if match_labels(
                    wanted,
                    dict(
                        item.split("=", 1) if "=" in item else (item, "")
                        for item in r["Labels"].split(",")
                        if item
                    ),
                )
            ]
        elif key == "driver":
            rows = [r for r in rows if any(w in r["Driver"] for w in wanted)]
        else:
            matches = name_matcher(req.filters, key)
            rows = [r for r in rows if matches(r["Name" if key == "name" else "ID"])]
    rows.sort(key=lambda r: r["Name"])
    if not req.no_trunc:
        rows = [{**r, "ID": short_id(r["ID"])} for r in rows]
    if req.quiet:
        return Outcome(output="\n".join(r["ID"] for r in rows))
    if req.format:
        return Outcome(output=await render_format(ctx, req.format, rows, HEADERS))
    return Outcome(
        output=table(
            ["NETWORK ID", "NAME", "DRIVER", "SCOPE"],
            [[r["ID"], r["Name"], r["Driver"], r["Scope"]] for r in rows],
        )
    )


def clean_network(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    data = student_json(ctx, data)
    data["Labels"] = visible_labels(data.get("Labels"))
    return data


async def inspect_one(ctx: Context, ref: str) -> dict[str, Any]:
    net = await _resolve(ctx, ref)
    data = await call(ctx, f"networks/{net['Id']}")
    return clean_network(ctx, data)


async def inspect(ctx: Context, req: NetworkInspectRequest) -> Outcome:
    return await show_objects(ctx, req.networks, inspect_one, req.format)


async def rm(ctx: Context, req: NetworkRmRequest) -> Outcome:
    async def remove(ref: str) -> None:
        if ref in PREDEFINED:
            raise DaemonError(
                f"Error response from daemon: {ref} is a pre-defined network and cannot be removed"
            )
        net = await ctx.scope.network(ctx.engine, ref)
        await call(ctx, f"networks/{net['Id']}", "DELETE")

    return await each(req.networks, remove)


async def connect(ctx: Context, req: NetworkConnectRequest) -> Outcome:
    net = await _resolve(ctx, req.network)
    target = await ctx.scope.container(ctx.engine, req.container)
    name = (target.get("Names") or ["/"])[0].lstrip("/").removeprefix(ctx.scope.prefix)
    endpoint: dict[str, Any] = {}
    if net["Name"] == ctx.scope.internal(DEFAULT):
        if req.aliases:
            raise DaemonError(f"Error response from daemon: {ALIAS_ON_DEFAULT}")
    else:
        endpoint["Aliases"] = [name, *req.aliases]
    if req.ip:
        endpoint["IPAMConfig"] = {"IPv4Address": req.ip}
    await call(
        ctx,
        f"networks/{net['Id']}/connect",
        "POST",
        data={"Container": target["Id"], "EndpointConfig": endpoint},
    )
    return Outcome()


async def disconnect(ctx: Context, req: NetworkDisconnectRequest) -> Outcome:
    net = await _resolve(ctx, req.network)
    target = await ctx.scope.container(ctx.engine, req.container)
    await call(
        ctx,
        f"networks/{net['Id']}/disconnect",
        "POST",
        data={"Container": target["Id"], "Force": req.force},
    )
    return Outcome()


async def prune_networks(ctx: Context) -> list[str]:
    removed = []
    for net in await ctx.scope.networks(ctx.engine):
        if net["Name"] == ctx.scope.internal(DEFAULT):
            continue
        detail = await call(ctx, f"networks/{net['Id']}")
        if detail.get("Containers"):
            continue
        try:
            await call(ctx, f"networks/{net['Id']}", "DELETE")
        except DaemonError:
            continue
        removed.append(ctx.scope.student(net.get("Labels"), net["Name"]))
    return removed


async def prune(ctx: Context, req: NetworkPruneRequest) -> Outcome:
    if not req.force:
        return pruning.unconfirmed(ctx, pruning.NETWORKS, req.raw or "docker network prune")
    removed = await prune_networks(ctx)
    return Outcome(output="Deleted Networks:\n" + "\n".join(removed) if removed else "")
