"""Typed docker requests: what the parser produces, the policy checks and the executor runs.

One model per command, discriminated by a canonical ``verb`` so that ``docker ps``,
``docker container ls`` and ``docker container list`` all become the same ``ContainerLsRequest``.
Flags the sandbox refuses are kept as data (``privileged``, ``cap_add`` …) so the policy can
name the exact flag in its refusal instead of the parser failing with a vague error.
Models are frozen: the policy returns an updated copy (``model_copy``), never mutates.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from moussaillon.sandbox.requests.base import (
    BaseRequest,
    EnvVar,
    Filter,
    Healthcheck,
    Mount,
    PortMapping,
    RestartPolicy,
)
from moussaillon.sandbox.requests.compose import (
    ComposeRequest,
    ComposeVerb,
)
from moussaillon.sandbox.requests.containers import (
    AttachRequest,
    CommitRequest,
    ContainerInspectRequest,
    ContainerLsRequest,
    ContainerPruneRequest,
    CpRequest,
    CreateRequest,
    DiffRequest,
    ExecRequest,
    KillRequest,
    LogsRequest,
    PauseRequest,
    PortRequest,
    RenameRequest,
    RestartRequest,
    RmRequest,
    RunRequest,
    StartRequest,
    StatsRequest,
    StopRequest,
    TopRequest,
    UnpauseRequest,
    WaitRequest,
)
from moussaillon.sandbox.requests.images import (
    BuildRequest,
    HistoryRequest,
    ImageInspectRequest,
    ImageLsRequest,
    ImagePruneRequest,
    ImageRmRequest,
    PullRequest,
    TagRequest,
)
from moussaillon.sandbox.requests.networks import (
    NetworkConnectRequest,
    NetworkCreateRequest,
    NetworkDisconnectRequest,
    NetworkInspectRequest,
    NetworkLsRequest,
    NetworkPruneRequest,
    NetworkRmRequest,
)
from moussaillon.sandbox.requests.system import (
    HelpRequest,
    InfoRequest,
    InspectRequest,
    SystemDfRequest,
    SystemPruneRequest,
    VersionRequest,
)
from moussaillon.sandbox.requests.volumes import (
    VolumeCreateRequest,
    VolumeInspectRequest,
    VolumeLsRequest,
    VolumePruneRequest,
    VolumeRmRequest,
)


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


__all__ = [
    "REQUEST_TYPES",
    "VERBS",
    "AttachRequest",
    "BaseRequest",
    "BuildRequest",
    "CommitRequest",
    "ComposeRequest",
    "ComposeVerb",
    "ContainerInspectRequest",
    "ContainerLsRequest",
    "ContainerPruneRequest",
    "CpRequest",
    "CreateRequest",
    "DiffRequest",
    "DockerRequest",
    "EnvVar",
    "ExecRequest",
    "Filter",
    "Healthcheck",
    "HelpRequest",
    "HistoryRequest",
    "ImageInspectRequest",
    "ImageLsRequest",
    "ImagePruneRequest",
    "ImageRmRequest",
    "InfoRequest",
    "InspectRequest",
    "KillRequest",
    "LogsRequest",
    "Mount",
    "NetworkConnectRequest",
    "NetworkCreateRequest",
    "NetworkDisconnectRequest",
    "NetworkInspectRequest",
    "NetworkLsRequest",
    "NetworkPruneRequest",
    "NetworkRmRequest",
    "PauseRequest",
    "PortMapping",
    "PortRequest",
    "PullRequest",
    "RenameRequest",
    "RestartPolicy",
    "RestartRequest",
    "RmRequest",
    "RunRequest",
    "StartRequest",
    "StatsRequest",
    "StopRequest",
    "SystemDfRequest",
    "SystemPruneRequest",
    "TagRequest",
    "TopRequest",
    "UnavailableRequest",
    "UnpauseRequest",
    "VersionRequest",
    "VolumeCreateRequest",
    "VolumeInspectRequest",
    "VolumeLsRequest",
    "VolumePruneRequest",
    "VolumeRmRequest",
    "WaitRequest",
]
