"""What the sandbox allows: pure checks on typed requests, no engine involved.

Every refusal names the exact flag, image or command and says what to do instead, because a
student on a phone learns more from "use a named volume: -v data:/x" than from "forbidden".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from moussaillon.config import Settings
from moussaillon.sandbox.build.context import normalize_dir
from moussaillon.sandbox.errors import SandboxRefused
from moussaillon.sandbox.messages import MESSAGES
from moussaillon.sandbox.parser.build import REFUSED_BUILD_FLAGS
from moussaillon.sandbox.requests import (
    BaseRequest,
    BuildRequest,
    CommitRequest,
    CpRequest,
    DockerRequest,
    ExecRequest,
    NetworkConnectRequest,
    NetworkCreateRequest,
    PullRequest,
    RenameRequest,
    RunRequest,
    TagRequest,
    TopRequest,
    UnavailableRequest,
    VolumeCreateRequest,
)
from moussaillon.sandbox.transfer_policy import check_commit, check_cp

NAME_RE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
VOLUME_NAME_RE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
MAX_NAME = 64
RESERVED_LABEL_PREFIX = "moussaillon."
BUILTIN_NETWORKS = frozenset({"bridge", "none", "default", "host"})
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REPOSITORY_RE = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG_RE = re.compile(r"[\w][\w.-]{0,127}")
_REGISTRIES = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")
_PS_ARGS_RE = re.compile(r"[A-Za-z0-9,=_%:+-]{1,64}")
MAX_BUILD_TAGS = 10
_URL_RE = re.compile(r"(?i)^https?://")
_GIT_RE = re.compile(r"(?i)^(git://|git@|github\.com/)")
_GIT_URL_RE = re.compile(r"(?i)\.git(#.+)?$")


def normalize_image(reference: str) -> tuple[str, str] | None:
    """``alpine``, ``alpine:latest`` and ``docker.io/library/alpine:latest`` → ``("alpine",
    "latest")``; None when it is not a plain, valid repository[:tag] (digests included)."""
    if "@" in reference:
        return None
    name, tag = reference, "latest"
    last = reference.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = reference[: -len(last)] + last.split(":", 1)[0], last.split(":", 1)[1]
    for registry in _REGISTRIES:
        if name.startswith(registry):
            name = name[len(registry) :]
            break
    if name.startswith("library/") and name.count("/") == 1:
        name = name[len("library/") :]
    if not _REPOSITORY_RE.fullmatch(name) or not _TAG_RE.fullmatch(tag):
        return None
    return name, tag


def command_name(verb: str) -> str:
    """The docker command a student would type for ``verb``, for messages."""
    group, _, action = verb.partition(".")
    if not action:
        return f"docker {group}"
    if group == "container":
        return "docker ps" if action == "ls" else f"docker {action}"
    if group == "image" and action in ("ls", "rm", "pull", "history", "tag"):
        return "docker " + {"ls": "images", "rm": "rmi"}.get(action, action)
    if group == "system" and action in ("version", "info"):
        return f"docker {action}"
    return f"docker {group} {action}"


def _refuse(key: str, **params: object) -> SandboxRefused:
    return SandboxRefused(f"sandbox.refused.{key}", **params)


def check_name(name: str, kind: str = "container") -> None:
    """Names the student gives to new objects follow docker's own rules."""
    pattern = VOLUME_NAME_RE if kind == "volume" else NAME_RE
    if len(name) > MAX_NAME or not pattern.fullmatch(name):
        raise _refuse("invalid_name", name=name[:MAX_NAME], kind=kind)


def _check_labels(labels: Mapping[str, str]) -> None:
    for key in labels:
        if key.startswith(RESERVED_LABEL_PREFIX):
            raise _refuse("reserved_label", label=key)


