"""A build-ready service for the build tests: a real engine, a workspace in memory, a cgroup
parent of this run's own (removed afterwards)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox.build import records
from moussaillon.sandbox.build.cgroups import ROOT, remove_caps
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import FAST

CGROUP_PARENT = f"mtest-build-{os.getpid()}"


class Files:
    """The FileSource protocol over a dict: what the workspace area gives in the app."""

    def __init__(self) -> None:
        self.trees: dict[int, dict[str, bytes]] = {}

    def put(self, user_id: int, files: Mapping[str, str | bytes]) -> None:
        self.trees[user_id] = {
            path: data.encode() if isinstance(data, str) else data for path, data in files.items()
        }

    async def snapshot(self, user_id: int) -> Mapping[str, bytes]:
        return dict(self.trees.get(user_id, {}))


def build_service(
    docker: aiodocker.Docker, images: dict[str, str], path: Path, **overrides: object
) -> tuple[SandboxService, Store, Files]:
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in images.items()),
        build_cgroup_parent=CGROUP_PARENT,
        **{**FAST, "build_timeout_s": 60, **overrides},  # type: ignore[arg-type]
    )
    store = Store(path / "moussaillon.db", migrations())
    files = Files()
    return SandboxService(settings, store, docker, files=files), store, files


@pytest.fixture(name="builder")
async def builder_fixture(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[SandboxService, Files]]:
    svc, store, files = build_service(docker, standin_images, tmp_path)
    try:
        yield svc, files
    finally:
        for owner in await records.owners(store):  # a failed test leaves nothing either
            await records.purge_images(svc.engine, store, owner)
        await svc.close()
        store.close()
        remove_caps(ROOT, "1", CGROUP_PARENT, svc.settings.build_concurrency)


SHOWN_ID = re.compile(r"(?: ---> |Successfully built )([0-9a-f]{12})\b")


def shown_ids(*outputs: str) -> set[str]:
    """Every image id a build printed (steps, cache hits, the result)."""
    return {found for text in outputs for found in SHOWN_ID.findall(text)}


async def left_of(docker: aiodocker.Docker, ids: set[str], bases: dict[str, str]) -> set[str]:
    """Those of ``ids`` still on the engine, the course's base images aside. The engine is
    shared with other runs, so a before/after diff of every image would see theirs too."""
    engine = Engine(docker)
    base_ids = set()
    for ref in bases.values():
        with contextlib.suppress(aiodocker.DockerError):
            base_ids.add((await engine.get(f"images/{ref}/json"))["Id"][7:19])
    present = {image["Id"][7:19] for image in await engine.get("images/json", params={"all": "1"})}
    return (ids & present) - base_ids
