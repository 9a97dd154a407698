"""The check language: small declarative tables written in lab files, evaluated on a state.

A check is data (``{ container = "web", running = true }``), validated strictly so a typo in a lab
file is reported by ``course check`` instead of silently passing. The kind of a check is the one
"kind key" it holds (``container``, ``network_exists`` …); extra keys are refused. ``evaluate`` is
pure: it reads a ``SandboxState`` and says what is still missing, in the student's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    field_validator,
)

from moussaillon.core.i18n import t
from moussaillon.labs.state import ContainerState, PublishedPort, SandboxState, image_key

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
PORT_SPEC = re.compile(
    r"^(?:(?P<ip>\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(?P<host>\d{1,5}):)?(?P<container>\d{1,5})"
    r"(?:/(?P<proto>tcp|udp|sctp))?$"
)
MOUNT_SPEC = re.compile(r"^(?P<name>[a-zA-Z0-9][a-zA-Z0-9_.-]*)(?::(?P<target>/[^:]*))?$")


class _Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NetworkExists(_Check):
    network_exists: Name


class VolumeExists(_Check):
    volume_exists: Name


class NetworkAbsent(_Check):
    network_absent: Name


class VolumeAbsent(_Check):
    volume_absent: Name


class ContainerAbsent(_Check):
    container_absent: Name


class ContainerCheck(_Check):
    """A container with this name exists, and every attribute given matches."""

    container: Name
    running: bool | None = None
    image: Annotated[str, Field(min_length=1)] | None = None
    network: Name | None = None
    published: str | None = Field(default=None, description='"8080:80", "80", "80/udp" …')
    mount: str | None = Field(default=None, description='"data" or "data:/var/lib/mysql"')

    @field_validator("published")
    @classmethod
    def _port_shape(cls, value: str | None) -> str | None:
        if value is not None and not PORT_SPEC.match(value):
            raise ValueError("must look like 8080:80, 80 or 127.0.0.1:8080:80[/tcp|udp]")
        return value

    @field_validator("mount")
    @classmethod
    def _mount_shape(cls, value: str | None) -> str | None:
        if value is not None and not MOUNT_SPEC.match(value):
            raise ValueError("must be a volume name, optionally followed by :/path")
        return value


class VolumeSurvives(_Check):
    """The volume outlived its container: removed, or removed and recreated with the volume."""

    volume: Name
    survives_removal_of: Name


class ContainersCount(_Check):
    containers_count: Annotated[int, Field(ge=0)]
    all: bool = False
    image: Annotated[str, Field(min_length=1)] | None = None


class ContainersAtLeast(_Check):
    containers_at_least: Annotated[int, Field(ge=1)]
    all: bool = True
    image: Annotated[str, Field(min_length=1)] | None = None


class ImagePresent(_Check):
    image_present: Annotated[str, Field(min_length=1)]


class ImageAbsent(_Check):
    image_absent: Annotated[str, Field(min_length=1)]


class LastOutputContains(_Check):
    last_output_contains: Annotated[str, Field(min_length=1)]
    ignore_case: bool = False


class LastOutputLacks(_Check):
    """Mostly inside ``all_of``: alone, an empty output would pass it."""

    last_output_lacks: Annotated[str, Field(min_length=1)]


class AnyOf(_Check):
    any_of: Annotated[list[Check], Field(min_length=1)]


class AllOf(_Check):
    all_of: Annotated[list[Check], Field(min_length=1)]


KINDS: dict[str, type[_Check]] = {
    "any_of": AnyOf,
    "all_of": AllOf,
    "network_exists": NetworkExists,
    "volume_exists": VolumeExists,
    "network_absent": NetworkAbsent,
    "volume_absent": VolumeAbsent,
    "container_absent": ContainerAbsent,
    "containers_count": ContainersCount,
    "containers_at_least": ContainersAtLeast,
    "image_present": ImagePresent,
    "image_absent": ImageAbsent,
    "last_output_contains": LastOutputContains,
    "last_output_lacks": LastOutputLacks,
    "volume": VolumeSurvives,
    "container": ContainerCheck,
}
_TAG_OF = {model: kind for kind, model in KINDS.items()}


def _kind_keys(value: dict[str, Any]) -> list[str]:
    return [key for key in KINDS if key in value]


def kind_of(value: Any) -> str | None:
    if isinstance(value, _Check):
        return _TAG_OF.get(type(value))
    if isinstance(value, dict):
        keys = _kind_keys(value)
        return keys[0] if len(keys) == 1 else None
    return None


def _one_kind(value: Any) -> Any:
    """Name the problem precisely before the union gets a chance to say "no tag found"."""
    if isinstance(value, dict):
        keys = _kind_keys(value)
        if not keys:
            known = ", ".join(KINDS)
            found = ", ".join(value) or "nothing"
            raise ValueError(f"unknown check: got {found}; a check holds one of {known}")
        if len(keys) > 1:
            raise ValueError(f"a check holds exactly one kind key, got {', '.join(keys)}")
    elif not isinstance(value, _Check):
        raise ValueError('a check is an inline table such as { network_exists = "lamp" }')
    return value


Check = Annotated[
    Annotated[AnyOf, Tag("any_of")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[NetworkExists, Tag("network_exists")]
    | Annotated[VolumeExists, Tag("volume_exists")]
    | Annotated[NetworkAbsent, Tag("network_absent")]
    | Annotated[VolumeAbsent, Tag("volume_absent")]
    | Annotated[ContainerAbsent, Tag("container_absent")]
    | Annotated[ContainersCount, Tag("containers_count")]
    | Annotated[ContainersAtLeast, Tag("containers_at_least")]
    | Annotated[ImagePresent, Tag("image_present")]
    | Annotated[ImageAbsent, Tag("image_absent")]
    | Annotated[LastOutputContains, Tag("last_output_contains")]
    | Annotated[LastOutputLacks, Tag("last_output_lacks")]
    | Annotated[VolumeSurvives, Tag("volume")]
    | Annotated[ContainerCheck, Tag("container")],
    Discriminator(kind_of),
    BeforeValidator(_one_kind),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()
CHECK_ADAPTER: TypeAdapter[Check] = TypeAdapter(Check)


def parse_check(raw: Any) -> Check:
    """Validate one check (raises ``pydantic.ValidationError``)."""
    return CHECK_ADAPTER.validate_python(raw)


class Finding(BaseModel):
    """One verified fact, kept as key + params so any client can render it in any language."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    key: str
    params: dict[str, str | int] = Field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


class CheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    missing: list[str] = Field(default_factory=list, description="what to do, user's language")
    details: list[Finding] = Field(default_factory=list)


def evaluate(check: Check, state: SandboxState, lang: str | None = None) -> CheckResult:
    findings = _findings(check, state, lang)
    failed = [finding for finding in findings if not finding.ok]
    return CheckResult(
        ok=not failed, missing=[finding.text(lang) for finding in failed], details=findings
    )


def _ok(key: str, **params: str | int) -> Finding:
    return Finding(ok=True, key=f"labs.check.{key}", params=params)


def _ko(key: str, **params: str | int) -> Finding:
    return Finding(ok=False, key=f"labs.check.{key}", params=params)


def _verdict(good: bool, kind: str, bad: str, **params: str | int) -> Finding:
    return (_ok if good else _ko)(f"{kind}.{'ok' if good else bad}", **params)


def _findings(check: Check, state: SandboxState, lang: str | None) -> list[Finding]:
    match check:
        case AllOf():
            return [found for child in check.all_of for found in _findings(child, state, lang)]
        case AnyOf():
            return _any_of(check, state, lang)
        case NetworkExists(network_exists=name):
            return [_verdict(name in state.networks, "network_exists", "missing", name=name)]
        case VolumeExists(volume_exists=name):
            return [_verdict(name in state.volumes, "volume_exists", "missing", name=name)]
        case NetworkAbsent(network_absent=name):
            return [_verdict(name not in state.networks, "network_absent", "present", name=name)]
        case VolumeAbsent(volume_absent=name):
            return [_verdict(name not in state.volumes, "volume_absent", "present", name=name)]
        case ContainerAbsent(container_absent=name):
            gone = state.container(name) is None
            return [_verdict(gone, "container_absent", "present", name=name)]
        case ContainerCheck():
            return _container(check, state)
        case VolumeSurvives():
            return _survives(check, state)
        case ContainersCount() | ContainersAtLeast():
            return _count(check, state, lang)
        case ImagePresent(image_present=image):
            return [_verdict(state.has_image(image), "image_present", "missing", image=image)]
        case ImageAbsent(image_absent=image):
            return [_verdict(not state.has_image(image), "image_absent", "present", image=image)]
        case LastOutputContains():
            return [_output(check, state)]
        case LastOutputLacks(last_output_lacks=text):
            return [_verdict(text not in state.last_output, "output_lacks", "present", text=text)]
    raise TypeError(f"not a check: {check!r}")


