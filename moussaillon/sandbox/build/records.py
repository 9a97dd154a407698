"""The images a student's builds left on the engine, and their removal.

A build reports every image it makes or reuses (`` ---> 3f2a…``): the final one, and in a
multi-stage build the untagged, unlabelled images of every step. Tags (``m-u42/app:1``) say
whose the named ones are; only this table says whose the rest are, so ``/reset`` and the
reaper can leave nothing behind. Removal never forces: an image still used by another image
or container (a layer another student's build shares through the cache) stays, and an image
tagged by anyone else is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

import aiodocker
from sqlite_utils import Database

from moussaillon.core.clock import iso, utcnow
from moussaillon.core.store import Store
from moussaillon.sandbox.engine import Engine

log = logging.getLogger(__name__)

CALL_TIMEOUT_S = 30.0


async def record(store: Store, owner: str, image_ids: Iterable[str], final: str | None) -> None:
    stamp = iso(utcnow())
    rows = [
        {"owner": owner, "image_id": i, "final": int(i == final), "created_at": stamp}
        for i in dict.fromkeys([*image_ids, *([final] if final else [])])
    ]
    if rows:
        await store.write(
            lambda db: db.table("sandbox_images").upsert_all(rows, pk=("owner", "image_id"))
        )


async def recorded(store: Store, owner: str, *, final_only: bool = False) -> list[str]:
    def read(db: Database) -> list[str]:
        query = "SELECT image_id FROM sandbox_images WHERE owner = ?"
        if final_only:
            query += " AND final = 1"
        return [row["image_id"] for row in db.query(query + " ORDER BY created_at DESC", [owner])]

    return await store.read(read)


async def owners(store: Store) -> list[str]:
    return await store.read(
        lambda db: [r["owner"] for r in db.query("SELECT DISTINCT owner FROM sandbox_images")]
    )


async def forget(store: Store, owner: str, image_ids: Iterable[str]) -> None:
    ids = list(image_ids)

    def write(db: Database) -> None:
        db.conn.executemany(
            "DELETE FROM sandbox_images WHERE owner = ? AND image_id = ?",
            [(owner, i) for i in ids],
        )

    if ids:
        await store.write(write)


def _prefix(owner: str) -> str:
    return f"m-{owner}/"


async def untag_all(engine: Engine, owner: str) -> list[str]:
    """Remove every ``m-<owner>/…`` tag; the tags removed."""
    removed = []
    async with asyncio.timeout(CALL_TIMEOUT_S):
        listed = await engine.get("images/json")
    for image in listed:
        for tag in image.get("RepoTags") or []:
            if tag.startswith(_prefix(owner)):
                try:
                    async with asyncio.timeout(CALL_TIMEOUT_S):
                        await engine.delete(f"images/{tag}")
                    removed.append(tag)
                except (aiodocker.DockerError, TimeoutError) as exc:
                    log.warning("sandbox: could not untag %s: %s", tag, exc)
    return removed


async def remove_recorded(
    engine: Engine,
    store: Store,
    owner: str,
    image_ids: list[str] | None = None,
    *,
    untagged_only: bool = False,
) -> list[tuple[str, int]]:
    """Delete the owner's recorded images that nobody else names or uses (with
    ``untagged_only``, not those the student still names either); (id, bytes freed) of each.

    A parent refuses to go while a child exists (409), so passes repeat while they make
    progress; what stays in use (another image shares the layer) keeps its row for a later
    pass, and an image already gone loses its row."""
    pending = list(image_ids if image_ids is not None else await recorded(store, owner))
    done: list[str] = []
    removed: list[tuple[str, int]] = []
    while pending:
        left: list[str] = []
        for image_id in pending:
            outcome, found = await _remove_one(engine, owner, image_id, untagged_only)
            if outcome == "kept":
                left.append(image_id)
                continue
            if found is not None:
                removed.append(found)
            done.append(image_id)
        if len(left) == len(pending):
            break
        pending = left
    await forget(store, owner, done)
    return removed


async def _remove_one(
    engine: Engine, owner: str, image_id: str, untagged_only: bool
) -> tuple[str, tuple[str, int] | None]:
    """removed | gone (or not ours: its row can go) | kept (named, in use, or the engine
    failed), with (id, bytes freed) when removed."""
    try:
        async with asyncio.timeout(CALL_TIMEOUT_S):
            found = await engine.get(f"images/{image_id}/json")
            tags = found.get("RepoTags") or []
            if any(not tag.startswith(_prefix(owner)) for tag in tags):
                return "gone", None  # a shared image (a base): never ours to remove
            if tags and untagged_only:
                return "kept", None
            size = int(found.get("Size") or 0)
            if found.get("Parent"):
                with contextlib.suppress(aiodocker.DockerError):
                    parent = await engine.get(f"images/{found['Parent']}/json")
                    size -= int(parent.get("Size") or 0)
            await engine.delete(f"images/{found['Id']}")
        return "removed", (str(found["Id"]), max(size, 0))
    except aiodocker.DockerError as exc:
        if exc.status == 404:
            return "gone", None
        if exc.status != 409:
            log.warning("sandbox: could not remove image %s: %s", image_id, exc.message)
        return "kept", None
    except TimeoutError:
        log.warning("sandbox: removing image %s timed out", image_id)
        return "kept", None


async def purge_images(engine: Engine, store: Store, owner: str) -> int:
    """Every image of one student: their tags, then what their builds recorded."""
    untagged = await untag_all(engine, owner)
    return len(untagged) + len(await remove_recorded(engine, store, owner))
