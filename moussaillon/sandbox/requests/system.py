"""System commands, the generic inspect, and help."""

from __future__ import annotations

from typing import Literal

from moussaillon.sandbox.requests.base import BaseRequest, Filter


class VersionRequest(BaseRequest):
    verb: Literal["system.version"] = "system.version"
    format: str | None = None


class InfoRequest(BaseRequest):
    verb: Literal["system.info"] = "system.info"
    format: str | None = None


class SystemDfRequest(BaseRequest):
    verb: Literal["system.df"] = "system.df"
    format: str | None = None


class SystemPruneRequest(BaseRequest):
    verb: Literal["system.prune"] = "system.prune"
    all: bool = False
    force: bool = False
    volumes: bool = False
    filters: list[Filter] = []


class InspectRequest(BaseRequest):
    """Plain ``docker inspect X…``: the executor looks each name up among the student's objects."""

    verb: Literal["inspect"] = "inspect"
    targets: list[str]
    type: Literal["container", "image", "volume", "network"] | None = None
    format: str | None = None
    size: bool = False


class HelpRequest(BaseRequest):
    verb: Literal["help"] = "help"
    topic: str | None = None  # a canonical verb ("container.run"), a group ("image") or None
