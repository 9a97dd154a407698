"""One student's sandbox as plain data, in the names the student typed.

This is what the rest of the app may know of a student's engine objects (the labs' checks, the
status): no label, internal name or engine call leaves the sandbox. Only objects labelled with
the owner are listed (engine-side label filters, then checked again here), so another student's
objects never appear; the hidden volume keepers are left out, as ``docker ps`` leaves them out.
Names come from the engine name minus the owner's prefix (``rename`` keeps it current) or else
the ``moussaillon.name`` label. Removed containers come from the engine's recent ``destroy``
events; the engine keeps only its last few hundred, so a caller that must never miss one keeps
its own record too (``LabService`` does).

Files are read through the engine's archive API (what ``docker cp`` uses), into memory and
bounded: nothing is written on the host, and the container's own symlinks are resolved by the
engine inside the container's root.
"""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import aiodocker
from pydantic import BaseModel, ConfigDict, Field

from moussaillon.sandbox.build.labels import BASES, STAGES
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.scope import IMAGE, KEEPER, KIND, PORTS, Scope

TAR_MARGIN = 2048  # tar headers (a long path adds a pax header) before a file's first byte


class PortView(BaseModel):
    """A ``-p`` mapping as the student asked for it (the sandbox never opens the host port)."""

    model_config = ConfigDict(frozen=True)

    host_ip: str | None = None
    host_port: int | None = None
    container_port: int
    protocol: str = "tcp"


