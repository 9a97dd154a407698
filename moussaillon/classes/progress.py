"""What a student (or a whole class) has done: sections read, quiz accuracy, labs, sandbox use.

The quiz, lab and sandbox tables belong to other areas and may not exist in every deployment
(or yet): a missing table counts as nothing done rather than an error.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlite_utils import Database

from moussaillon.content.model import Course
from moussaillon.core.store import Store
from moussaillon.labs.model import LabSet


class ChapterRead(BaseModel):
    chapter_id: str
    title: str
    read: int
    total: int


class StudentProgress(BaseModel):
    user_id: int
    name: str = ""
    chapters: list[ChapterRead]
    sections_read: int
    sections_total: int
    quiz_answers: int
    quiz_correct: int
    labs_done: int
    labs_total: int
    steps_done: int
    steps_total: int
    sandbox_commands: int
    last_activity: str | None = None


def _has(db: Database, table: str) -> bool:
    return db[table].exists()


def _grouped(db: Database, table: str, sql: str, users: list[int]) -> dict[int, tuple]:
    if not users or not _has(db, table):
        return {}
    marks = ",".join("?" * len(users))
    return {row[0]: row[1:] for row in db.execute(sql.format(users=marks), users).fetchall()}


class ProgressReader:
    def __init__(self, store: Store, course: Course, labs: LabSet) -> None:
        self._store = store
        self._course = course
        self._labs = labs
        self._chapter_of = {s.id: c.id for c in course.chapters for s in c.sections}

    async def student(self, user_id: int) -> StudentProgress:
        return (await self._store.read(lambda db: self._read(db, [user_id])))[0]

    async def students(self, user_ids: list[int]) -> list[StudentProgress]:
        return await self._store.read(lambda db: self._read(db, user_ids))

    async def of_class(self, class_id: int) -> list[StudentProgress]:
        def read(db: Database) -> list[StudentProgress]:
            users = [r[0] for r in db.execute(
                "SELECT user_id FROM class_members WHERE class_id = ? ORDER BY joined_at, user_id",
                [class_id]).fetchall()]
            return self._read(db, users)

        return await self._store.read(read)

    def _read(self, db: Database, users: list[int]) -> list[StudentProgress]:
        marks = ",".join("?" * len(users))
        views: dict[int, set[str]] = {u: set() for u in users}
        last: dict[int, list[str]] = {u: [] for u in users}
        if users:
            for user_id, section_id, seen in db.execute(
                f"SELECT user_id, section_id, MAX(viewed_at) FROM section_views"
                f" WHERE user_id IN ({marks}) GROUP BY user_id, section_id", users
            ).fetchall():
                views[user_id].add(section_id)
                last[user_id].append(seen)
        names = _grouped(db, "users", "SELECT id, first_name, username FROM users"
                         " WHERE id IN ({users})", users)
        quiz = _grouped(db, "quiz_attempts", "SELECT user_id, COUNT(*), SUM(correct),"
                        " MAX(answered_at) FROM quiz_attempts WHERE user_id IN ({users})"
                        " GROUP BY user_id", users)
        sandbox = _grouped(db, "sandbox_commands", "SELECT user_id, COUNT(*), MAX(created_at)"
                           " FROM sandbox_commands WHERE user_id IN ({users}) GROUP BY user_id",
                           users)
        steps: dict[int, dict[str, int]] = {u: {} for u in users}
        if users and _has(db, "lab_progress"):
            for user_id, lab_id, done, seen in db.execute(
                f"SELECT user_id, lab_id, COUNT(done_at), MAX(COALESCE(last_check_at, done_at))"
                f" FROM lab_progress WHERE user_id IN ({marks}) GROUP BY user_id, lab_id", users
            ).fetchall():
                steps[user_id][lab_id] = done
                if seen:
                    last[user_id].append(seen)
        lab_steps = {lab.id: len(lab.steps) for lab in self._labs}
        result = []
        for user_id in users:
            read = views[user_id]
            q = quiz.get(user_id, (0, 0, None))
            s = sandbox.get(user_id, (0, None))
            stamps = [x for x in (*last[user_id], q[2], s[1]) if x]
            name = names.get(user_id, ("", None))
            done = steps[user_id]
            result.append(StudentProgress(
                user_id=user_id,
                name=name[0] or (f"@{name[1]}" if name[1] else str(user_id)),
                chapters=[ChapterRead(chapter_id=c.id, title=c.title,
                                      read=sum(1 for x in c.sections if x.id in read),
                                      total=len(c.sections)) for c in self._course.chapters],
                sections_read=sum(1 for x in read if x in self._chapter_of),
                sections_total=len(self._chapter_of),
                quiz_answers=q[0] or 0,
                quiz_correct=q[1] or 0,
                labs_done=sum(1 for lab, n in done.items() if n >= lab_steps.get(lab, 10**9)),
                labs_total=len(lab_steps),
                steps_done=sum(n for lab, n in done.items() if lab in lab_steps),
                steps_total=sum(lab_steps.values()),
                sandbox_commands=s[0] or 0,
                last_activity=max(stamps) if stamps else None,
            ))
        return result


def bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


CSV_FIELDS = ("user_id", "name", "sections_read", "sections_total", "quiz_answers",
              "quiz_correct", "labs_done", "labs_total", "steps_done", "steps_total",
              "sandbox_commands", "last_activity")


def to_csv(rows: list[StudentProgress]) -> str:
    import csv
    import io

    out = io.StringIO()
    chapters = [c.chapter_id for c in rows[0].chapters] if rows else []
    writer = csv.writer(out)
    writer.writerow([*CSV_FIELDS, *(f"chapter:{c}" for c in chapters)])
    for row in rows:
        data = row.model_dump()
        writer.writerow([*(data[f] if data[f] is not None else "" for f in CSV_FIELDS),
                         *(f"{c.read}/{c.total}" for c in row.chapters)])
    return out.getvalue()
