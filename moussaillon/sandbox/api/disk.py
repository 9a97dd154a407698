"""``GET /system/df``: the student's objects only, counted as the chat's ``system df`` counts.

The CLI computes the table itself from the engine's lists: an image counts as active when
``Containers > 0``, and as not reclaimable when ``Containers != 0``. A course image no
container of the student uses gets ``-1`` (the engine's "not counted"): inactive, and never
reclaimable, as in chat, since it is the class's, not the student's, to remove.
"""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import disk as disk_ops
from moussaillon.sandbox.executor.common import Context, hide_internal, visible_labels
from moussaillon.sandbox.scope import IMAGE


def _users(found: disk_ops.Usage, image_id: str, tags: list[str]) -> int:
    names = {*tags, *(tag.split(":")[0] for tag in tags)}
    return sum(
        1
        for c in found.containers
        if c.get("ImageID") == image_id or (c.get("Labels") or {}).get(IMAGE) in names
    )


class DiskApi(ApiBase):
    async def system_df(self, user_id: int) -> dict[str, Any]:
        async def work(ctx: Context) -> dict[str, Any]:
            found = await disk_ops.usage(ctx)
            tags: dict[str, list[str]] = {}
            for tag, image in found.seen.items():
                tags.setdefault(image["Id"], []).append(tag)
            images = []
            for image_id, (image, own) in found.unique.items():
                users = _users(found, image_id, tags.get(image_id, []))
                if image_id in found.active_images:
                    users = max(users, 1)
                size = int(image.get("Size") or 0)
                images.append(
                    {
                        "Id": image_id,
                        "ParentId": "",
                        "RepoTags": tags.get(image_id, []),
                        "RepoDigests": [],
                        "Created": image.get("Created", 0),
                        "Size": size,
                        "SharedSize": 0,
                        "VirtualSize": size,
                        "Labels": {},
                        "Containers": users if users or own else -1,
                    }
                )
            containers = [
                {
                    **self._summary(ctx, c),
                    "SizeRw": int(c.get("SizeRw") or 0),
                    "SizeRootFs": int(c.get("SizeRootFs") or 0),
                }
                for c in found.containers
            ]
            volumes = [
                {
                    "Name": hide_internal(ctx, str(v.get("Name", ""))),
                    "Driver": v.get("Driver", "local"),
                    "Mountpoint": "",
                    "CreatedAt": v.get("CreatedAt", ""),
                    "Labels": visible_labels(v.get("Labels")),
                    "Scope": "local",
                    "Options": None,
                    "UsageData": {  # tmpfs-backed: nothing on the disk
                        "Size": 0,
                        "RefCount": 1 if v.get("Name") in found.used_volumes else 0,
                    },
                }
                for v in found.volumes
            ]
            return {
                "LayersSize": found.image_size,
                "Images": images,
                "Containers": containers,
                "Volumes": volumes,
                "BuildCache": [],
                "BuilderSize": 0,
            }

        return await self._pipeline(user_id, "system df", work)
