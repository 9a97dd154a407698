"""Images: the student's own and the course's, as the engine shows them, through the chat's
image executor (``executor/images.py``).

A student's images are ``m-u<id>/repo:tag`` on the engine and ``repo:tag`` here; the course's
are read-only (a tag onto a course name, a removal of one, are refused as in chat). Nothing is
ever pulled: ``POST /images/create`` answers as the chat's ``docker pull`` does for a prepared
image, and with the chat's refusal for any other.
"""

from __future__ import annotations

import json
from typing import Any

from moussaillon.sandbox.api import filters
from moussaillon.sandbox.api.errors import ApiError
from moussaillon.sandbox.api.pipeline import ApiBase
from moussaillon.sandbox.executor import images as image_ops
from moussaillon.sandbox.executor.common import (
    Context,
    call,
    hide_internal,
    student_json,
    visible_labels,
)
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import PullRequest, TagRequest

DAEMON = "Error response from daemon: "


def _familiar(name: str) -> str:
    """``docker.io/library/alpine`` (the CLI's ``fromImage``) → ``alpine``."""
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(prefix)
    return name.removeprefix("library/")


def pull_messages(output: str) -> list[dict[str, Any]]:
    """The chat's ``docker pull`` lines as the engine's progress messages; the CLI prints the
    default tag and the full reference itself, so those lines stay out."""
    messages: list[dict[str, Any]] = []
    for line in output.splitlines():
        if not line or line.startswith("Using default tag:") or line.startswith("docker.io/"):
            continue
        tag, sep, rest = line.partition(": Pulling from ")
        if sep:
            messages.append({"status": "Pulling from " + rest, "id": tag})
        else:
            messages.append({"status": line})
    return messages


def dangling_only(filters: str) -> bool:
    """``POST /images/prune``'s ``filters``: only ``dangling`` (``-a`` sends it false)."""
    try:
        found = json.loads(filters) if filters else {}
    except ValueError:
        raise ApiError(400, f"invalid filter: {filters[:100]}") from None
    if not isinstance(found, dict):
        raise ApiError(400, f"invalid filter: {filters[:100]}")
    for name in found:
        if name != "dangling":
            raise ApiError(400, f"invalid filter '{str(name)[:40]}'")
    given = found.get("dangling", {"true": True})
    values = list(given) if isinstance(given, dict | list) else [given]
    return not any(str(v).lower() in ("false", "0") for v in values)


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

    async def image_inspect(self, user_id: int, ref: str) -> dict[str, Any]:
        """``docker image inspect``'s object as the chat shows it: the student's names, the
        engine's paths blanked."""

        async def work(ctx: Context) -> dict[str, Any]:
            return await image_ops.inspect_one(ctx, ref)

        return await self._pipeline(user_id, "image inspect", work)

    async def image_history(self, user_id: int, ref: str) -> list[dict[str, Any]]:
        async def work(ctx: Context) -> list[dict[str, Any]]:
            _, image = await image_ops.resolve(ctx, ref)
            layers = await call(ctx, f"images/{image['Id']}/history")
            tags: dict[str, list[str]] = {}
            for tag, seen in (await image_ops.visible(ctx)).items():
                tags.setdefault(seen["Id"], []).append(tag)
            for layer in layers:
                layer["Tags"] = tags.get(layer.get("Id", "")) or None
            shown: list[dict[str, Any]] = student_json(ctx, layers)
            return shown

        return await self._pipeline(user_id, "history", work)

    async def image_tag(self, user_id: int, ref: str, repo: str, tag: str) -> None:
        target = f"{repo}:{tag}" if tag else repo

        async def work(ctx: Context) -> None:
            request = await self.service._check(
                ctx, TagRequest(raw="api tag", source=ref, target=target)
            )
            await image_ops.tag(ctx, request)

        await self._pipeline(user_id, "tag", work)

    async def image_remove(self, user_id: int, ref: str, *, force: bool) -> list[dict[str, Any]]:
        """Only the student's own tags, as ``docker rmi`` in chat; the engine's answer in
        their names. Parents are never pruned (``noprune``): an untagged layer may be another
        student's cache, and the build records remove the student's own."""

        async def work(ctx: Context) -> list[dict[str, Any]]:
            shown, image = await image_ops.resolve(ctx, ref)
            own = ctx.scope.image_repo + shown
            if own not in (image.get("RepoTags") or []):
                raise DaemonError(DAEMON + ctx.note("image.not_yours", image=shown))
            params = {"noprune": "1", "force": "1" if force else "0"}
            removed = await call(ctx, f"images/{own}", "DELETE", params=params)
            return [
                {k: hide_internal(ctx, str(v)) for k, v in item.items()} for item in removed or []
            ]

        return await self._pipeline(user_id, "rmi", work)

    async def images_prune(self, user_id: int, filters: str) -> dict[str, Any]:
        everything = not dangling_only(filters)

        async def work(ctx: Context) -> dict[str, Any]:
            untagged, removed = await image_ops.prune_own(ctx, all=everything)
            deleted = [{"Untagged": tag} for tag in untagged]
            deleted += [{"Deleted": image_id} for image_id, _ in removed]
            return {
                "ImagesDeleted": deleted or None,
                "SpaceReclaimed": sum(size for _, size in removed),
            }

        return await self._pipeline(user_id, "image prune", work)

    async def pull(self, user_id: int, image: str, tag: str) -> list[dict[str, Any]]:
        """``docker pull``'s progress for an image the course prepared, or the chat's refusal
        (a ``SandboxRefused`` before any message, as a registry's error comes)."""
        name = _familiar(image)
        typed = f"{name}:{tag}" if tag else name

        async def work(ctx: Context) -> list[dict[str, Any]]:
            request = await self.service._check(ctx, PullRequest(raw="api pull", image=typed))
            outcome = await image_ops.pull(ctx, request)
            if outcome.exit_code:
                last = outcome.output.splitlines()[-1] if outcome.output else ""
                raise DaemonError(last, 1)
            return pull_messages(outcome.output)

        return await self._pipeline(user_id, "pull", work)
