"""Evaluating checks: pure functions from a check and a ``SandboxState`` to what is missing.

The language itself (the tables lab files hold) is in ``check_models.py``; it is re-exported
here, so ``from moussaillon.labs.checks import Check, parse_check, evaluate`` keeps working.
``evaluate`` reads only the state and says what is still missing, in the student's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from moussaillon.core.i18n import t
from moussaillon.labs.check_models import (
    EXPOSE_SPEC,
    KINDS,
    MOUNT_SPEC,
    PORT_SPEC,
    AllOf,
    AnyOf,
    BuiltImage,
    Check,
    ContainerAbsent,
    ContainerCheck,
    ContainersAtLeast,
    ContainersCount,
    FileCheck,
    ImageAbsent,
    ImagePresent,
    LastOutputContains,
    LastOutputLacks,
    NetworkAbsent,
    NetworkExists,
    SizeOrder,
    VolumeAbsent,
    VolumeExists,
    VolumeSurvives,
    parse_check,
    required_files,
)
from moussaillon.labs.state import (
    ContainerState,
    ImageState,
    PublishedPort,
    SandboxState,
    image_key,
)
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.policy import command_name

__all__ = ["KINDS", "Check", "CheckResult", "Finding", "evaluate", "parse_check", "required_files"]


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
            return _output(check, state)
        case FileCheck():
            return [_file(check, state)]
        case LastOutputLacks(last_output_lacks=text):
            return [_verdict(text not in state.last_output, "output_lacks", "present", text=text)]
        case BuiltImage():
            return _built(check, state)
        case SizeOrder():
            return _size_order(check, state)
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
        and (match["mode"] is None or mount.read_only == (match["mode"] == "ro"))
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


def _printed_by(line: str) -> tuple[str, str | None]:
    """The command name (``docker ps``) and, for a run, the image of a command line."""
    try:
        request = parse(line)
    except SandboxError:
        return "", None
    return command_name(request.verb), getattr(request, "image", None)


def _output(check: LastOutputContains, state: SandboxState) -> list[Finding]:
    wanted, output = check.last_output_contains, state.last_output
    found: list[Finding] = []
    if check.command is not None:
        name, image = _printed_by(state.last_command)
        right = name in check.command
        if check.image is not None:
            right = right and image is not None and image_key(image) == image_key(check.image)
        if not right:
            expected = " / ".join(check.command) + (f" … {check.image}" if check.image else "")
            found.append(_ko("output.wrong_command", text=wanted, command=expected))
    if check.ignore_case:
        there = wanted.casefold() in output.casefold()
    else:
        there = wanted in output
    if not there:
        found.append(_ko("output.missing" if output.strip() else "output.empty", text=wanted))
    return found or [_ok("output.ok", text=wanted)]


def _file(check: FileCheck, state: SandboxState) -> Finding:
    name, path = check.of, check.file
    if state.container(name) is None:
        return _ko("container.missing", name=name)
    content = state.file(name, path)
    if not check.exists:
        return _verdict(content is None, "file_absent", "present", name=name, path=path)
    if content is None:
        return _ko("file.missing", name=name, path=path)
    if check.contains is not None and check.contains not in content:
        return _ko("file.lacks", name=name, path=path, text=check.contains)
    return _ok("file.ok", name=name, path=path)


MB = 1_000_000  # docker images shows sizes in decimal megabytes


def megabytes(size: int) -> str:
    """``docker images`` style: 312, 74.5, 0.85 (megabytes)."""
    if size >= MB / 10:
        return f"{size / MB:.1f}".removesuffix(".0")
    return f"{size / MB:.2f}"


def _exposes(image: ImageState, spec: str) -> bool:
    match = EXPOSE_SPEC.match(spec)
    if match is None:
        return False
    return f"{int(match['port'])}/{match['proto'] or 'tcp'}" in image.exposed


def _built(check: BuiltImage, state: SandboxState) -> list[Finding]:
    name = check.built_image
    image = state.own_image(name)
    if image is None:
        return [_ko("built.missing", image=name)]
    wants_build = check.stages is not None or check.base is not None
    if wants_build and not image.built_here:
        return [_ko("built.not_built_here", image=name)]
    found: list[Finding] = []
    if check.stages is not None and image.stages != check.stages:
        found.append(
            _ko("built.stages", image=name, expected=check.stages, actual=image.stages or 0)
        )
    if check.base is not None and not any(
        image_key(base) == image_key(check.base) for base in image.bases
    ):
        actual = ", ".join(image.bases) or "scratch"
        found.append(_ko("built.base", image=name, base=check.base, actual=actual))
    if check.non_root is not None and check.non_root == image.runs_as_root:
        key = "built.root" if check.non_root else "built.not_root"
        found.append(_ko(key, image=name, user=image.user or "root"))
    if check.healthcheck is not None and check.healthcheck != image.healthcheck:
        key = "built.no_healthcheck" if check.healthcheck else "built.healthcheck"
        found.append(_ko(key, image=name))
    if check.exposes is not None and not _exposes(image, check.exposes):
        actual = ", ".join(image.exposed) or "-"
        found.append(_ko("built.exposes", image=name, port=check.exposes, actual=actual))
    if check.max_size_mb is not None and image.size > check.max_size_mb * MB:
        found.append(
            _ko(
                "built.size",
                image=name,
                size=megabytes(image.size),
                bound=f"{check.max_size_mb:g}",
            )
        )
    if check.max_layers is not None and image.layers > check.max_layers:
        found.append(_ko("built.layers", image=name, layers=image.layers, bound=check.max_layers))
    return found or [_ok("built.ok", image=name)]


def _size_order(check: SizeOrder, state: SandboxState) -> list[Finding]:
    images: list[ImageState] = []
    for name in check.size_order:
        image = state.own_image(name)
        if image is None:
            return [_ko("built.missing", image=name)]
        images.append(image)
    found = [
        _ko(
            "size_order.not_smaller",
            small=small_name,
            small_size=megabytes(small.size),
            large=large_name,
            large_size=megabytes(large.size),
        )
        for (small_name, small), (large_name, large) in zip(
            zip(check.size_order, images, strict=True),
            zip(check.size_order[1:], images[1:], strict=True),
            strict=False,
        )
        if small.size >= large.size
    ]
    if found:
        return found
    sizes = " < ".join(
        f"{name} ({megabytes(image.size)})"
        for name, image in zip(check.size_order, images, strict=True)
    )
    return [_ok("size_order.ok", sizes=sizes)]
