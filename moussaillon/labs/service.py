"""Lab progress for each student: where they are, what they finished, when they may see a fix.

A step is done when the student says so or when its check passes on their sandbox. The
correction is a teaching tool, so it is held back until it helps: once the instructor releases
it for the student's class (``released`` hook), once the student has done every step, or always
when the deployment says so (``corrections_always``).

A lab with starter files puts them into the student's workspace the first time the student opens
it, never over a file the student already has (``LabView.seeded`` and ``kept`` say which, so
every transport can tell the student). On request the starter files go in again over the
student's copies (``seed_starter``, to start afresh), and so do the correction's files once the
correction may be seen (``load_correction``). Other files are never touched.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlite_utils import Database

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.errors import BadInput, MoussaillonError, NotFound
from moussaillon.core.i18n import t
from moussaillon.core.store import Store
from moussaillon.labs.checks import CheckResult, evaluate
from moussaillon.labs.files import NoWorkspace, WorkspaceSeeder, as_bytes
from moussaillon.labs.model import Correction, Lab, LabSet, SandboxLevel
from moussaillon.labs.state import SandboxState

Released = Callable[[int, str], Awaitable[bool]]
LabState = Literal["not_started", "in_progress", "done"]
OPEN_STEP_TTL = timedelta(hours=2)
"""How long after looking at a lab step a student's commands still offer to check it."""


class CorrectionLocked(MoussaillonError):
    status = 403


async def never_released(user_id: int, lab_id: str) -> bool:
    return False


class LabStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    lab_id: str
    title: str
    order: int
    sandbox: SandboxLevel
    state: LabState
    done: int
    total: int

    def label(self, lang: str | None = None) -> str:
        return t(f"labs.status.{self.state}", lang, done=self.done, total=self.total)


class LabView(BaseModel):
    """One step of one lab as a student sees it; never carries the correction."""

    model_config = ConfigDict(frozen=True)

    lab_id: str
    title: str
    objective: str
    sandbox: SandboxLevel
    limitations: str
    prerequisites: list[str]
    step: int
    total: int
    instruction: str
    checkable: bool
    done_steps: list[int]
    starter: list[str] = Field(default_factory=list, description="the lab's starter files")
    seeded: list[str] = Field(
        default_factory=list, description="files put into the workspace by this very call"
    )
    kept: list[str] = Field(
        default_factory=list, description="starter files not seeded: the student had their own"
    )

    @property
    def finished(self) -> bool:
        return len(self.done_steps) == self.total

    @property
    def step_done(self) -> bool:
        return self.step in self.done_steps


class OpenStep(BaseModel):
    """The lab step a student is working on, which their sandbox commands may complete."""

    model_config = ConfigDict(frozen=True)

    lab_id: str
    order: int
    title: str
    step: int


def _done_steps(db: Database, user_id: int, lab_id: str) -> list[int]:
    rows = db.execute(
        "SELECT step FROM lab_progress WHERE user_id = ? AND lab_id = ? AND done_at IS NOT NULL"
        " ORDER BY step",
        [user_id, lab_id],
    ).fetchall()
    return [row[0] for row in rows]


def _cursor(db: Database, user_id: int, lab_id: str) -> int | None:
    row = db.execute(
        "SELECT current_step FROM lab_runs WHERE user_id = ? AND lab_id = ?", [user_id, lab_id]
    ).fetchone()
    return row[0] if row else None


def _remember_containers(db: Database, user_id: int, state: SandboxState, now: str) -> set[str]:
    """Names removed or recreated since an earlier check (sticky), and record this state."""
    current = {c.name: c.id for c in state.containers if c.id}
    removed: set[str] = set()
    rows = db.execute(
        "SELECT name, container_id, removed FROM lab_seen_containers WHERE user_id = ?", [user_id]
    ).fetchall()
    for name, container_id, was_removed in rows:
        if was_removed or current.get(name) != container_id:
            removed.add(name)
    for name in removed:
        db.execute(
            "UPDATE lab_seen_containers SET removed = 1 WHERE user_id = ? AND name = ?",
            [user_id, name],
        )
    for name, container_id in current.items():
        db.execute(
            "INSERT INTO lab_seen_containers (user_id, name, container_id, removed, seen_at)"
            " VALUES (?, ?, ?, 0, ?) ON CONFLICT (user_id, name) DO UPDATE SET"
            " container_id = excluded.container_id, seen_at = excluded.seen_at",
            [user_id, name, container_id, now],
        )
    return removed


def _first_undone(lab: Lab, done: list[int], after: int = 0) -> int:
    total = len(lab.steps)
    for step in [*range(after + 1, total + 1), *range(1, after + 1)]:
        if step not in done:
            return step
    return total


