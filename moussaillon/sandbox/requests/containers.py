"""Container commands: run/create, ls, logs, lifecycle, exec, cp, commit."""

from __future__ import annotations

from typing import Literal

from moussaillon.sandbox.requests.base import (
    BaseRequest,
    EnvVar,
    Filter,
    Healthcheck,
    Mount,
    PortMapping,
    RestartPolicy,
)


class RunRequest(BaseRequest):
    verb: Literal["container.run"] = "container.run"
    image: str
    image_ref: str | None = None  # the local reference, set by the policy from the allowlist
    command: list[str] = []
    entrypoint: list[str] | None = None  # [] resets the image's entrypoint (``--entrypoint ""``)
    name: str | None = None
    detach: bool = False
    remove: bool = False
    env: list[EnvVar] = []
    publish: list[PortMapping] = []
    publish_all: bool = False
    expose: list[str] = []
    mounts: list[Mount] = []
    network: str | None = None
    network_aliases: list[str] = []
    workdir: str | None = None
    hostname: str | None = None
    user: str | None = None
    labels: dict[str, str] = {}
    restart: RestartPolicy | None = None
    init: bool = False
    read_only: bool = False
    pull: Literal["always", "missing", "never"] | None = None
    stop_signal: str | None = None
    healthcheck: Healthcheck | None = None
    memory: int | None = None  # -m/--memory in bytes; the sandbox's ceiling when above it
    cpus: float | None = None  # --cpus; the sandbox's ceiling when above it
    # refused by the policy, kept so the refusal can name them
    privileged: bool = False
    cap_add: list[str] = []
    cap_drop: list[str] = []
    devices: list[str] = []
    pid: str | None = None
    ipc: str | None = None
    uts: str | None = None
    userns: str | None = None
    cgroupns: str | None = None
    security_opt: list[str] = []
    runtime: str | None = None
    sysctls: dict[str, str] = {}
    volumes_from: list[str] = []
    interactive: bool = False
    tty: bool = False
    env_file: list[str] = []
    stdin_once: bool = False  # the API's ``run -i`` in the foreground: stdin ends with the attach


class CreateRequest(RunRequest):
    """``docker create``: ``run``'s options, the container made but not started."""

    verb: Literal["container.create"] = "container.create"  # type: ignore[assignment]  # a narrower verb of the same options


class DiffRequest(BaseRequest):
    verb: Literal["container.diff"] = "container.diff"
    container: str


class ContainerLsRequest(BaseRequest):
    verb: Literal["container.ls"] = "container.ls"
    all: bool = False
    quiet: bool = False
    last: int | None = None
    latest: bool = False
    filters: list[Filter] = []
    format: str | None = None
    no_trunc: bool = False
    size: bool = False


class LogsRequest(BaseRequest):
    verb: Literal["container.logs"] = "container.logs"
    container: str
    tail: int | None = None  # None: all lines
    timestamps: bool = False
    follow: bool = False  # not an error: the executor prints the logs and says it cannot follow
    since: str | None = None
    until: str | None = None
    details: bool = False


class StopRequest(BaseRequest):
    verb: Literal["container.stop"] = "container.stop"
    containers: list[str]
    time: int | None = None
    signal: str | None = None


class StartRequest(BaseRequest):
    verb: Literal["container.start"] = "container.start"
    containers: list[str]
    attach: bool = False
    interactive: bool = False


class RestartRequest(BaseRequest):
    verb: Literal["container.restart"] = "container.restart"
    containers: list[str]
    time: int | None = None
    signal: str | None = None


class KillRequest(BaseRequest):
    verb: Literal["container.kill"] = "container.kill"
    containers: list[str]
    signal: str | None = None


class RmRequest(BaseRequest):
    verb: Literal["container.rm"] = "container.rm"
    containers: list[str]
    force: bool = False
    volumes: bool = False


class ContainerInspectRequest(BaseRequest):
    verb: Literal["container.inspect"] = "container.inspect"
    containers: list[str]
    format: str | None = None
    size: bool = False


class ExecRequest(BaseRequest):
    verb: Literal["container.exec"] = "container.exec"
    container: str
    command: list[str]
    env: list[EnvVar] = []
    workdir: str | None = None
    user: str | None = None
    detach: bool = False
    interactive: bool = False
    tty: bool = False
    privileged: bool = False
    env_file: list[str] = []


class AttachRequest(BaseRequest):
    verb: Literal["container.attach"] = "container.attach"
    container: str
    no_stdin: bool = False


class StatsRequest(BaseRequest):
    verb: Literal["container.stats"] = "container.stats"
    containers: list[str] = []
    all: bool = False
    no_stream: bool = False  # without it docker streams; the executor shows one snapshot anyway
    format: str | None = None
    no_trunc: bool = False


class TopRequest(BaseRequest):
    verb: Literal["container.top"] = "container.top"
    container: str
    ps_args: list[str] = []


class PortRequest(BaseRequest):
    verb: Literal["container.port"] = "container.port"
    container: str
    port: int | None = None
    protocol: Literal["tcp", "udp", "sctp"] | None = None


class RenameRequest(BaseRequest):
    verb: Literal["container.rename"] = "container.rename"
    container: str
    new_name: str


class PauseRequest(BaseRequest):
    verb: Literal["container.pause"] = "container.pause"
    containers: list[str]


class UnpauseRequest(BaseRequest):
    verb: Literal["container.unpause"] = "container.unpause"
    containers: list[str]


class WaitRequest(BaseRequest):
    verb: Literal["container.wait"] = "container.wait"
    containers: list[str]


class ContainerPruneRequest(BaseRequest):
    verb: Literal["container.prune"] = "container.prune"
    force: bool = False
    filters: list[Filter] = []


class CpRequest(BaseRequest):
    """``docker cp``: one side is a container path, the other a path of the workspace."""

    verb: Literal["container.cp"] = "container.cp"
    source: str  # as typed
    destination: str
    container: str | None = None  # None: neither side names a container
    container_path: str = ""
    local_path: str = ""  # the workspace side, as typed ("." for the root)
    to_container: bool = False
    both_containers: bool = False
    archive: bool = False
    follow_link: bool = False
    quiet: bool = False


class CommitRequest(BaseRequest):
    """``docker commit``: a container's file system as a new image of the student's."""

    verb: Literal["container.commit"] = "container.commit"
    container: str
    repository: str | None = None  # None: an untagged image, like docker
    message: str | None = None
    author: str | None = None
    changes: list[str] = []
    pause: bool = True
