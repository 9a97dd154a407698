"""Read one student's sandbox into a ``SandboxState``, the check language's own model.

Everything comes from the sandbox's public surface (``SandboxService.inventory`` and
``read_file``), already in the student's names and limited to the student's objects, so a check
can never see another student's containers. Removed containers come from the engine's recent
``destroy`` events; the engine keeps only its last few hundred events, so on a busy server
``LabService`` adds what it saw itself (container ids from one check to the next).

The student's own images (``built``) carry what their build left (stages, bases) beside their
config, size and layers, for ``built_image`` and ``size_order`` checks.

Files that ``file`` checks look at are read by the sandbox into memory and bounded: nothing is
written on the host.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from moussaillon.labs.state import (
    ContainerState,
    FileState,
    ImageState,
    MountState,
    PublishedPort,
    SandboxState,
)

if TYPE_CHECKING:
    from moussaillon.sandbox import ContainerView, ImageView, SandboxService

EVENTS_WINDOW = timedelta(hours=6)
FILE_BYTES = 64 * 1024  # what a file check may read of one file


def _container(view: ContainerView) -> ContainerState:
    return ContainerState(
        name=view.name,
        id=view.id,
        image=view.image,
        state=view.state,
        networks=list(view.networks),
        published=[PublishedPort.model_validate(port.model_dump()) for port in view.published],
        mounts=[MountState.model_validate(mount.model_dump()) for mount in view.mounts],
        labels=dict(view.labels),
    )


def _image(view: ImageView) -> ImageState:
    return ImageState.model_validate(view.model_dump())


async def snapshot(
    sandbox: SandboxService,
    user_id: int,
    *,
    last_output: str = "",
    last_command: str = "",
    files: Iterable[tuple[str, str]] = (),
    since: datetime | None = None,
) -> SandboxState:
    """``files`` are the (container, path) pairs the check to come reads (``required_files``);
    containers removed since ``since`` (default: the last six hours) count as removed."""
    window_start = since or datetime.now(UTC) - EVENTS_WINDOW
    inventory = await sandbox.inventory(user_id, removed_since=window_start)
    read = [
        FileState(
            container=name,
            path=path,
            content=await sandbox.read_file(user_id, name, path, FILE_BYTES),
        )
        for name, path in files
    ]
    return SandboxState(
        containers=[_container(view) for view in inventory.containers],
        volumes=inventory.volumes,
        networks=inventory.networks,
        images=inventory.images,
        built=[_image(view) for view in inventory.built],
        removed_containers=inventory.removed,
        last_output=last_output,
        last_command=last_command,
        files=read,
    )
