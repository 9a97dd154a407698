"""Volume commands."""

from __future__ import annotations

from typing import Literal

from moussaillon.sandbox.requests.base import BaseRequest, Filter


class VolumeCreateRequest(BaseRequest):
    verb: Literal["volume.create"] = "volume.create"
    name: str | None = None
    driver: str | None = None
    labels: dict[str, str] = {}
    options: dict[str, str] = {}


class VolumeLsRequest(BaseRequest):
    verb: Literal["volume.ls"] = "volume.ls"
    quiet: bool = False
    filters: list[Filter] = []
    format: str | None = None


class VolumeInspectRequest(BaseRequest):
    verb: Literal["volume.inspect"] = "volume.inspect"
    volumes: list[str]
    format: str | None = None


class VolumeRmRequest(BaseRequest):
    verb: Literal["volume.rm"] = "volume.rm"
    volumes: list[str]
    force: bool = False


class VolumePruneRequest(BaseRequest):
    verb: Literal["volume.prune"] = "volume.prune"
    all: bool = False
    force: bool = False
    filters: list[Filter] = []