class LabService:
    def __init__(
        self,
        store: Store,
        labs: LabSet,
        *,
        corrections_always: bool = False,
        released: Released = never_released,
        clock: Clock = utcnow,
        workspace: WorkspaceSeeder | None = None,
    ) -> None:
        self._workspace = workspace
        self._store = store
        self._labs = labs
        self._always = corrections_always
        self._released = released
        self._clock = clock

    @property
    def labs(self) -> LabSet:
        return self._labs

    def _step(self, lab_id: str, step: int) -> Lab:
        lab = self._labs.get(lab_id)
        if not 1 <= step <= len(lab.steps):
            raise NotFound("labs.step_not_found", lab_id=lab_id, step=step, count=len(lab.steps))
        return lab

    async def list_for(self, user_id: int) -> list[LabStatus]:
        def read(db: Database) -> tuple[dict[str, int], set[str]]:
            done = db.execute(
                "SELECT lab_id, COUNT(*) FROM lab_progress WHERE user_id = ?"
                " AND done_at IS NOT NULL GROUP BY lab_id",
                [user_id],
            ).fetchall()
            opened = db.execute("SELECT lab_id FROM lab_runs WHERE user_id = ?", [user_id])
            return {row[0]: row[1] for row in done}, {row[0] for row in opened.fetchall()}

        done, opened = await self._store.read(read)
        statuses = []
        for lab in self._labs:
            count, total = done.get(lab.id, 0), len(lab.steps)
            state: LabState = "not_started"
            if count >= total:
                state = "done"
            elif count or lab.id in opened:
                state = "in_progress"
            statuses.append(
                LabStatus(
                    lab_id=lab.id,
                    title=lab.title,
                    order=lab.order,
                    sandbox=lab.sandbox,
                    state=state,
                    done=min(count, total),
                    total=total,
                )
            )
        return statuses

    async def _view(
        self,
        user_id: int,
        lab: Lab,
        move: Callable[[int, list[int]], int],
        seeded: list[str] | None = None,
        kept: list[str] | None = None,
    ) -> LabView:
        """Read the cursor, let ``move`` pick the step to show, store it, build the view."""
        now = iso(self._clock())

        def write(db: Database) -> tuple[int, list[int]]:
            done = _done_steps(db, user_id, lab.id)
            current = _cursor(db, user_id, lab.id)
            step = move(current or _first_undone(lab, done), done)
            db.execute(
                "INSERT INTO lab_runs (user_id, lab_id, current_step, opened_at, hints, seen_at)"
                " VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (user_id, lab_id)"
                " DO UPDATE SET current_step = excluded.current_step, seen_at = excluded.seen_at",
                [user_id, lab.id, step, now, now],
            )
            return step, done

        step, done = await self._store.write(write)
        current = lab.steps[step - 1]
        return LabView(
            lab_id=lab.id,
            title=lab.title,
            objective=lab.objective,
            sandbox=lab.sandbox,
            limitations=lab.limitations,
            prerequisites=list(lab.prerequisites),
            step=step,
            total=len(lab.steps),
            instruction=current.instruction,
            checkable=current.check is not None,
            done_steps=done,
            starter=list(lab.starter),
            seeded=seeded or [],
            kept=kept or [],
        )

    async def open(self, user_id: int, lab_id: str) -> LabView:
        """The lab at the student's current step (the first step not done, on a first visit).

        On a first visit the starter files go into the workspace first: when they do not fit,
        the workspace's error reaches the student and the next visit tries again."""
        lab = self._labs.get(lab_id)
        seeded: list[str] = []
        kept: list[str] = []
        if lab.starter and self._workspace is not None:
            visited = await self._store.read(lambda db: _cursor(db, user_id, lab.id) is not None)
            if not visited:
                seeded = await self._seed(user_id, lab.starter, replace=False)
                kept = [path for path in lab.starter if path not in seeded]
        return await self._view(user_id, lab, lambda current, done: current, seeded, kept)

    async def _seed(self, user_id: int, files: dict[str, str], *, replace: bool) -> list[str]:
        if self._workspace is None:
            raise NoWorkspace("labs.no_workspace")
        return await self._workspace.seed(user_id, as_bytes(files), replace=replace)

    async def seed_starter(self, user_id: int, lab_id: str) -> list[str]:
        """The lab's starter files, put back into the workspace (the student's copies of the
        same names are overwritten, to start the lab again)."""
        lab = self._labs.get(lab_id)
        if not lab.starter:
            raise BadInput("labs.no_starter", title=lab.title)
        return await self._seed(user_id, lab.starter, replace=True)

    async def load_correction(self, user_id: int, lab_id: str) -> list[str]:
        """The correction's files into the workspace, over the student's files of the same
        names, under the same rules as ``correction``."""
        correction = await self.correction(user_id, lab_id)
        if not correction.files:
            raise BadInput("labs.no_correction_files", title=self._labs.get(lab_id).title)
        return await self._seed(user_id, correction.files, replace=True)

    async def go_to(self, user_id: int, lab_id: str, step: int) -> LabView:
        lab = self._step(lab_id, step)
        return await self._view(user_id, lab, lambda current, done: step)

    async def next_step(self, user_id: int, lab_id: str) -> LabView:
        lab = self._labs.get(lab_id)
        total = len(lab.steps)
        return await self._view(user_id, lab, lambda current, done: min(current + 1, total))

    async def hint(self, user_id: int, lab_id: str, step: int) -> str:
        lab = self._step(lab_id, step)
        now = iso(self._clock())
        await self._store.write(
            lambda db: db.execute(
                "INSERT INTO lab_runs (user_id, lab_id, current_step, opened_at, hints)"
                " VALUES (?, ?, ?, ?, 1) ON CONFLICT (user_id, lab_id)"
                " DO UPDATE SET hints = hints + 1",
                [user_id, lab_id, step, now],
            )
        )
        return lab.steps[step - 1].hint

    async def mark_done(self, user_id: int, lab_id: str, step: int) -> LabView:
        """Record the step as done and move on to the next step not done yet."""
        lab = self._step(lab_id, step)
        now = iso(self._clock())

        def record(db: Database) -> None:
            db.execute(
                "INSERT INTO lab_progress (user_id, lab_id, step, done_at, checks)"
                " VALUES (?, ?, ?, ?, 0) ON CONFLICT (user_id, lab_id, step)"
                " DO UPDATE SET done_at = COALESCE(done_at, excluded.done_at)",
                [user_id, lab_id, step, now],
            )

        await self._store.write(record)
        return await self._view(user_id, lab, lambda current, done: _first_undone(lab, done, step))

    async def check(
        self,
        user_id: int,
        lab_id: str,
        step: int,
        state: SandboxState,
        lang: str | None = None,
    ) -> CheckResult:
        """Evaluate the step's check on the student's sandbox; a pass marks the step done."""
        lab = self._step(lab_id, step)
        check = lab.steps[step - 1].check
        if check is None:
            raise BadInput("labs.step_without_check", step=step)
        now = iso(self._clock())

        def record(db: Database) -> CheckResult:
            seen = _remember_containers(db, user_id, state, now)
            merged = sorted({*state.removed_containers, *seen})
            result = evaluate(check, state.model_copy(update={"removed_containers": merged}), lang)
            missing = json.dumps([f.model_dump() for f in result.details if not f.ok])
            db.execute(
                "INSERT INTO lab_progress (user_id, lab_id, step, done_at, checks,"
                " last_check_at, last_check_ok, last_missing) VALUES (?, ?, ?, ?, 1, ?, ?, ?)"
                " ON CONFLICT (user_id, lab_id, step) DO UPDATE SET"
                " done_at = COALESCE(done_at, excluded.done_at), checks = checks + 1,"
                " last_check_at = excluded.last_check_at,"
                " last_check_ok = excluded.last_check_ok, last_missing = excluded.last_missing",
                [user_id, lab_id, step, now if result.ok else None, now, int(result.ok), missing],
            )
            db.table("lab_checks").insert(
                {
                    "user_id": user_id,
                    "lab_id": lab_id,
                    "step": step,
                    "ok": int(result.ok),
                    "checked_at": now,
                }
            )
            return result

        return await self._store.write(record)

    async def open_step(self, user_id: int) -> OpenStep | None:
        """The step to offer a check of under a command's answer: the step of the lab the
        student looked at last, within ``OPEN_STEP_TTL``, when it has a check and is not done."""
        since = iso(self._clock() - OPEN_STEP_TTL)

        def read(db: Database) -> tuple[str, int, bool] | None:
            row = db.execute(
                "SELECT r.lab_id, r.current_step, p.done_at IS NOT NULL FROM lab_runs r"
                " LEFT JOIN lab_progress p ON p.user_id = r.user_id AND p.lab_id = r.lab_id"
                " AND p.step = r.current_step WHERE r.user_id = ? AND r.seen_at >= ?"
                " ORDER BY r.seen_at DESC LIMIT 1",
                [user_id, since],
            ).fetchone()
            return (row[0], row[1], bool(row[2])) if row else None

        found = await self._store.read(read)
        if found is None or found[2]:
            return None
        lab_id, step, _ = found
        try:
            lab = self._step(lab_id, step)
        except NotFound:  # a lab or a step the sheets no longer have
            return None
        if lab.steps[step - 1].check is None:
            return None
        return OpenStep(lab_id=lab.id, order=lab.order, title=lab.title, step=step)

    async def status(self, user_id: int, lab_id: str) -> LabStatus:
        self._labs.get(lab_id)
        return next(s for s in await self.list_for(user_id) if s.lab_id == lab_id)

    async def correction(self, user_id: int, lab_id: str) -> Correction:
        lab = self._labs.get(lab_id)
        if self._always or await self._released(user_id, lab_id):
            return lab.correction
        done = await self._store.read(lambda db: _done_steps(db, user_id, lab_id))
        if len(done) >= len(lab.steps):
            return lab.correction
        raise CorrectionLocked(
            "labs.correction_locked", title=lab.title, done=len(done), total=len(lab.steps)
        )
