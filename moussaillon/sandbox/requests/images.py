"""Image commands: ls, inspect, pull, history, tag, prune, rm, build."""

from __future__ import annotations

from typing import Literal

from moussaillon.sandbox.requests.base import BaseRequest, Filter


class ImageLsRequest(BaseRequest):
    verb: Literal["image.ls"] = "image.ls"
    repository: str | None = None  # ``docker images alpine``
    all: bool = False
    quiet: bool = False
    digests: bool = False
    filters: list[Filter] = []
    format: str | None = None
    no_trunc: bool = False


class ImageInspectRequest(BaseRequest):
    verb: Literal["image.inspect"] = "image.inspect"
    images: list[str]
    format: str | None = None


class PullRequest(BaseRequest):
    verb: Literal["image.pull"] = "image.pull"
    image: str
    image_ref: str | None = None  # set by the policy from the allowlist
    all_tags: bool = False
    quiet: bool = False
    platform: str | None = None


class HistoryRequest(BaseRequest):
    verb: Literal["image.history"] = "image.history"
    image: str
    human: bool = True
    quiet: bool = False
    no_trunc: bool = False
    format: str | None = None


class TagRequest(BaseRequest):
    verb: Literal["image.tag"] = "image.tag"
    source: str
    source_ref: str | None = None  # set by the policy from the allowlist
    target: str


class ImagePruneRequest(BaseRequest):
    verb: Literal["image.prune"] = "image.prune"
    all: bool = False
    force: bool = False


class ImageRmRequest(BaseRequest):
    verb: Literal["image.rm"] = "image.rm"
    images: list[str]
    force: bool = False
    no_prune: bool = False


class BuildRequest(BaseRequest):
    """``docker build`` / ``docker image build``: the context is a folder of the workspace."""

    verb: Literal["image.build"] = "image.build"
    context: str = "."  # as typed: ".", "app", or a URL / git ref / "-" the policy refuses
    tags: list[str] = []
    file: str | None = None  # -f, relative to the workspace root
    build_args: dict[str, str] = {}
    target: str | None = None
    no_cache: bool = False
    pull: bool = False  # accepted; offline, the executor says it changes nothing
    labels: dict[str, str] = {}
    quiet: bool = False
