"""Images: the student's own and the course's, as the engine lists them."""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import images as image_ops
from moussaillon.sandbox.executor.common import Context


class ImagesApi(ApiBase):
    async def images(self, user_id: int) -> list[dict[str, Any]]:
        async def work(ctx: Context) -> list[dict[str, Any]]:
            shown = await image_ops.visible(ctx)
            by_id: dict[str, dict[str, Any]] = {}
            for tag, image in shown.items():
                row = by_id.setdefault(
                    image["Id"],
                    {**image, "RepoTags": [], "RepoDigests": [], "Labels": {}, "ParentId": ""},
                )
                row["RepoTags"].append(tag)
            return list(by_id.values())

        return await self._pipeline(user_id, "images", work)
