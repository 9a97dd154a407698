"""The compose lab, every step, on the real engine with the Debian-based images: the starter
files seeded, the correction's compose.yaml loaded, each step's commands typed (``docker compose
up -d`` builds the site through the build path, waits for MariaDB's health) and each check run.

MariaDB gets the sandbox's default 128 MB (not the fast tests' 64). A missing image fails the
test, never skips (``debian_images``)."""

from __future__ import annotations

from pathlib import Path

import aiodocker

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.labs.loader import load_labs
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService
from moussaillon.sandbox.service import SandboxService
from tests.labs.test_build_labs import FAST, allowlist, make_workspace, run

LAB = next(lab for lab in load_labs() if lab.id == "lamp-compose")


async def test_the_compose_lab_is_done_and_checked_in_the_sandbox(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    debian_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    images = allowlist(standin_images, debian_images)
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in images.items()),
        **FAST,  # type: ignore[arg-type]
    )
    store = Store(tmp_path / "compose-lab.db", migrations())
    workspace = make_workspace(settings, store)
    sandbox = SandboxService(settings, store, docker, files=workspace)
    labs = LabService(store, load_labs(), corrections_always=True, workspace=workspace)
    practice = PracticeService(sandbox, labs, OutputJournal(store))
    user_id = clean_user_id
    try:
        view = await labs.open(user_id, LAB.id)
        assert view.seeded == sorted(LAB.starter), view
        # the starter file alone: db has no volume yet, step 1 does not tick
        await labs.load_correction(user_id, LAB.id)
        for number, step in enumerate(LAB.steps, start=1):
            for line in step.sandbox_commands:
                result = await run(practice, user_id, line)
                for _ in range(20):  # Apache may still be starting: tried again, as a student would
                    if "alpine/curl" not in line or "premier" in result.output:
                        break
                    result = await run(practice, user_id, line)
                assert not result.refused and result.exit_code == 0, (number, line, result)
            verdict = await practice.check(user_id, LAB.id, number, "en")
            assert verdict.ok, (number, verdict.missing, result.output[-3000:])
        assert (await labs.status(user_id, LAB.id)).state == "done"
        ps = await sandbox.run_command(user_id, "docker ps --format '{{.Names}}'", lang="en")
        assert sorted(ps.output.split()) == ["lamp-db-1", "lamp-web-1"]
        down = await sandbox.run_command(user_id, "docker compose down -v", lang="en")
        assert 'Volume "lamp_donnees"  Removed' in down.output, down
    finally:
        await sandbox.reset(user_id)
        await workspace.reset(user_id)
        await sandbox.close()
        store.close()
