"""Network commands."""

from __future__ import annotations

from typing import Literal

from moussaillon.sandbox.requests.base import BaseRequest, Filter


class NetworkCreateRequest(BaseRequest):
    verb: Literal["network.create"] = "network.create"
    name: str
    driver: str | None = None
    labels: dict[str, str] = {}
    internal: bool = False
    attachable: bool = False
    ipv6: bool = False
    subnet: list[str] = []
    gateway: list[str] = []
    ip_range: list[str] = []
    options: dict[str, str] = {}


class NetworkLsRequest(BaseRequest):
    verb: Literal["network.ls"] = "network.ls"
    quiet: bool = False
    filters: list[Filter] = []
    format: str | None = None
    no_trunc: bool = False


class NetworkInspectRequest(BaseRequest):
    verb: Literal["network.inspect"] = "network.inspect"
    networks: list[str]
    format: str | None = None
    verbose: bool = False


class NetworkRmRequest(BaseRequest):
    verb: Literal["network.rm"] = "network.rm"
    networks: list[str]
    force: bool = False


class NetworkConnectRequest(BaseRequest):
    verb: Literal["network.connect"] = "network.connect"
    network: str
    container: str
    aliases: list[str] = []
    ip: str | None = None
    ip6: str | None = None


class NetworkDisconnectRequest(BaseRequest):
    verb: Literal["network.disconnect"] = "network.disconnect"
    network: str
    container: str
    force: bool = False


class NetworkPruneRequest(BaseRequest):
    verb: Literal["network.prune"] = "network.prune"
    force: bool = False
    filters: list[Filter] = []