class MountView(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str = "volume"
    name: str = Field(default="", description="the student's volume name, '' for tmpfs/anonymous")
    target: str
    read_only: bool = False


class ContainerView(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    id: str = Field(description="the engine id, to tell a recreated container apart")
    image: str = Field(description="the image as the student typed it")
    state: str = Field(description="docker's State: running, exited …")
    networks: list[str] = Field(default_factory=list)
    published: list[PortView] = Field(default_factory=list)
    mounts: list[MountView] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict, description="the student's own labels")


class ImageView(BaseModel):
    """One of the student's own images (built or tagged), for the labs' checks."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description='"prime:scratch", as the student sees it')
    id: str
    size: int = Field(description="bytes")
    layers: int
    user: str = Field(default="", description="Config.User ('' = root)")
    healthcheck: bool = Field(default=False, description="a HEALTHCHECK other than NONE")
    exposed: list[str] = Field(default_factory=list, description='"80/tcp"')
    cmd: list[str] = Field(default_factory=list)
    entrypoint: list[str] = Field(default_factory=list)
    stages: int | None = Field(default=None, description="None: not built here (docker tag)")
    bases: list[str] = Field(default_factory=list, description="FROM refs as the student typed")
    labels: dict[str, str] = Field(default_factory=dict, description="the student's own labels")


class Inventory(BaseModel):
    model_config = ConfigDict(frozen=True)

    containers: list[ContainerView] = Field(default_factory=list)
    volumes: list[str] = Field(default_factory=list)
    networks: list[str] = Field(default_factory=list, description="the default one is 'bridge'")
    images: list[str] = Field(default_factory=list, description="repo:tag the student can see")
    removed: list[str] = Field(
        default_factory=list, description="containers removed since the time asked (events)"
    )
    built: list[ImageView] = Field(default_factory=list, description="the student's own images")


def _published(found: dict[str, str], listed: list[dict[str, Any]]) -> list[PortView]:
    """The ``-p`` mappings the sandbox recorded (label), else what the engine reports."""
    raw = found.get(PORTS)
    if raw:
        try:
            return [PortView.model_validate(item) for item in json.loads(raw)]
        except (ValueError, TypeError):
            pass
    return [
        PortView(
            host_ip=port.get("IP"),
            host_port=port.get("PublicPort"),
            container_port=port["PrivatePort"],
            protocol=port.get("Type", "tcp"),
        )
        for port in listed
        if "PrivatePort" in port
    ]


def _engine_name(obj: dict[str, Any]) -> str:
    names = obj.get("Names") or [obj.get("Name", "")]
    return str(names[0] if names else "").lstrip("/")


def _container(
    scope: Scope, raw: dict[str, Any], networks: dict[str, str], volumes: dict[str, str]
) -> ContainerView:
    found = raw.get("Labels") or {}
    attached = (raw.get("NetworkSettings") or {}).get("Networks") or {}
    mounts = [
        MountView(
            type=mount.get("Type", "volume"),
            name=volumes.get(mount.get("Name", ""), "") if mount.get("Type") == "volume" else "",
            target=mount.get("Destination", ""),
            read_only=not mount.get("RW", True),
        )
        for mount in raw.get("Mounts") or []
    ]
    return ContainerView(
        name=scope.student(found, _engine_name(raw)),
        id=raw.get("Id", ""),
        image=found.get(IMAGE) or raw.get("Image", ""),
        state=raw.get("State", ""),
        networks=[networks.get(net, net.removeprefix(scope.prefix)) for net in attached],
        published=_published(found, raw.get("Ports") or []),
        mounts=mounts,
        labels={k: v for k, v in found.items() if not k.startswith("moussaillon.")},
    )


async def _removed(engine: Engine, scope: Scope, since: datetime) -> list[str]:
    params = {
        "since": str(int(since.timestamp())),
        "until": f"{datetime.now(UTC).timestamp():.9f}",
        "filters": json.dumps(
            {"type": ["container"], "event": ["destroy"], "label": scope.label_filters()}
        ),
    }
    async with engine.stream("events", params=params) as response:
        body = await response.text()
    removed: list[str] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        attributes = (event.get("Actor") or {}).get("Attributes") or {}
        if not scope.owns(attributes) or attributes.get(KIND) == KEEPER:
            continue
        name = scope.student(attributes, attributes.get("name", ""))
        if name not in removed:
            removed.append(name)
    return removed


def _images(scope: Scope, engine: list[dict[str, Any]], allowed: Mapping[str, str]) -> list[str]:
    tags = {tag for image in engine for tag in image.get("RepoTags") or []}
    shown = [
        f"{name}:{local.rsplit(':', 1)[1]}" for name, local in allowed.items() if local in tags
    ]
    shown += sorted(
        tag.removeprefix(scope.image_repo) for tag in tags if tag.startswith(scope.image_repo)
    )
    return shown


async def _nothing() -> list[str]:
    return []


def image_view(name: str, data: dict[str, Any]) -> ImageView:
    config = data.get("Config") or {}
    found = config.get("Labels") or {}
    test = (config.get("Healthcheck") or {}).get("Test") or []
    stages = found.get(STAGES)
    try:
        bases = [str(b) for b in json.loads(found.get(BASES) or "[]")]
    except ValueError:
        bases = []
    return ImageView(
        name=name,
        id=data.get("Id", ""),
        size=int(data.get("Size") or 0),
        layers=len((data.get("RootFS") or {}).get("Layers") or []),
        user=config.get("User") or "",
        healthcheck=bool(test) and test[0] != "NONE",
        exposed=sorted(config.get("ExposedPorts") or {}),
        cmd=list(config.get("Cmd") or []),
        entrypoint=list(config.get("Entrypoint") or []),
        stages=int(stages) if stages and stages.isdigit() else None,
        bases=bases,
        labels={k: v for k, v in found.items() if not k.startswith("moussaillon.")},
    )


async def _built(engine: Engine, scope: Scope, raw_images: list[dict[str, Any]]) -> list[ImageView]:
    tags = sorted(
        tag
        for image in raw_images
        for tag in image.get("RepoTags") or []
        if tag.startswith(scope.image_repo)
    )

    async def one(tag: str) -> ImageView | None:
        try:
            data = await engine.get(f"images/{tag}/json")
        except aiodocker.DockerError as exc:
            if exc.status == 404:  # removed since the listing
                return None
            raise
        return image_view(tag.removeprefix(scope.image_repo), data)

    return [view for view in await asyncio.gather(*(one(tag) for tag in tags)) if view]


async def read_inventory(
    engine: Engine,
    scope: Scope,
    *,
    images: Mapping[str, str],
    removed_since: datetime | None = None,
) -> Inventory:
    """``images`` maps the names students type to local references (the allowlist); removed
    containers are read only when ``removed_since`` is given."""
    filters = {"filters": scope.filters()}
    raw_containers, raw_volumes, raw_networks, raw_images, removed = await asyncio.gather(
        engine.get("containers/json", params={"all": "1", **filters}),
        engine.get("volumes", params=filters),
        engine.get("networks", params=filters),
        engine.get("images/json"),
        _removed(engine, scope, removed_since) if removed_since else _nothing(),
    )
    volume_list = [v for v in raw_volumes.get("Volumes") or [] if scope.owns(v.get("Labels"))]
    network_list = [n for n in raw_networks if scope.owns(n.get("Labels"))]
    volumes = {v["Name"]: scope.student(v.get("Labels"), v["Name"]) for v in volume_list}
    networks = {n["Name"]: scope.student(n.get("Labels"), n["Name"]) for n in network_list}
    containers = [
        _container(scope, raw, networks, volumes)
        for raw in raw_containers
        if scope.owns(raw.get("Labels")) and (raw.get("Labels") or {}).get(KIND) != KEEPER
    ]
    built = await _built(engine, scope, raw_images)
    return Inventory(
        built=built,
        containers=containers,
        volumes=sorted(volumes.values()),
        networks=sorted(networks.values()),
        images=_images(scope, raw_images, images),
        removed=removed,
    )


async def read_file(
    engine: Engine, scope: Scope, container: str, path: str, limit: int
) -> str | None:
    """The first ``limit`` bytes of one regular file of the student's container named
    ``container`` (exactly: no id prefix), or None (no such container; absent, a folder, a
    link …)."""
    found = [
        c
        for c in await scope.containers(engine)
        if scope.student(c.get("Labels"), _engine_name(c)) == container
    ]
    if not found:
        return None
    wanted = limit + TAR_MARGIN
    try:
        async with engine.stream(
            f"containers/{found[0]['Id']}/archive", params={"path": path}
        ) as response:
            data = b""
            while len(data) < wanted:
                chunk = await response.content.read(wanted - len(data))
                if not chunk:
                    break
                data += chunk
    except aiodocker.DockerError as exc:
        if exc.status in (400, 404):
            return None
        raise
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            member = tar.next()
    except tarfile.TarError:
        return None
    if member is None or not member.isreg():
        return None
    start = member.offset_data
    return data[start : start + min(member.size, limit)].decode("utf-8", "replace")


__all__ = [
    "ContainerView",
    "ImageView",
    "Inventory",
    "MountView",
    "PortView",
    "read_file",
    "read_inventory",
]