def _any_of(check: AnyOf, state: SandboxState, lang: str | None) -> list[Finding]:
    alternatives = [_findings(child, state, lang) for child in check.any_of]
    for found in alternatives:
        if all(finding.ok for finding in found):
            return found
    described = [
        ", ".join(finding.text(lang) for finding in found if not finding.ok)
        for found in alternatives
    ]
    separator = t("labs.check.any_of.separator", lang)
    return [_ko("any_of.none", options=separator.join(described))]


def port_text(port: PublishedPort) -> str:
    host = f"{port.host_port}:" if port.host_port is not None else ""
    ip = f"{port.host_ip}:" if port.host_ip and port.host_ip not in ("0.0.0.0", "::") else ""
    return f"{ip}{host}{port.container_port}/{port.protocol}"


def _publishes(container: ContainerState, spec: str) -> bool:
    match = PORT_SPEC.match(spec)
    if match is None:
        return False
    wanted_host = int(match["host"]) if match["host"] else None
    wanted_ip = match["ip"]
    for port in container.published:
        if port.container_port != int(match["container"]):
            continue
        if port.protocol != (match["proto"] or "tcp"):
            continue
        if wanted_host is not None and port.host_port != wanted_host:
            continue
        if wanted_ip and (port.host_ip or "0.0.0.0") != wanted_ip:
            continue
        return True
    return False


def _mounts(container: ContainerState, spec: str) -> bool:
    match = MOUNT_SPEC.match(spec)
    if match is None:
        return False
    return any(
        mount.name == match["name"]
        and (match["target"] is None or mount.target.rstrip("/") == match["target"].rstrip("/"))
        for mount in container.mounts
    )


def _container(check: ContainerCheck, state: SandboxState) -> list[Finding]:
    name = check.container
    container = state.container(name)
    if container is None:
        return [_ko("container.missing", name=name)]
    found: list[Finding] = []
    if check.running is True and not container.running:
        found.append(_ko("container.not_running", name=name, state=container.state))
    if check.running is False and container.running:
        found.append(_ko("container.still_running", name=name))
    if check.image is not None and image_key(container.image) != image_key(check.image):
        found.append(
            _ko("container.image", name=name, actual=container.image, expected=check.image)
        )
    if check.network is not None and check.network not in container.networks:
        actual = ", ".join(container.networks) or "-"
        found.append(_ko("container.network", name=name, network=check.network, actual=actual))
    if check.published is not None and not _publishes(container, check.published):
        actual = ", ".join(port_text(port) for port in container.published) or "-"
        found.append(_ko("container.published", name=name, port=check.published, actual=actual))
    if check.mount is not None and not _mounts(container, check.mount):
        found.append(_ko("container.mount", name=name, mount=check.mount))
    return found or [_ok("container.ok", name=name)]


def _survives(check: VolumeSurvives, state: SandboxState) -> list[Finding]:
    volume, name = check.volume, check.survives_removal_of
    if volume not in state.volumes:
        return [_ko("volume_exists.missing", name=volume)]
    container = state.container(name)
    if container is None:
        return [_ok("survives.ok", volume=volume, container=name)]
    if name not in state.removed_containers:
        return [_ko("survives.not_removed", volume=volume, container=name)]
    if not _mounts(container, volume):
        return [_ko("survives.recreated_without", volume=volume, container=name)]
    return [_ok("survives.ok", volume=volume, container=name)]


def _matching(containers: Sequence[ContainerState], every: bool, image: str | None) -> int:
    return sum(
        1
        for c in containers
        if (every or c.running) and (image is None or image_key(c.image) == image_key(image))
    )


def _count(
    check: ContainersCount | ContainersAtLeast, state: SandboxState, lang: str | None
) -> list[Finding]:
    scope: Literal["all", "running"] = "all" if check.all else "running"
    what = t(f"labs.check.count.{scope}", lang)
    if check.image:
        what += t("labs.check.count.image", lang, image=check.image)
    actual = _matching(state.containers, check.all, check.image)
    if isinstance(check, ContainersCount):
        expected, kind, good = check.containers_count, "count", actual == check.containers_count
    else:
        expected, kind = check.containers_at_least, "at_least"
        good = actual >= check.containers_at_least
    return [_verdict(good, kind, "wrong", what=what, actual=actual, expected=expected)]


def _output(check: LastOutputContains, state: SandboxState) -> Finding:
    wanted, output = check.last_output_contains, state.last_output
    if check.ignore_case:
        there = wanted.casefold() in output.casefold()
    else:
        there = wanted in output
    if there:
        return _ok("output.ok", text=wanted)
    return _ko("output.missing" if output.strip() else "output.empty", text=wanted)