@dataclass(frozen=True)
class Policy:
    images: Mapping[tuple[str, str], str]  # normalised (repository, tag) → local reference
    names: tuple[str, ...]  # what students may type, for messages

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        images: dict[tuple[str, str], str] = {}
        names: list[str] = []
        for name, local in settings.sandbox_images.items():
            key = normalize_image(name)
            if key is None:
                continue
            images[key] = local
            names.append(name if key[1] == "latest" else f"{key[0]}:{key[1]}")
        return cls(images=images, names=tuple(sorted(names)))

    @property
    def allowed(self) -> str:
        return ", ".join(self.names)

    def resolve_image(self, image: str) -> str:
        """The local reference for an allowlisted image, or a refusal listing the allowed ones."""
        key = normalize_image(image)
        if key is not None and key in self.images:
            return self.images[key]
        tags = sorted(tag for repo, tag in self.images if key is not None and repo == key[0])
        if tags:
            raise _refuse("image_tag", image=image, tags=", ".join(tags), allowed=self.allowed)
        raise _refuse("image", image=image[:100], allowed=self.allowed)

    def check(self, request: DockerRequest) -> DockerRequest:
        """Return the request ready to run (images resolved) or raise ``SandboxRefused``."""
        if isinstance(request, UnavailableRequest):
            key = "command." + request.command.replace(" ", "_")
            if f"sandbox.refused.{key}" not in MESSAGES:
                key = "command.generic"
            raise _refuse(key, command=request.command)
        if isinstance(request, BuildRequest):
            return _check_build(request)
        _check_unsupported(request)
        if isinstance(request, RunRequest):
            return self._check_run(request)
        if isinstance(request, CpRequest):
            check_cp(request)
        elif isinstance(request, CommitRequest):
            check_commit(request)
        elif isinstance(request, ExecRequest):
            _check_exec(request)
        elif isinstance(request, PullRequest):
            if request.platform is not None:
                raise _refuse("unsupported_flag", flag="--platform", command="docker pull")
            if request.all_tags:
                raise _refuse("pull_all_tags", image=request.image)
            return request.model_copy(update={"image_ref": self.resolve_image(request.image)})
        elif isinstance(request, TagRequest):
            if normalize_image(request.target) is None:
                raise _refuse("invalid_reference", reference=request.target[:100])
            return request.model_copy(update={"source_ref": self.resolve_image(request.source)})
        elif isinstance(request, RenameRequest):
            check_name(request.new_name)
        elif isinstance(request, VolumeCreateRequest):
            _check_volume_create(request)
        elif isinstance(request, NetworkCreateRequest):
            _check_network_create(request)
        elif isinstance(request, NetworkConnectRequest):
            _check_network(request.network)
            for alias in request.aliases:
                check_name(alias, "alias")
        elif isinstance(request, TopRequest):
            bad = next((arg for arg in request.ps_args if not _PS_ARGS_RE.fullmatch(arg)), None)
            if bad is not None:
                raise _refuse("top_args", arg=bad[:40])
        return request

    def _check_run(self, request: RunRequest) -> RunRequest:
        if request.privileged:
            raise _refuse("privileged")
        if request.cap_add:
            raise _refuse("cap_add", caps=", ".join(request.cap_add)[:100])
        if request.devices:
            raise _refuse("device", device=request.devices[0][:100])
        namespaces = (
            ("--pid", request.pid),
            ("--ipc", request.ipc),
            ("--uts", request.uts),
            ("--userns", request.userns),
            ("--cgroupns", request.cgroupns),
        )
        for flag_name, value in namespaces:
            if value is not None:
                raise _refuse("namespace", flag=flag_name, value=value[:40])
        if request.security_opt:
            raise _refuse("security_opt", value=request.security_opt[0][:100])
        if request.runtime is not None:
            raise _refuse("runtime", runtime=request.runtime[:40])
        if request.sysctls:
            raise _refuse("sysctl", sysctl=next(iter(request.sysctls))[:100])
        if request.volumes_from:
            raise _refuse("volumes_from", container=request.volumes_from[0][:64])
        if request.env_file:
            raise _refuse("env_file", path=request.env_file[0][:100])
        if request.restart is not None and request.restart.name in ("always", "unless-stopped"):
            raise _refuse("restart", policy=request.restart.name)
        if request.pull == "always":
            raise _refuse("pull_always")
        for mount in request.mounts:
            if mount.type == "bind":
                source = mount.source or ""
                key = "docker_socket" if "docker.sock" in source else "bind"
                raise _refuse(key, source=source[:100], target=mount.target[:100])
            if mount.type == "volume" and mount.source is not None:
                check_name(mount.source, "volume")
        if request.network is not None:
            _check_network(request.network)
        if request.name is not None:
            check_name(request.name)
        for alias in request.network_aliases:
            check_name(alias, "alias")
        _check_labels(request.labels)
        return request.model_copy(update={"image_ref": self.resolve_image(request.image)})


def _check_unsupported(request: BaseRequest) -> None:
    if request.unsupported:
        verb = str(type(request).model_fields["verb"].default)
        raise _refuse("unsupported_flag", flag=request.unsupported[0], command=command_name(verb))


def _check_build(request: BuildRequest) -> BuildRequest:
    """The build's flags and context; the Dockerfile itself is checked when it is read."""
    for typed in request.unsupported:
        group = next((g for g, names in REFUSED_BUILD_FLAGS.items() if typed in names), None)
        if group is not None:
            raise SandboxRefused(f"sandbox.build.policy.{group}", flag=typed)
    _check_unsupported(request)
    for path in (request.context, request.file):
        if path == "-":
            raise SandboxRefused("sandbox.build.policy.stdin")
    context = request.context
    if _GIT_RE.match(context) or (_URL_RE.match(context) and _GIT_URL_RE.search(context)):
        raise SandboxRefused("sandbox.build.policy.git", context=context[:100])
    if _URL_RE.match(context) or "://" in context:
        raise SandboxRefused("sandbox.build.policy.url", context=context[:100])
    normalize_dir(context)
    if request.file is not None:
        normalize_dir(request.file)
    if len(request.tags) > MAX_BUILD_TAGS:
        raise SandboxRefused("sandbox.build.policy.too_many_tags", limit=MAX_BUILD_TAGS)
    _check_labels(request.labels)
    return request


def _check_exec(request: ExecRequest) -> None:
    if request.privileged:
        raise _refuse("privileged")
    if request.env_file:
        raise _refuse("env_file", path=request.env_file[0][:100])


def _check_network(network: str) -> None:
    if network == "host":
        raise _refuse("network_host")
    if network.startswith("container:"):
        raise _refuse("network_container", container=network.partition(":")[2][:64])
    if network not in BUILTIN_NETWORKS:
        check_name(network, "network")


def _check_volume_create(request: VolumeCreateRequest) -> None:
    if request.driver not in (None, "local"):
        raise _refuse("volume_driver", driver=request.driver[:40])
    if request.options:
        raise _refuse("volume_options", option=next(iter(request.options))[:40])
    _check_labels(request.labels)
    if request.name is not None:
        check_name(request.name, "volume")


def _check_network_create(request: NetworkCreateRequest) -> None:
    if request.driver not in (None, "bridge"):
        raise _refuse("network_driver", driver=request.driver[:40])
    if request.options:
        raise _refuse("network_options", option=next(iter(request.options))[:40])
    if request.subnet or request.gateway or request.ip_range:
        raise _refuse("network_ipam")
    if request.name in BUILTIN_NETWORKS:
        raise _refuse("network_builtin", name=request.name)
    _check_labels(request.labels)
    check_name(request.name, "network")
