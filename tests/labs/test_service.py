"""LabService on a real SQLite file: open, hint, done, check, and when a correction is shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from moussaillon.core.errors import BadInput, NotFound
from moussaillon.core.store import Store
from moussaillon.labs.files import NoWorkspace
from moussaillon.labs.loader import load_labs
from moussaillon.labs.schema import MIGRATIONS
from moussaillon.labs.service import OPEN_STEP_TTL, CorrectionLocked, LabService
from moussaillon.labs.state import ContainerState, SandboxState

LABS = load_labs()
NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "labs.db", [MIGRATIONS])
    yield opened
    opened.close()


def service(store: Store, **options: object) -> LabService:
    return LabService(store, LABS, clock=lambda: NOW, **options)  # type: ignore[arg-type]


async def test_open_hint_done_and_list(store: Store) -> None:
    labs = service(store)
    assert {s.state for s in await labs.list_for(1)} == {"not_started"}
    view = await labs.open(1, "premiers-conteneurs")
    assert (view.step, view.total, view.done_steps) == (1, 4, [])
    assert view.checkable and "hello-world" in view.instruction
    assert "correction" not in view.model_dump()
    assert (
        await labs.hint(1, "premiers-conteneurs", 1)
        == LABS.get("premiers-conteneurs").steps[0].hint
    )
    after = await labs.mark_done(1, "premiers-conteneurs", 1)
    assert (after.step, after.done_steps) == (2, [1])
    status = await labs.status(1, "premiers-conteneurs")
    assert (status.state, status.done, status.total) == ("in_progress", 1, 4)
    assert status.label("fr") == "en cours 1/4"
    assert (await labs.open(1, "premiers-conteneurs")).step == 2
    assert (await labs.status(2, "premiers-conteneurs")).state == "not_started"
    opened_only = await labs.open(1, "lamp")
    assert opened_only.step == 1 and (await labs.status(1, "lamp")).state == "in_progress"


async def test_next_step_stops_at_the_last_one(store: Store) -> None:
    labs = service(store)
    steps = [(await labs.next_step(3, "reseau-hote")).step for _ in range(5)]
    assert steps == [2, 3, 4, 4, 4]
    assert (await labs.go_to(3, "reseau-hote", 1)).step == 1


async def test_a_passing_check_marks_the_step_done_a_failing_one_does_not(store: Store) -> None:
    labs = service(store)
    empty = SandboxState()
    result = await labs.check(5, "creer-un-reseau", 2, empty, "fr")
    assert not result.ok
    assert result.missing == ["Aucun conteneur nommé « nginx » (pensez à --name nginx)."]
    assert (await labs.status(5, "creer-un-reseau")).done == 0
    nginx = ContainerState(name="nginx", image="nginx", networks=["test-nginx"])
    result = await labs.check(5, "creer-un-reseau", 2, SandboxState(containers=[nginx]))
    assert result.ok
    assert (await labs.open(5, "creer-un-reseau")).done_steps == [2]
    rows = store.read_sync(
        lambda db: list(db.query("SELECT * FROM lab_progress WHERE user_id = 5"))
    )
    assert len(rows) == 1
    assert (rows[0]["checks"], rows[0]["last_check_ok"], rows[0]["done_at"]) == (
        2,
        1,
        "2026-03-12T09:00:00+00:00",
    )
    attempts = store.read_sync(lambda db: db["lab_checks"].count_where("user_id = 5"))
    assert attempts == 2


async def test_steps_without_check_and_unknown_steps(store: Store) -> None:
    labs = service(store)
    with pytest.raises(BadInput) as caught:
        await labs.check(1, "demo-kubernetes", 1, SandboxState())
    assert "ne se vérifie pas automatiquement" in caught.value.message("fr")
    with pytest.raises(NotFound) as missing_step:
        await labs.mark_done(1, "lamp", 9)
    assert missing_step.value.message("en") == "Lab “lamp” has no step 9 (it has 8)."
    with pytest.raises(NotFound):
        await labs.open(1, "inconnu")


async def test_correction_only_after_every_step_or_when_released(store: Store) -> None:
    labs = service(store)
    with pytest.raises(CorrectionLocked) as caught:
        await labs.correction(7, "reseau-hote")
    assert "terminez toutes les étapes (0/4)" in caught.value.message("fr")
    for step in (1, 2, 3):
        await labs.mark_done(7, "reseau-hote", step)
    with pytest.raises(CorrectionLocked):
        await labs.correction(7, "reseau-hote")
    await labs.mark_done(7, "reseau-hote", 4)
    correction = await labs.correction(7, "reseau-hote")
    assert correction.commands[0] == "ip a"
    assert (await labs.status(7, "reseau-hote")).state == "done"

    async def released(user_id: int, lab_id: str) -> bool:
        return user_id == 8 and lab_id == "lamp"

    hooked = service(store, released=released)
    assert (await hooked.correction(8, "lamp")).commands
    with pytest.raises(CorrectionLocked):
        await hooked.correction(9, "lamp")
    assert (await service(store, corrections_always=True).correction(9, "lamp")).commands


async def test_marking_twice_keeps_the_first_date(store: Store) -> None:
    first = service(store)
    await first.mark_done(4, "lamp", 2)
    later = LabService(store, LABS, clock=lambda: datetime(2027, 1, 1, tzinfo=UTC))
    await later.mark_done(4, "lamp", 2)
    dates = store.read_sync(
        lambda db: [r["done_at"] for r in db.query("SELECT done_at FROM lab_progress")]
    )
    assert dates == ["2026-03-12T09:00:00+00:00"]


async def test_a_recreated_container_is_recognised_from_one_check_to_the_next(store: Store) -> None:
    """Without engine events, the ids seen by earlier checks tell a recreated database apart."""
    labs = service(store)
    points = {"container": "database", "path": "/var/lib/mysql/points.txt", "content": "point 1"}
    volume = {"volumes": ["databasedata"], "files": [points]}
    mount = [{"name": "databasedata", "target": "/var/lib/mysql"}]
    first = ContainerState.model_validate(
        {"name": "database", "id": "aaa", "image": "busybox", "networks": ["lamp"], "mounts": mount}
    )
    state = SandboxState.model_validate({**volume, "containers": [first]})
    assert (await labs.check(6, "lamp", 6, state)).ok
    untouched = await labs.check(6, "lamp", 8, state)
    assert untouched.missing == [
        "Le conteneur « database » n'a pas encore été supprimé : supprimez-le, "
        "le volume « databasedata » doit lui survivre."
    ]
    recreated = SandboxState.model_validate(
        {**volume, "containers": [first.model_copy(update={"id": "bbb"})]}
    )
    assert (await labs.check(6, "lamp", 8, recreated)).ok
    assert (await labs.check(6, "lamp", 8, recreated)).ok, "the removal is remembered"
    assert not (await labs.check(7, "lamp", 8, recreated)).ok, "per student"


async def test_open_step_is_the_last_looked_at_checkable_step_not_done(store: Store) -> None:
    now = [NOW]
    labs = LabService(store, LABS, clock=lambda: now[0])
    assert await labs.open_step(1) is None  # never opened a lab
    await labs.open(1, "premiers-conteneurs")
    step = await labs.open_step(1)
    assert step is not None and (step.lab_id, step.order, step.step) == (
        "premiers-conteneurs",
        1,
        1,
    )
    now[0] += timedelta(minutes=1)
    await labs.open(1, "lamp")  # the lab looked at last wins
    lamp_step = LABS.get("lamp").steps[0]
    found = await labs.open_step(1)
    assert (found.lab_id if found else None) == ("lamp" if lamp_step.check else None)
    now[0] += timedelta(minutes=1)
    await labs.mark_done(1, "premiers-conteneurs", 1)  # moves on to step 2, checkable
    assert (await labs.open_step(1)).step == 2  # type: ignore[union-attr]
    await labs.go_to(1, "premiers-conteneurs", 1)  # back on a step already done
    assert await labs.open_step(1) is None
    await labs.go_to(1, "premiers-conteneurs", 2)
    now[0] += OPEN_STEP_TTL + timedelta(seconds=1)  # left alone for a whole session
    assert await labs.open_step(1) is None
    assert await labs.open_step(2) is None  # another student's labs are not theirs


def test_find_takes_the_listed_number_or_the_id() -> None:
    assert LABS.find("1").id == LABS.find("premiers-conteneurs").id == LABS.find(" 1. ").id
    assert LABS.find("PREMIERS-CONTENEURS").order == 1
    for wrong in ("0", "99", "tp", "9" * 5000):
        with pytest.raises(NotFound):
            LABS.find(wrong)


class RecordingWorkspace:
    """A workspace that keeps what it is given, with the seeding contract of WorkspaceService:
    limits checked before anything is written (here: a full workspace refuses everything),
    without ``replace`` only new paths written, with it these paths overwritten."""

    def __init__(self, full: bool = False) -> None:
        self.files: dict[int, dict[str, bytes]] = {}
        self.full = full

    async def seed(self, user_id: int, files, *, replace: bool = False) -> list[str]:
        if self.full:
            raise BadInput("labs.no_starter", title="workspace full")
        mine = self.files.setdefault(user_id, {})
        written = sorted(path for path in files if replace or path not in mine)
        mine.update({path: files[path] for path in written})
        return written


async def test_a_build_lab_seeds_its_starter_files_on_the_first_visit_only(store: Store) -> None:
    workspace = RecordingWorkspace()
    labs = service(store, workspace=workspace)
    first = await labs.open(4, "programme-c")
    assert first.seeded == first.starter == ["prime.c"]
    assert workspace.files[4]["prime.c"].startswith(b"/* prime:")
    workspace.files[4]["prime.c"] = b"my own edits"
    again = await labs.open(4, "programme-c")
    assert again.seeded == [] and again.starter == ["prime.c"]
    assert workspace.files[4]["prime.c"] == b"my own edits"
    assert await labs.seed_starter(4, "programme-c") == ["prime.c"]
    assert workspace.files[4]["prime.c"].startswith(b"/* prime:")
    assert (await labs.open(4, "lamp")).seeded == []  # no files: nothing written
    assert set(workspace.files) == {4}
    workspace.files[5] = {"prime.c": b"from an earlier try"}
    kept = await labs.open(5, "programme-c")
    assert (kept.seeded, kept.kept) == ([], ["prime.c"])
    assert workspace.files[5]["prime.c"] == b"from an earlier try"
    with pytest.raises(BadInput) as none:
        await labs.seed_starter(4, "lamp")
    assert "ne fournit pas de fichiers de départ" in none.value.message("fr")


async def test_a_full_workspace_leaves_the_lab_unvisited_so_the_next_visit_tries_again(
    store: Store,
) -> None:
    workspace = RecordingWorkspace(full=True)
    labs = service(store, workspace=workspace)
    with pytest.raises(BadInput):
        await labs.open(6, "image-nodejs")
    assert (await labs.status(6, "image-nodejs")).state == "not_started"
    workspace.full = False
    view = await labs.open(6, "image-nodejs")
    assert view.seeded == ["package-lock.json", "package.json", "server.js"]


async def test_the_correction_files_load_only_when_the_correction_may_be_seen(
    store: Store,
) -> None:
    workspace = RecordingWorkspace()
    labs = service(store, workspace=workspace)
    await labs.open(8, "atelier-dockerfile")
    with pytest.raises(CorrectionLocked):
        await labs.load_correction(8, "atelier-dockerfile")
    assert ".dockerignore" not in workspace.files[8]
    for step in range(1, 6):
        await labs.mark_done(8, "atelier-dockerfile", step)
    workspace.files[8]["Dockerfile"] = b"FROM alpine\n# my attempt"
    loaded = await labs.load_correction(8, "atelier-dockerfile")
    assert loaded == [".dockerignore", "Dockerfile", "veilleur.sh"]
    assert b"USER nobody" in workspace.files[8]["Dockerfile"]  # the correction replaces it
    assert "notes.txt" in workspace.files[8]  # the student's other files stay
    released = service(store, workspace=workspace, corrections_always=True)
    assert "Dockerfile.scratch" in await released.load_correction(9, "programme-c")
    with pytest.raises(BadInput):
        await released.load_correction(9, "reseau-hote")  # a correction made of commands


async def test_without_a_workspace_labs_open_and_files_are_refused(store: Store) -> None:
    labs = service(store)
    view = await labs.open(10, "programme-c")
    assert view.seeded == [] and view.starter == ["prime.c"]
    with pytest.raises(NoWorkspace) as caught:
        await labs.seed_starter(10, "programme-c")
    assert caught.value.status == 503
