"""Commands through PracticeService leave their output for the checks; refusals leave nothing."""

from pathlib import Path

import aiodocker

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.labs.loader import load_labs
from moussaillon.labs.outputs import KEPT_CHARS, OutputJournal
from moussaillon.labs.practice import PracticeService
from moussaillon.labs.service import LabService
from moussaillon.sandbox.service import SandboxService


async def test_the_journal_keeps_the_latest_output_tail_per_student(tmp_path: Path) -> None:
    store = Store(tmp_path / "j.db", migrations())
    try:
        journal = OutputJournal(store)
        assert await journal.last(1) == ""
        await journal.record(1, "docker ps", "first")
        await journal.record(1, "docker ps -a", "x" * KEPT_CHARS + "tail")
        await journal.record(2, "docker images", "other")
        kept = await journal.last(1)
        assert kept.endswith("tail") and len(kept) == KEPT_CHARS
        assert await journal.last(2) == "other"
        assert await journal.last_entry(2) == ("docker images", "other")
        assert await journal.last_entry(3) == ("", "")
    finally:
        store.close()


async def test_run_records_what_ran_and_not_what_was_refused(
    tmp_path: Path, docker: aiodocker.Docker, standin_images: dict[str, str], clean_user_id: int
) -> None:
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        sandbox_timeout_s=25,
    )
    store = Store(tmp_path / "p.db", migrations())
    sandbox = SandboxService(settings, store, docker)
    journal = OutputJournal(store)
    labs = LabService(store, load_labs())
    practice = PracticeService(sandbox, labs, journal)
    try:
        ran = await practice.run(clean_user_id, "docker run --rm alpine echo bonjour")
        assert ran.output == "bonjour\n" and await journal.last(clean_user_id) == "bonjour\n"
        failed = await practice.run(clean_user_id, "docker volume rm absent")
        assert failed.exit_code != 0 and not failed.refused
        assert "absent" in await journal.last(clean_user_id)  # errors are output too
        refused = await practice.run(clean_user_id, "docker run --privileged alpine")
        assert refused.refused
        assert "absent" in await journal.last(clean_user_id)
    finally:
        await sandbox.close()
        store.close()


async def test_checks_count_the_containers_the_student_sees_not_volume_keepers(
    tmp_path: Path, docker: aiodocker.Docker, standin_images: dict[str, str], clean_user_id: int
) -> None:
    from moussaillon.labs.checks import evaluate, parse_check
    from moussaillon.labs.snapshot import snapshot

    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        sandbox_timeout_s=25,
    )
    store = Store(tmp_path / "k.db", migrations())
    sandbox = SandboxService(settings, store, docker)
    try:
        made = await sandbox.run_command(clean_user_id, "docker volume create donnees")
        assert made.exit_code == 0, made
        state = await snapshot(sandbox, clean_user_id)
        assert state.containers == [] and state.volumes == ["donnees"]
        assert evaluate(parse_check({"containers_count": 0, "all": True}), state).ok
        removed = await sandbox.run_command(clean_user_id, "docker volume rm donnees")
        assert removed.exit_code == 0, removed
        after = await snapshot(sandbox, clean_user_id)
        assert after.removed_containers == []  # the keeper went with its volume, unseen
    finally:
        await sandbox.close()
        store.close()
