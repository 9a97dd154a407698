"""Read one student's sandbox from the engine into a ``SandboxState``, in the student's names.

Only objects labelled with the owner are listed (engine-side label filters, then checked again
here), so a check can never see another student's containers. Names come from the engine name
minus the owner's prefix (``rename`` keeps it current) or else the ``moussaillon.name`` label.
Removed containers come from the engine's recent ``destroy`` events, which is how a check can
tell "the database was removed and recreated" from "the database was never touched". The engine
keeps only its last few hundred events, so on a busy server ``LabService`` adds what it saw
itself (container ids from one check to the next).

Files that ``file`` checks look at are read through the engine's archive API (what ``docker cp``
uses), into memory and bounded: nothing is written on the host, and the container's own
symlinks are resolved by the engine inside the container's root.
"""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import aiodocker

from moussaillon.labs.state import (
    ContainerState,
    FileState,
    MountState,
    PublishedPort,
    SandboxState,
)
from moussaillon.sandbox import labels
from moussaillon.sandbox.scope import IMAGE, KEEPER, KIND, PORTS, Scope

EVENTS_WINDOW = timedelta(hours=6)
ENGINE_TIMEOUT = 30.0
FILE_BYTES = 64 * 1024  # what a file check may read of one file


def _published(found: dict[str, str], listed: list[dict[str, Any]]) -> list[PublishedPort]:
    """The ``-p`` mappings the sandbox recorded (label), else what the engine reports."""
    raw = found.get(PORTS)
    if raw:
        try:
            return [PublishedPort.model_validate(item) for item in json.loads(raw)]
        except (ValueError, TypeError):
            pass
    return [
        PublishedPort(
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
    return (names[0] if names else "").lstrip("/")


def _student_name(scope: Scope, found: dict[str, str], internal: str) -> str:
    if internal.startswith(scope.prefix):
        return internal.removeprefix(scope.prefix)
    return found.get(labels.NAME) or internal


def _container(
    scope: Scope, raw: dict[str, Any], networks: dict[str, str], volumes: dict[str, str]
) -> ContainerState:
    found = raw.get("Labels") or {}
    attached = (raw.get("NetworkSettings") or {}).get("Networks") or {}
    mounts = [
        MountState(
            type=mount.get("Type", "volume"),
            name=volumes.get(mount.get("Name", ""), "") if mount.get("Type") == "volume" else "",
            target=mount.get("Destination", ""),
            read_only=not mount.get("RW", True),
        )
        for mount in raw.get("Mounts") or []
    ]
    return ContainerState(
        name=_student_name(scope, found, _engine_name(raw)),
        id=raw.get("Id", ""),
        image=found.get(IMAGE) or raw.get("Image", ""),
        state=raw.get("State", ""),
        networks=[networks.get(net, net.removeprefix(scope.prefix)) for net in attached],
        published=_published(found, raw.get("Ports") or []),
        mounts=mounts,
        labels={k: v for k, v in found.items() if not k.startswith("moussaillon.")},
    )


async def _removed(docker: aiodocker.Docker, scope: Scope, since: datetime) -> list[str]:
    params = {
        "since": str(int(since.timestamp())),
        "until": f"{datetime.now(UTC).timestamp():.9f}",
        "filters": json.dumps(
            {"type": ["container"], "event": ["destroy"], "label": scope.label_filters()}
        ),
    }
    async with docker._query("events", params=params) as response:
        body = await response.text()
    removed: list[str] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        attributes = (event.get("Actor") or {}).get("Attributes") or {}
        if not scope.owns(attributes) or attributes.get(KIND) == KEEPER:
            continue
        name = _student_name(scope, attributes, attributes.get("name", ""))
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


async def _read_file(docker: aiodocker.Docker, container_id: str, path: str) -> str | None:
    """The start of one regular file of a container, or None (absent, a folder, a link…)."""
    try:
        async with docker._query(
            f"containers/{container_id}/archive", params={"path": path}
        ) as response:
            data = b""
            while len(data) < FILE_BYTES + 2048:
                chunk = await response.content.read(FILE_BYTES + 2048 - len(data))
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
    return data[start : start + min(member.size, FILE_BYTES)].decode("utf-8", "replace")


async def _files(
    docker: aiodocker.Docker, containers: list[ContainerState], wanted: Iterable[tuple[str, str]]
) -> list[FileState]:
    ids = {container.name: container.id for container in containers}
    found = []
    for name, path in wanted:
        content = await _read_file(docker, ids[name], path) if ids.get(name) else None
        found.append(FileState(container=name, path=path, content=content))
    return found


async def snapshot(
    docker: aiodocker.Docker,
    owner: str,
    *,
    images: Mapping[str, str],
    last_output: str = "",
    last_command: str = "",
    files: Iterable[tuple[str, str]] = (),
    since: datetime | None = None,
) -> SandboxState:
    """``owner`` is the owner key (``labels.owner_key(user_id)``); ``images`` maps the names
    students type to local references (``Settings.sandbox_images``); ``files`` are the
    (container, path) pairs the check to come reads (``required_files``)."""
    scope = Scope(owner)
    filters = {"filters": scope.filters()}
    window_start = since or datetime.now(UTC) - EVENTS_WINDOW
    async with asyncio.timeout(ENGINE_TIMEOUT):
        raw_containers, raw_volumes, raw_networks, raw_images, removed = await asyncio.gather(
            docker._query_json("containers/json", params={"all": "1", **filters}),
            docker._query_json("volumes", params=filters),
            docker._query_json("networks", params=filters),
            docker._query_json("images/json"),
            _removed(docker, scope, window_start),
        )
    volume_list = [v for v in raw_volumes.get("Volumes") or [] if scope.owns(v.get("Labels"))]
    network_list = [n for n in raw_networks if scope.owns(n.get("Labels"))]
    volumes = {
        v["Name"]: _student_name(scope, v.get("Labels") or {}, v["Name"]) for v in volume_list
    }
    networks = {
        n["Name"]: _student_name(scope, n.get("Labels") or {}, n["Name"]) for n in network_list
    }
    containers = [
        _container(scope, raw, networks, volumes)
        for raw in raw_containers
        if scope.owns(raw.get("Labels")) and (raw.get("Labels") or {}).get(KIND) != KEEPER
    ]  # a volume's hidden keeper is no container of the student's (as in Scope.containers)
    async with asyncio.timeout(ENGINE_TIMEOUT):
        read = await _files(docker, containers, files)
    return SandboxState(
        containers=containers,
        volumes=sorted(volumes.values()),
        networks=sorted(networks.values()),
        images=_images(scope, raw_images, images),
        removed_containers=removed,
        last_output=last_output,
        last_command=last_command,
        files=read,
    )
