"""The five build labs, every step, on the real engine: the student's workspace seeded with the
lab's starter files, then the correction's files loaded, then each step's commands typed into
the sandbox (``docker build`` included) and the step's check run on what they left.

It needs the whole build chain: the workspace (``WorkspaceService``), ``docker build`` in the
sandbox with the workspace as its file source, the read model of the student's images
(``Inventory.built``) and the Debian-based bases that ``moussaillon sandbox prepare --offline``
makes (``debian:12-slim``, ``gcc``, ``node:20``, ``php:8.2-apache``: the ``debian_images``
fixture of ``tests/sandbox/conftest.py``) beside the busybox stand-ins. A missing base fails
the test, never skips.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.labs.loader import load_labs
from moussaillon.labs.model import Lab
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService
from moussaillon.sandbox.service import CommandResult, SandboxService
from tests.labs.walkthrough_plan import edits

if TYPE_CHECKING:
    from moussaillon.workspace.service import WorkspaceService

BUILD_LABS = [
    lab for lab in load_labs() if lab.starter and lab.id != "lamp-compose"
]  # its own test
FAST = {
    "sandbox_timeout_s": 60,
    "sandbox_stop_s": 1,
    "sandbox_commands_per_minute": 6000,
    "sandbox_burst": 1000,
}
FROM = re.compile(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", re.I | re.M)


def test_the_five_build_labs_are_walked() -> None:
    assert [lab.id for lab in BUILD_LABS] == [
        "dockerfile-cartopoint",
        "atelier-dockerfile",
        "image-nodejs",
        "programme-c",
        "libreqr",
    ]


def test_each_corrected_file_is_written_at_the_step_that_names_it() -> None:
    """The chat and REST walks write a file at the step that names it (``walkthrough_plan``)."""
    by_lab = {lab.id: [sorted(files) for files in edits(lab)] for lab in BUILD_LABS}
    assert by_lab["dockerfile-cartopoint"] == [["Dockerfile"], [], [], ["site/index.html"]]
    assert by_lab["programme-c"] == [
        ["Dockerfile"],
        ["Dockerfile.multi"],
        ["Dockerfile.scratch"],
        [],
    ]
    assert by_lab["atelier-dockerfile"][2] == [".dockerignore"]


def test_a_corrected_file_no_step_names_is_reported() -> None:
    lab = next(lab for lab in BUILD_LABS if lab.id == "programme-c")
    silent = [step.model_copy(update={"hint": "…", "instruction": "…"}) for step in lab.steps]
    with pytest.raises(AssertionError, match=r"Dockerfile\.multi"):
        edits(lab.model_copy(update={"steps": silent}))


def make_workspace(settings: Settings, store: Store) -> WorkspaceService:
    from moussaillon.workspace.service import WorkspaceService

    return WorkspaceService(settings, store)


def allowlist(standin_images: dict[str, str], debian_images: dict[str, str]) -> dict[str, str]:
    """The deployment's default allowlist, the busybox stand-ins and the Debian-based bases."""
    return {**Settings().sandbox_images, **standin_images, **debian_images}


def needed_bases(lab: Lab) -> list[str]:
    """The images a lab's correction builds on (its FROM lines) and runs (alpine/curl)."""
    needed: list[str] = []
    for path, text in lab.correction.files.items():
        if not path.startswith("Dockerfile"):
            continue
        stages = set()
        for base, stage in FROM.findall(text):
            if base != "scratch" and base not in stages:
                needed.append(base)
            stages.add(stage)
    commands = [line for step in lab.steps for line in step.sandbox_commands]
    needed += ["alpine/curl"] if any("alpine/curl" in line for line in commands) else []
    return sorted(set(needed))


def test_the_bases_of_the_c_lab_are_read_from_its_dockerfiles() -> None:
    c_lab = next(lab for lab in BUILD_LABS if lab.id == "programme-c")
    assert needed_bases(c_lab) == ["debian:12-slim", "gcc"]


async def missing_bases(docker: aiodocker.Docker, images: dict[str, str], lab: Lab) -> list[str]:
    missing = []
    for name in needed_bases(lab):
        ref = images.get(name) or images.get(name.split(":")[0])
        try:
            if ref is None:
                raise LookupError(name)
            await docker.images.inspect(ref)
        except (aiodocker.DockerError, LookupError):
            missing.append(name)
    return missing


CONNECTION_REFUSED = 7  # curl's exit code while the server is still starting


