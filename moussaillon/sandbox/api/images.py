"""Images: the student's own and the course's, as the engine lists them."""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.api import filters
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import images as image_ops
from moussaillon.sandbox.executor.common import Context, visible_labels


class ImagesApi(ApiBase):
    async def images(self, user_id: int, raw_filters: str | None = None) -> list[dict[str, Any]]:
        async def work(ctx: Context) -> list[dict[str, Any]]:
            match = filters.images(filters.parse(raw_filters, filters.IMAGES, ctx.lang))
            shown = await image_ops.visible(ctx)
            by_id: dict[str, dict[str, Any]] = {}
            for tag, image in shown.items():
                row = by_id.setdefault(
                    image["Id"],
                    {
                        **image,
                        "RepoTags": [],
                        "RepoDigests": [],
                        "Labels": visible_labels(image.get("Labels")),
                        "ParentId": "",
                    },
                )
                row["RepoTags"].append(tag)
            return [row for row in by_id.values() if match(row)]

        return await self._pipeline(user_id, "images", work)
