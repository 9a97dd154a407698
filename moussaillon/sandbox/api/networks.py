"""Networks: the student's own (``bridge`` being theirs), plus the engine's ``host`` and ``none``.

A ``POST /networks/create`` body becomes the ``NetworkCreateRequest`` ``docker network create``
parses to, so the chat's policy refuses drivers, options and addresses, and the chat's executor
makes the internal bridge with a subnet of the sandbox's. Engine fields the chat has no flag
for (an IPAM driver, ingress, config-only…) are refused as the options they stand for.
"""

from __future__ import annotations

import json
from typing import Any

from moussaillon.sandbox.api import filters
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import networks as network_ops
from moussaillon.sandbox.executor.common import Context, call, student_json
from moussaillon.sandbox.requests import (
    NetworkConnectRequest,
    NetworkCreateRequest,
    NetworkDisconnectRequest,
)

ENGINE_OWN = ("host", "none")


ASKED_INTERNAL = "moussaillon.internal_asked"  # what the endpoint's client asked: "1" or "0"


def shown(net: dict[str, Any], engine_labels: dict[str, str] | None) -> dict[str, Any]:
    """The network as its client asked for it: without the bridge options the sandbox forces,
    and ``Internal`` as asked when it was made through the endpoint. Compose compares both with
    its file on every ``up`` and would otherwise refuse to go on ("needs to be recreated");
    every student network stays internal whatever this says (the chat's note at create)."""
    options = {
        k: v for k, v in (net.get("Options") or {}).items() if k not in network_ops.BRIDGE_OPTIONS
    }
    asked = (engine_labels or {}).get(ASKED_INTERNAL)
    internal = net.get("Internal") if asked is None else asked == "1"
    return {**net, "Options": options, "Internal": internal}


def create_request(body: dict[str, Any]) -> NetworkCreateRequest:
    name = body.get("Name")
    if not isinstance(name, str) or not name:
        raise ApiError(400, "network name is required")
    ipam = body.get("IPAM") or {}
    pools = [p for p in ipam.get("Config") or [] if isinstance(p, dict)]
    unsupported = [
        flag
        for flag, given in (
            ("--ipam-driver", ipam.get("Driver") not in (None, "", "default")),
            ("--ipam-opt", bool(ipam.get("Options"))),
            ("--aux-address", any(p.get("AuxiliaryAddresses") for p in pools)),
            ("--ingress", bool(body.get("Ingress"))),
            ("--config-only", bool(body.get("ConfigOnly"))),
            ("--config-from", bool((body.get("ConfigFrom") or {}).get("Network"))),
            ("--scope", body.get("Scope") not in (None, "", "local")),
        )
        if given
    ]
    return NetworkCreateRequest(
        raw=f"api network create {name[:100]}",
        unsupported=unsupported,
        name=name,
        driver=body.get("Driver") or None,
        labels=dict(body.get("Labels") or {}),
        internal=bool(body.get("Internal")),
        attachable=bool(body.get("Attachable")),
        ipv6=bool(body.get("EnableIPv6")),
        subnet=[str(p["Subnet"]) for p in pools if p.get("Subnet")],
        gateway=[str(p["Gateway"]) for p in pools if p.get("Gateway")],
        ip_range=[str(p["IPRange"]) for p in pools if p.get("IPRange")],
        options=dict(body.get("Options") or {}),
    )


def connect_request(ref: str, body: dict[str, Any]) -> NetworkConnectRequest:
    endpoint = body.get("EndpointConfig") or {}
    addresses = endpoint.get("IPAMConfig") or {}
    unsupported = ["--link"] if endpoint.get("Links") else []
    unsupported += ["--link-local-ip"] if addresses.get("LinkLocalIPs") else []
    return NetworkConnectRequest(
        raw=f"api network connect {ref[:100]}",
        unsupported=unsupported,
        network=ref,
        container=str(body.get("Container") or ""),
        aliases=[str(a) for a in endpoint.get("Aliases") or []],
        ip=addresses.get("IPv4Address") or None,
        ip6=addresses.get("IPv6Address") or None,
    )


