"""Typed docker requests: what the parser produces, the policy checks and the executor runs.

One model per command, discriminated by a canonical ``verb`` so that ``docker ps``,
``docker container ls`` and ``docker container list`` all become the same ``ContainerLsRequest``.
Flags the sandbox refuses are kept as data (``privileged``, ``cap_add`` …) so the policy can
name the exact flag in its refusal instead of the parser failing with a vague error.
Models are frozen: the policy returns an updated copy (``model_copy``), never mutates.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EnvVar(_Model):
    key: str
    value: str | None = None  # None: ``-e FOO`` passes the (empty, in the sandbox) outer value


class PortMapping(_Model):
    host_ip: str | None = None
    host_port: int | None = None  # None: the engine picks an ephemeral port
    container_port: int
    protocol: Literal["tcp", "udp", "sctp"] = "tcp"


class Mount(_Model):
    type: Literal["volume", "bind", "tmpfs"]
    source: str | None = None  # None: an anonymous volume (or a tmpfs)
    target: str
    read_only: bool = False


class RestartPolicy(_Model):
    name: Literal["no", "always", "unless-stopped", "on-failure"] = "no"
    max_retries: int = 0


class Healthcheck(_Model):
    """``--health-*`` of ``docker run``, as the engine's ``Healthcheck`` wants it (durations in
    nanoseconds); an empty ``test`` keeps the image's own command, ``["NONE"]`` turns it off."""

    test: list[str] = []
    interval: int | None = None
    timeout: int | None = None
    start_period: int | None = None
    retries: int | None = None


class Filter(_Model):
    key: str
    value: str


class BaseRequest(_Model):
    raw: str = ""  # the original command line, as typed
    unsupported: list[str] = []  # recognised flags the sandbox does not support, as typed


# --- containers -------------------------------------------------------------------------------


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


# --- images -----------------------------------------------------------------------------------


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


# --- volumes ----------------------------------------------------------------------------------


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


# --- networks ---------------------------------------------------------------------------------


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


# --- system and the rest ----------------------------------------------------------------------


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


# --- compose ----------------------------------------------------------------------------------

ComposeVerb = Literal[
    "compose.up",
    "compose.ps",
    "compose.logs",
    "compose.down",
    "compose.stop",
    "compose.start",
    "compose.restart",
    "compose.config",
    "compose.exec",
    "compose.run",
    "compose.version",
    "compose.build",
    "compose.images",
    "compose.top",
]


class ComposeRequest(BaseRequest):
    """``docker compose [-f F] [-p P] [--profile X] SUB …``: one model for every subcommand.

    The executor loads the project from the workspace and turns it into the same typed
    requests (``RunRequest`` …) the parser would make, so the policy sees every object.
    """

    verb: ComposeVerb = "compose.up"
    file: str | None = None
    project: str | None = None
    profiles: list[str] = []
    services: list[str] = []  # up/ps/logs/stop/start/restart/build/images/top; exec/run: one
    command: list[str] = []  # exec/run
    detach: bool = False
    build: bool = False
    all: bool = False
    follow: bool = False
    tail: int | None = None
    volumes: bool = False  # down -v
    remove: bool = False  # run --rm
    short: bool = False  # version --short
    legacy: bool = False  # typed as ``docker-compose``


class UnavailableRequest(BaseRequest):
    """A real docker command the sandbox does not offer (build, cp, attach …).

    The policy always refuses it with the reason; the executor never receives one.
    """

    verb: Literal["unavailable"] = "unavailable"
    command: str  # canonical docker command, e.g. "build", "container cp", "compose"
    args: list[str] = []


DockerRequest = Annotated[
    RunRequest
    | CreateRequest
    | DiffRequest
    | ContainerLsRequest
    | LogsRequest
    | StopRequest
    | StartRequest
    | RestartRequest
    | KillRequest
    | RmRequest
    | ContainerInspectRequest
    | ExecRequest
    | AttachRequest
    | StatsRequest
    | TopRequest
    | PortRequest
    | RenameRequest
    | PauseRequest
    | UnpauseRequest
    | WaitRequest
    | ContainerPruneRequest
    | CpRequest
    | CommitRequest
    | ImageLsRequest
    | ImageInspectRequest
    | PullRequest
    | HistoryRequest
    | TagRequest
    | ImageRmRequest
    | BuildRequest
    | ImagePruneRequest
    | VolumeCreateRequest
    | VolumeLsRequest
    | VolumeInspectRequest
    | VolumeRmRequest
    | VolumePruneRequest
    | NetworkCreateRequest
    | NetworkLsRequest
    | NetworkInspectRequest
    | NetworkRmRequest
    | NetworkConnectRequest
    | NetworkDisconnectRequest
    | NetworkPruneRequest
    | VersionRequest
    | InfoRequest
    | SystemDfRequest
    | SystemPruneRequest
    | InspectRequest
    | HelpRequest
    | ComposeRequest
    | UnavailableRequest,
    Field(discriminator="verb"),
]

REQUEST_TYPES: tuple[type[BaseRequest], ...] = get_args(get_args(DockerRequest)[0])
VERBS: tuple[str, ...] = tuple(
    verb
    for model in REQUEST_TYPES
    for verb in get_args(model.model_fields["verb"].annotation)  # compose has several
)