async def run(practice: PracticeService, user_id: int, line: str) -> CommandResult:
    """A probe right after ``docker run -d`` may find the server still starting (Node.js
    takes a moment): tried again a few times, as a student would."""
    result = await practice.run(user_id, line, "en")
    for _ in range(10):
        if "alpine/curl" not in line or result.exit_code != CONNECTION_REFUSED:
            break
        await asyncio.sleep(1)
        result = await practice.run(user_id, line, "en")
    return result


async def walk(
    lab: Lab,
    user_id: int,
    practice: PracticeService,
    labs: LabService,
    workspace: WorkspaceService,
) -> None:
    view = await labs.open(user_id, lab.id)
    assert view.seeded == sorted(lab.starter), view
    files = await workspace.snapshot(user_id)
    assert {path: files[path] for path in lab.starter} == {
        path: text.encode() for path, text in lab.starter.items()
    }
    loaded = await labs.load_correction(user_id, lab.id)
    assert sorted(loaded) == sorted(lab.correction.files)
    for number, step in enumerate(lab.steps, start=1):
        for line in step.sandbox_commands:
            result = await run(practice, user_id, line)
            assert not result.refused and result.exit_code == 0, (lab.id, number, line, result)
        verdict = await practice.check(user_id, lab.id, number, "en")
        assert verdict.ok, (lab.id, number, verdict.missing, result.output[-3000:])
    assert (await labs.status(user_id, lab.id)).state == "done"


@pytest.mark.parametrize("lab", BUILD_LABS, ids=[lab.id for lab in BUILD_LABS])
async def test_every_step_of_a_build_lab_is_done_and_checked_in_the_sandbox(
    lab: Lab,
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    debian_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    images = allowlist(standin_images, debian_images)
    missing = await missing_bases(docker, images, lab)
    assert not missing, (
        f"bases missing on the engine: {missing}; run: moussaillon sandbox prepare --offline"
    )
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in images.items()),
        **FAST,  # type: ignore[arg-type]
    )
    store = Store(tmp_path / "build-labs.db", migrations())
    workspace = make_workspace(settings, store)
    sandbox = SandboxService(settings, store, docker, files=workspace)
    labs = LabService(store, load_labs(), corrections_always=True, workspace=workspace)
    practice = PracticeService(sandbox, labs, OutputJournal(store))
    try:
        await walk(lab, clean_user_id, practice, labs, workspace)
    finally:
        await sandbox.reset(clean_user_id)  # the student's images and containers too
        await workspace.reset(clean_user_id)
        await sandbox.close()
        store.close()


async def test_a_step_does_not_tick_on_an_image_that_was_not_built(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    """The check reads the real engine: the same name, tagged from a shared image, fails what
    only a build shows; built from the Dockerfile, it passes."""
    images = {**Settings().sandbox_images, **standin_images}
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in images.items()),
        **FAST,  # type: ignore[arg-type]
    )
    store = Store(tmp_path / "tagged.db", migrations())
    workspace = make_workspace(settings, store)
    sandbox = SandboxService(settings, store, docker, files=workspace)
    labs = LabService(store, load_labs(), workspace=workspace)
    practice = PracticeService(sandbox, labs, OutputJournal(store))
    user_id = clean_user_id
    try:
        await labs.open(user_id, "atelier-dockerfile")
        tagged = await practice.run(user_id, "docker tag alpine veilleur:1", "en")
        assert tagged.exit_code == 0, tagged
        await practice.run(user_id, "docker history veilleur:1", "en")
        result = await practice.check(user_id, "atelier-dockerfile", 1, "en")
        assert not result.ok
        assert any("was not built here" in text for text in result.missing), result.missing
        built = await practice.run(user_id, "docker build -t veilleur:1 .", "en")
        assert built.exit_code == 0, built
        await practice.run(user_id, "docker history veilleur:1", "en")
        assert (await practice.check(user_id, "atelier-dockerfile", 1, "en")).ok
        # the seeded notes.txt went into the image: step 3 fails until a .dockerignore exists
        await practice.run(user_id, "docker run --rm veilleur:1 ls /app", "en")
        early = await practice.check(user_id, "atelier-dockerfile", 3, "en")
        assert not early.ok and any("notes.txt" in text for text in early.missing)
    finally:
        await sandbox.reset(user_id)
        await workspace.reset(user_id)
        await sandbox.close()
        store.close()
