"""Images: the allowlisted images present on the engine, plus the student's own tags.

A student's ``docker tag alpine myapp:v1`` becomes the engine tag ``m-u42/myapp:v1``: the
repository prefix is the ownership record (image labels cannot change after build), so
``images`` lists it as ``myapp:v1`` for its owner only and ``rmi`` may remove only such tags.
Nothing is ever pulled: the sandbox works offline with what ``sandbox prepare`` left locally.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from moussaillon.sandbox.build import records
from moussaillon.sandbox.errors import QuotaExceeded
from moussaillon.sandbox.executor.common import (
    Context,
    Outcome,
    call,
    each,
    render_format,
    student_json,
)
from moussaillon.sandbox.executor.inspection import show_objects
from moussaillon.sandbox.executor.run import with_tag
from moussaillon.sandbox.output import DaemonError, ago, human_size, short_id, table
from moussaillon.sandbox.requests import (
    HistoryRequest,
    ImageInspectRequest,
    ImageLsRequest,
    ImagePruneRequest,
    ImageRmRequest,
    PullRequest,
    TagRequest,
)

HEADERS = {
    "Repository": "REPOSITORY",
    "Tag": "TAG",
    "ID": "IMAGE ID",
    "CreatedSince": "CREATED",
    "CreatedAt": "CREATED AT",
    "Size": "SIZE",
    "Digest": "DIGEST",
}
TAG = re.compile(
    r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$"
)


async def visible(ctx: Context) -> dict[str, dict[str, Any]]:
    """Every ``repo:tag`` the student may see → the engine's image summary."""
    engine = await call(ctx, "images/json")
    by_tag = {tag: image for image in engine for tag in image.get("RepoTags") or []}
    shown: dict[str, dict[str, Any]] = {}
    for name, local in ctx.settings.sandbox_images.items():
        if local in by_tag:
            shown[f"{name}:{local.rsplit(':', 1)[1]}"] = by_tag[local]
    for tag, image in by_tag.items():
        if tag.startswith(ctx.scope.image_repo):
            shown[tag.removeprefix(ctx.scope.image_repo)] = image
    return shown


async def resolve(ctx: Context, ref: str) -> tuple[str, dict[str, Any]]:
    """(shown ``repo:tag`` or id, image summary) for a name, a tag or an id prefix."""
    shown = await visible(ctx)
    if with_tag(ref) in shown:
        return with_tag(ref), shown[with_tag(ref)]
    bare = ref.removeprefix("sha256:")
    if len(bare) >= 1:
        for image in shown.values():
            if image["Id"].removeprefix("sha256:").startswith(bare):
                return ref, image
    raise DaemonError(f"Error response from daemon: No such image: {with_tag(ref)}")


def _engine_ref(ctx: Context, shown: str, image: dict[str, Any]) -> str:
    own = ctx.scope.image_repo + shown
    if own in (image.get("RepoTags") or []):
        return own
    name = shown.rsplit(":", 1)[0]
    engine_id: str = image["Id"]
    return ctx.settings.sandbox_images.get(name, engine_id)


async def ls(ctx: Context, req: ImageLsRequest) -> Outcome:
    shown = await visible(ctx)
    rows = []
    for tag, image in shown.items():
        repo, _, version = tag.rpartition(":")
        if req.repository and req.repository not in (repo, tag):
            continue
        created = image.get("Created", 0)
        digests = image.get("RepoDigests") or []
        rows.append(
            {
                "Repository": repo,
                "Tag": version,
                "ID": image["Id"] if req.no_trunc else short_id(image["Id"]),
                "CreatedSince": ago(created),
                "CreatedAt": datetime.fromtimestamp(created, UTC).strftime(
                    "%Y-%m-%d %H:%M:%S +0000 UTC"
                ),
                "Size": human_size(image.get("Size", 0)),
                "Digest": digests[0].split("@", 1)[1] if digests else "<none>",
                "_created": created,
            }
        )
    rows.sort(key=lambda r: (-r.pop("_created"), r["Repository"]))
    if req.quiet:
        return Outcome(output="\n".join(dict.fromkeys(r["ID"] for r in rows)))
    if req.format:
        return Outcome(output=await render_format(ctx, req.format, rows, HEADERS))
    columns = [
        "Repository",
        "Tag",
        *(["Digest"] if req.digests else []),
        "ID",
        "CreatedSince",
        "Size",
    ]
    return Outcome(
        output=table([HEADERS[c] for c in columns], [[r[c] for c in columns] for r in rows])
    )


async def inspect_one(ctx: Context, ref: str) -> dict[str, Any]:
    _, image = await resolve(ctx, ref)
    data = await call(ctx, f"images/{image['Id']}/json")
    visible_tags = [t for t, i in (await visible(ctx)).items() if i["Id"] == image["Id"]]
    data["RepoTags"] = visible_tags
    shown: dict[str, Any] = student_json(ctx, data)
    return shown


async def inspect(ctx: Context, req: ImageInspectRequest) -> Outcome:
    return await show_objects(ctx, req.images, inspect_one, req.format)


def _registry_path(name: str) -> str:
    return name if "/" in name else f"library/{name}"