class NetworksApi(ApiBase):
    async def networks(self, user_id: int, raw_filters: str | None) -> list[dict[str, Any]]:
        """As the engine lists them, inspect-shaped; ``bridge`` is made on demand, as the
        chat's ``network ls`` does."""

        async def work(ctx: Context) -> list[dict[str, Any]]:
            match = filters.networks(filters.parse(raw_filters, filters.NETWORKS, ctx.lang))
            await network_ops.ensure_default_network(ctx)
            listed = [
                shown(network_ops.clean_network(ctx, n), n.get("Labels"))
                for n in await ctx.scope.networks(ctx.engine)
            ]
            query = {"filters": json.dumps({"name": list(ENGINE_OWN)})}
            engine = await call(ctx, "networks", params=query)
            listed += [student_json(ctx, n) for n in engine if n.get("Name") in ENGINE_OWN]
            return sorted((n for n in listed if match(n)), key=lambda n: str(n.get("Name")))

        return await self._pipeline(user_id, "network ls", work)

    async def network(self, user_id: int, ref: str) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            if ref in ENGINE_OWN:  # listed, so inspectable; who else is on them is not shown
                engine_net: dict[str, Any] = student_json(ctx, await call(ctx, f"networks/{ref}"))
                return {**engine_net, "Containers": {}}
            data = await network_ops.inspect_one(ctx, ref)
            mine = [n for n in await ctx.scope.networks(ctx.engine) if n["Id"] == data["Id"]]
            return shown(data, mine[0].get("Labels") if mine else None)

        return await self._pipeline(user_id, "network inspect", work)

    async def create_network(self, user_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """The chat's notes (a student network is always internal) are the engine's
        ``Warning``; the label recording ``Internal`` as asked is added after the policy,
        which refuses ``moussaillon.*`` labels from students."""

        async def work(ctx: Context) -> dict[str, Any]:
            request = await self.service._check(ctx, create_request(body))
            asked = {ASKED_INTERNAL: "1" if request.internal else "0"}
            request = request.model_copy(update={"labels": {**request.labels, **asked}})
            outcome = await network_ops.create(ctx, request)
            return {"Id": outcome.output, "Warning": " ".join(outcome.notes)}

        return await self._pipeline(user_id, "network create", work)

    async def remove_network(self, user_id: int, ref: str) -> None:
        async def work(ctx: Context) -> None:
            if ref in network_ops.PREDEFINED:
                raise ApiError(403, f"{ref} is a pre-defined network and cannot be removed")
            net = await ctx.scope.network(ctx.engine, ref)
            await call(ctx, f"networks/{net['Id']}", "DELETE")

        await self._pipeline(user_id, "network rm", work)

    async def connect(self, user_id: int, ref: str, body: dict[str, Any]) -> None:
        """The chat's connect: the container's own name is always one of its aliases on a
        network of the student's, and the default ``bridge`` takes none (docker's rule)."""

        async def work(ctx: Context) -> None:
            request = await self.service._check(ctx, connect_request(ref, body))
            await network_ops.connect(ctx, request)

        await self._pipeline(user_id, "network connect", work)

    async def disconnect(self, user_id: int, ref: str, body: dict[str, Any]) -> None:
        async def work(ctx: Context) -> None:
            request = NetworkDisconnectRequest(
                raw=f"api network disconnect {ref[:100]}",
                network=ref,
                container=str(body.get("Container") or ""),
                force=bool(body.get("Force")),
            )
            await network_ops.disconnect(ctx, await self.service._check(ctx, request))

        await self._pipeline(user_id, "network disconnect", work)

    async def prune_networks(self, user_id: int, raw_filters: str | None) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            filters.parse(raw_filters, filters.PRUNE, ctx.lang)
            return {"NetworksDeleted": await network_ops.prune_networks(ctx)}

        return await self._pipeline(user_id, "network prune", work)
