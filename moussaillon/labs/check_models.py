"""The check language: small declarative tables written in lab files, validated strictly.

A check is data (``{ container = "web", running = true }``), validated strictly so a typo in a lab
file is reported by ``course check`` instead of silently passing. The kind of a check is the one
"kind key" it holds (``container``, ``network_exists`` …); extra keys are refused. ``checks.py``
evaluates them on a ``SandboxState``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)

from moussaillon.sandbox.parser import GROUPS, TOP_LEVEL
from moussaillon.sandbox.policy import command_name

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
PORT_SPEC = re.compile(
    r"^(?:(?P<ip>\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(?P<host>\d{1,5}):)?(?P<container>\d{1,5})"
    r"(?:/(?P<proto>tcp|udp|sctp))?$"
)
MOUNT_SPEC = re.compile(
    r"^(?P<name>[a-zA-Z0-9][a-zA-Z0-9_.-]*)(?::(?P<target>/[^:]*))?(?::(?P<mode>ro|rw))?$"
)
EXPOSE_SPEC = re.compile(r"^(?P<port>\d{1,5})(?:/(?P<proto>tcp|udp|sctp))?$")
ImageRef = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        pattern=r"^[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$",
    ),
]
Path = Annotated[str, Field(min_length=2, max_length=1024, pattern=r"^/[^\x00]*$")]
Text = Annotated[str, Field(min_length=1, max_length=200)]


def _docker_commands() -> frozenset[str]:
    """The command names a student can type, as the sandbox names them: docker ps, docker run…"""
    tables = [*GROUPS.values(), TOP_LEVEL]
    return frozenset(command_name(command.verb) for table in tables for command in table.values())


COMMANDS = _docker_commands()


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
    mount: str | None = Field(
        default=None, description='"data", "data:/var/lib/mysql", or ":ro" at the end for read-only'
    )

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
            raise ValueError("must be a volume name, optionally followed by :/path and :ro")
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
    """What the last command printed. Alone, any command printing the text passes (an echo);
    ``command`` (and ``image`` for ``docker run``) says which command must have printed it."""

    last_output_contains: Annotated[str, Field(min_length=1)]
    ignore_case: bool = False
    command: list[str] | None = Field(
        default=None,
        description='"docker ps", or a list: ["docker inspect", "docker image inspect"]',
    )
    image: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, description="the image the docker run must use"
    )

    @field_validator("command", mode="before")
    @classmethod
    def _known_commands(cls, value: Any) -> Any:
        names = [value] if isinstance(value, str) else value
        if names is None:
            return None
        if not isinstance(names, list) or not names:
            raise ValueError("must be a docker command name or a non-empty list of them")
        unknown = [name for name in names if name not in COMMANDS]
        if unknown:
            raise ValueError(
                f"unknown command {unknown[0]!r}; known: {', '.join(sorted(COMMANDS))}"
            )
        return names

    @field_validator("image")
    @classmethod
    def _image_with_run(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("command") != ["docker run"]:
            raise ValueError('image only goes with command = "docker run"')
        return value


class LastOutputLacks(_Check):
    """Mostly inside ``all_of``: alone, an empty output would pass it."""

    last_output_lacks: Annotated[str, Field(min_length=1)]


class FileCheck(_Check):
    """A file as it is now in one of the student's containers (running or stopped), read from
    the engine when the check runs: ``{ file = "/data/note.txt", of = "web", contains = "x" }``."""

    file: Path
    of: Name
    contains: Text | None = None
    exists: bool = True

    @field_validator("exists")
    @classmethod
    def _nothing_to_contain(cls, value: bool, info: ValidationInfo) -> bool:
        if not value and info.data.get("contains") is not None:
            raise ValueError("a file that must not exist cannot contain anything")
        return value


class BuiltImage(_Check):
    """One of the student's own images and what its build must have given it:
    ``{ built_image = "prime:multi", stages = 2, base = "debian:12-slim" }``. Config, size and
    layers are the image's own; ``stages`` and ``base`` come from what the sandbox's build
    recorded, so an image only tagged or committed fails them (it was not built here)."""

    built_image: ImageRef
    stages: Annotated[int, Field(ge=1, le=5)] | None = None
    base: ImageRef | None = Field(default=None, description="one of the FROM images, as typed")
    non_root: bool | None = Field(default=None, description="USER is someone other than root")
    healthcheck: bool | None = None
    exposes: str | None = Field(default=None, description='"3000" or "3000/tcp"')
    max_size_mb: Annotated[float, Field(gt=0)] | None = None
    max_layers: Annotated[int, Field(ge=1)] | None = None

    @field_validator("base")
    @classmethod
    def _not_scratch(cls, value: str | None) -> str | None:
        if value == "scratch":
            raise ValueError("scratch is no base image: check max_size_mb or max_layers instead")
        return value

    @field_validator("exposes")
    @classmethod
    def _expose_shape(cls, value: str | None) -> str | None:
        if value is not None and not EXPOSE_SPEC.match(value):
            raise ValueError("must look like 80 or 80/tcp")
        return value


class SizeOrder(_Check):
    """The student's own images from the smallest to the largest, each strictly smaller."""

    size_order: Annotated[list[ImageRef], Field(min_length=2, max_length=5)]


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
    "file": FileCheck,
    "container": ContainerCheck,
    "built_image": BuiltImage,
    "size_order": SizeOrder,
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
    | Annotated[FileCheck, Tag("file")]
    | Annotated[ContainerCheck, Tag("container")]
    | Annotated[BuiltImage, Tag("built_image")]
    | Annotated[SizeOrder, Tag("size_order")],
    Discriminator(kind_of),
    BeforeValidator(_one_kind),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()
CHECK_ADAPTER: TypeAdapter[Check] = TypeAdapter(Check)


def parse_check(raw: Any) -> Check:
    """Validate one check (raises ``pydantic.ValidationError``)."""
    return CHECK_ADAPTER.validate_python(raw)


def required_files(check: Check) -> list[tuple[str, str]]:
    """The (container, path) pairs a check reads, so the snapshot fetches them beforehand."""
    match check:
        case AllOf(all_of=children) | AnyOf(any_of=children):
            found = [pair for child in children for pair in required_files(child)]
            return list(dict.fromkeys(found))
        case FileCheck(file=path, of=name):
            return [(name, path)]
    return []