async def pull(ctx: Context, req: PullRequest) -> Outcome:
    name, _, tag = with_tag(req.image).rpartition(":")
    ref = req.image_ref or with_tag(req.image)
    lines = [] if ":" in req.image.rsplit("/", 1)[-1] else ["Using default tag: latest"]
    try:
        image = await call(ctx, f"images/{ref}/json")
    except DaemonError:
        lines += [
            f"Error response from daemon: {ctx.note('image.unavailable', image=f'{name}:{tag}')}"
        ]
        return Outcome(output="\n".join(lines), exit_code=1)
    if req.quiet:
        return Outcome(output=f"docker.io/{_registry_path(name)}:{tag}")
    lines.append(f"{tag}: Pulling from {_registry_path(name)}")
    digests = image.get("RepoDigests") or []
    if digests:
        lines.append(f"Digest: {digests[0].split('@', 1)[1]}")
    lines.append(f"Status: Image is up to date for {name}:{tag}")
    lines.append(f"docker.io/{_registry_path(name)}:{tag}")
    return Outcome(output="\n".join(lines))


async def history(ctx: Context, req: HistoryRequest) -> Outcome:
    _, image = await resolve(ctx, req.image)
    layers = await call(ctx, f"images/{image['Id']}/history")
    rows = []
    for layer in layers:
        layer_id = layer.get("Id", "<missing>")
        shown_id = (
            "<missing>"
            if layer_id in ("", "<missing>")
            else (layer_id if req.no_trunc else short_id(layer_id))
        )
        created_by = layer.get("CreatedBy", "")
        if not req.no_trunc and len(created_by) > 45:
            created_by = created_by[:44] + "…"
        created = layer.get("Created", 0)
        rows.append(
            [
                shown_id,
                ago(created) if req.human else str(created),
                created_by,
                human_size(layer.get("Size", 0)) if req.human else str(layer.get("Size", 0)),
                layer.get("Comment", ""),
            ]
        )
    if req.quiet:
        return Outcome(output="\n".join(r[0] for r in rows))
    return Outcome(output=table(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"], rows))


async def tag(ctx: Context, req: TagRequest) -> Outcome:
    target = with_tag(req.target.removeprefix("docker.io/").removeprefix("library/"))
    if not TAG.match(target):
        raise DaemonError(
            f'Error parsing reference: "{req.target}" is not a valid repository/tag:'
            " invalid reference format"
        )
    if target.rsplit(":", 1)[0] in ctx.settings.sandbox_images:
        raise DaemonError(ctx.note("image.tag_reserved", image=target))
    try:
        shown, image = await resolve(ctx, req.source)
        source = _engine_ref(ctx, shown, image)
    except DaemonError:
        if not req.source_ref:
            raise
        source = req.source_ref
    own = [t for t in (await visible(ctx)) if t not in _course_tags(ctx)]
    if target not in own and len(own) >= ctx.settings.sandbox_max_images:
        raise QuotaExceeded("sandbox.build.quota.tag", limit=ctx.settings.sandbox_max_images)
    repo, _, version = (ctx.scope.image_repo + target).rpartition(":")
    await call(ctx, f"images/{source}/tag", "POST", params={"repo": repo, "tag": version})
    return Outcome()


async def rmi(ctx: Context, req: ImageRmRequest) -> Outcome:
    async def remove(ref: str) -> str:
        shown, image = await resolve(ctx, ref)
        own = ctx.scope.image_repo + shown
        if own not in (image.get("RepoTags") or []):
            raise DaemonError(
                "Error response from daemon: " + ctx.note("image.not_yours", image=shown)
            )
        await call(ctx, f"images/{own}", "DELETE", params={"noprune": "1"})
        return f"Untagged: {shown}"

    return await each(req.images, remove)


def _course_tags(ctx: Context) -> set[str]:
    return {
        f"{name}:{local.rsplit(':', 1)[1]}" for name, local in ctx.settings.sandbox_images.items()
    }


async def prune_own(ctx: Context, *, all: bool) -> tuple[list[str], list[tuple[str, int]]]:
    """The student's own images only (the course's are shared): without ``all`` those no tag
    names (a build's untagged results and layers), with ``all`` also the tags no container of
    theirs uses. (Tags untagged as the student names them, (image id, bytes freed) removed.)"""
    untagged: list[str] = []
    if all:
        used = {c.get("ImageID") for c in await ctx.scope.containers(ctx.engine)}
        for image in await call(ctx, "images/json"):
            if image["Id"] in used:
                continue
            for tag in image.get("RepoTags") or []:
                if tag.startswith(ctx.scope.image_repo):
                    await call(ctx, f"images/{tag}", "DELETE", params={"noprune": "1"})
                    untagged.append(tag.removeprefix(ctx.scope.image_repo))
    removed: list[tuple[str, int]] = []
    if ctx.store is not None:
        removed = await records.remove_recorded(
            ctx.engine, ctx.store, ctx.scope.owner, untagged_only=True
        )
    return untagged, removed


async def prune(ctx: Context, req: ImagePruneRequest) -> Outcome:
    untagged, removed = await prune_own(ctx, all=req.all)
    lines = [f"untagged: {tag}" for tag in untagged]
    lines += [f"deleted: {image_id}" for image_id, _ in removed]
    freed = sum(size for _, size in removed)
    text = "Deleted Images:\n" + "\n".join(lines) + "\n\n" if lines else ""
    return Outcome(output=text + f"Total reclaimed space: {human_size(freed)}")
