"""``docker commit``: a student's container as a new image in their own scope.

The image is named like a build's (``m-u42/repo:tag``, shown as ``repo:tag``), carries the
owner labels, counts in the image quota (checked before the engine commits) and in the total
size (checked after, the new image removed when over), and is recorded for ``/reset`` and the
reaper (``build/records.py``) even without a tag, since then nothing else says whose it is.
The ``-c`` changes were limited by the policy (``transfer_policy``); ``docker run`` of the
committed image then goes through the same policy and forced limits as any other image.
"""

from __future__ import annotations

import contextlib

from moussaillon.sandbox import labels
from moussaillon.sandbox.build import records
from moussaillon.sandbox.errors import BuildUnavailable, QuotaExceeded
from moussaillon.sandbox.executor.build import over_quota, own_images
from moussaillon.sandbox.executor.common import Context, Outcome, call
from moussaillon.sandbox.executor.images import TAG
from moussaillon.sandbox.executor.run import with_tag
from moussaillon.sandbox.output import DaemonError
from moussaillon.sandbox.requests import CommitRequest

COMMITTED = "moussaillon.commit"  # on images made by docker commit, beside owner and sandbox


def _engine_tag(ctx: Context, repository: str | None) -> tuple[str, str] | None:
    """``web:v2`` → (``m-u42/web``, ``v2``); docker's error for a bad reference."""
    if repository is None:
        return None
    shown = with_tag(repository.removeprefix("docker.io/").removeprefix("library/"))
    if not TAG.match(shown):
        lowered = TAG.match(shown.lower()) is not None
        raise DaemonError(
            "invalid reference format: repository name"
            f" (library/{shown.rsplit(':', 1)[0]}) must be lowercase"
            if lowered
            else "invalid reference format"
        )
    if shown.rsplit(":", 1)[0] in ctx.settings.sandbox_images:
        raise DaemonError(ctx.note("image.tag_reserved", image=shown))
    repo, _, tag = (ctx.scope.image_repo + shown).rpartition(":")
    return repo, tag


async def _check_count(ctx: Context, tag: tuple[str, str] | None) -> None:
    limit = ctx.settings.sandbox_max_images
    owned = await own_images(ctx)
    existing = {t for image in owned.values() for t in image.get("RepoTags") or []}
    moving = tag is not None and f"{tag[0]}:{tag[1]}" in existing
    if len(owned) >= limit and not moving:
        raise QuotaExceeded("sandbox.transfer.quota.images", limit=limit)


async def commit(ctx: Context, req: CommitRequest) -> Outcome:
    if ctx.store is None:
        raise BuildUnavailable("sandbox.transfer.unavailable")
    container = await ctx.scope.container(ctx.engine, req.container)
    tag = _engine_tag(ctx, req.repository)
    await _check_count(ctx, tag)
    params = {
        "container": container["Id"],
        "pause": "1" if req.pause else "0",
        "comment": req.message or "",
        "author": req.author or "",
    }
    if req.changes:
        params["changes"] = "\n".join(req.changes)  # the engine parses them as one Dockerfile
    if tag is not None:
        params["repo"], params["tag"] = tag
    body = {"Labels": {labels.SANDBOX: "1", labels.OWNER: ctx.scope.owner, COMMITTED: "1"}}
    made = await call(ctx, "commit", "POST", params=params, data=body)
    image_id = str(made["Id"])
    await records.record(ctx.store, ctx.scope.owner, [image_id], image_id)
    tags = [f"{tag[0]}:{tag[1]}"] if tag is not None else []
    problem = await over_quota(ctx, image_id, tags)
    if problem is not None:
        for engine_tag in tags:
            with contextlib.suppress(DaemonError):
                await call(ctx, f"images/{engine_tag}", "DELETE")
        await records.remove_recorded(ctx.engine, ctx.store, ctx.scope.owner, [image_id])
        return Outcome(output=problem, exit_code=1)
    return Outcome(output=image_id)
