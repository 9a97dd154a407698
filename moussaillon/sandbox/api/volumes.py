"""Volumes: the student's tmpfs-backed volumes, with their keepers, quota and blanked paths.

A ``POST /volumes/create`` body becomes the ``VolumeCreateRequest`` of ``docker volume create``:
the policy refuses drivers and ``-o`` options, the executor applies the quota and the size cap
and starts the keeper. ``Mountpoint`` is always empty: it is a directory of the engine's host.
"""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.api import filters
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import volumes as volume_ops
from moussaillon.sandbox.executor.common import (
    Context,
    filter_values,
    student_json,
    visible_labels,
)
from moussaillon.sandbox.requests import VolumeCreateRequest, VolumeRmRequest


def shown(ctx: Context, volume: dict[str, Any]) -> dict[str, Any]:
    """A volume as ``GET /volumes`` gives it, in the student's names."""
    data: dict[str, Any] = student_json(ctx, volume)
    data["Labels"] = visible_labels(volume.get("Labels")) or None
    return as_asked(data)


def as_asked(data: dict[str, Any]) -> dict[str, Any]:
    """Without the tmpfs options the sandbox forces (a student asks none: ``-o`` is refused);
    Compose compares them with its file on every ``up`` and would stop there."""
    return {**data, "Options": None}


class VolumesApi(ApiBase):
    async def volumes(self, user_id: int, raw_filters: str | None) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            wanted = filters.parse(raw_filters, filters.VOLUMES, ctx.lang)
            used: set[str] = set()
            if filter_values(wanted, "dangling"):
                for c in await ctx.scope.containers(ctx.engine):
                    mounts = c.get("Mounts") or []
                    used |= {ctx.scope.student(None, m.get("Name", "")) for m in mounts}
            match = filters.volumes(wanted, used)
            listed = [shown(ctx, v) for v in await ctx.scope.volumes(ctx.engine)]
            found = sorted((v for v in listed if match(v)), key=lambda v: str(v["Name"]))
            return {"Volumes": found, "Warnings": None}

        return await self._pipeline(user_id, "volume ls", work)

    async def volume(self, user_id: int, name: str) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            return as_asked(await volume_ops.inspect_one(ctx, name))  # Mountpoint blanked

        return await self._pipeline(user_id, "volume inspect", work)

    async def create_volume(self, user_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """Creating a name that exists answers the existing volume, as the engine does."""

        async def work(ctx: Context) -> dict[str, Any]:
            request = VolumeCreateRequest(
                raw="api volume create",
                name=str(body["Name"]) if body.get("Name") else None,
                driver=body.get("Driver") or None,
                labels=dict(body.get("Labels") or {}),
                options=dict(body.get("DriverOpts") or {}),
            )
            outcome = await volume_ops.create(ctx, await self.service._check(ctx, request))
            return as_asked(await volume_ops.inspect_one(ctx, outcome.output))

        return await self._pipeline(user_id, "volume create", work)

    async def remove_volume(self, user_id: int, name: str, *, force: bool) -> None:
        async def work(ctx: Context) -> None:
            await ctx.scope.volume(ctx.engine, name)  # another's or unknown: the engine's 404
            outcome = await volume_ops.rm(ctx, VolumeRmRequest(volumes=[name], force=force))
            if outcome.exit_code:
                text = outcome.output.removeprefix("Error response from daemon: ")
                raise ApiError(409 if "in use" in text else 400, text)

        await self._pipeline(user_id, "volume rm", work)

    async def prune_volumes(self, user_id: int, raw_filters: str | None) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            filters.parse(raw_filters, filters.PRUNE, ctx.lang)
            removed = await volume_ops.prune_volumes(ctx)
            return {"VolumesDeleted": removed, "SpaceReclaimed": 0}

        return await self._pipeline(user_id, "volume prune", work)
