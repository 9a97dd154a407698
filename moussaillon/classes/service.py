"""Classes and their members: create, join by code, link groups, rename, close, leave.

A student belongs to one open class at a time (joining another moves them), which keeps every
"your class" in the bot unambiguous. An instructor's commands act on their most recent open
class. Lab-correction releases are per class; ``released`` is the hook ``LabService`` calls.
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel
from sqlite_utils import Database

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.errors import BadInput, MoussaillonError, NotFound
from moussaillon.core.store import Store, insert_row

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
CODE_LENGTH = 8
NAME_MAX = 80
QUOTES = "\"'`«»“”„‘’‹›"


class Forbidden(MoussaillonError):
    status = 403


class ClassInfo(BaseModel):
    id: int
    name: str
    code: str
    instructor_id: int
    created_at: str
    closed_at: str | None = None
    members: int = 0
    groups: int = 0

    @property
    def open(self) -> bool:
        return self.closed_at is None


class Member(BaseModel):
    user_id: int
    first_name: str = ""
    username: str | None = None
    joined_at: str


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_name(name: str) -> str:
    """One line, no quotes around it: ``/classe_creer "BTS SIO 2`` (a stray quote, or quotes
    typed as if the command wanted them) names the class ``BTS SIO 2``."""
    name = " ".join(name.split()).strip(QUOTES + " ")
    if not name:
        raise BadInput("classes.name_missing")
    if len(name) > NAME_MAX:
        raise BadInput("classes.name_too_long", max=NAME_MAX)
    return name


_CLASS_SQL = (
    "SELECT c.id, c.name, c.code, c.instructor_id, c.created_at, c.closed_at,"
    " (SELECT COUNT(*) FROM class_members m WHERE m.class_id = c.id),"
    " (SELECT COUNT(*) FROM class_groups g WHERE g.class_id = c.id) FROM classes c"
)
_FIELDS = ("id", "name", "code", "instructor_id", "created_at", "closed_at", "members", "groups")


def _rows(db: Database, where: str, params: list) -> list[ClassInfo]:
    rows = db.execute(f"{_CLASS_SQL} WHERE {where} ORDER BY c.id DESC", params).fetchall()
    return [ClassInfo(**dict(zip(_FIELDS, row, strict=True))) for row in rows]


def _refuse_twin(db: Database, instructor_id: int, name: str, but: int = 0) -> None:
    names = db.execute(
        "SELECT name FROM classes WHERE instructor_id = ? AND closed_at IS NULL AND id != ?",
        [instructor_id, but],
    ).fetchall()
    if any(row[0].casefold() == name.casefold() for row in names):
        raise BadInput("classes.name_taken")


class ClassService:
    def __init__(self, store: Store, *, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    # -- reading -------------------------------------------------------------------------

    async def get(self, class_id: int) -> ClassInfo:
        found = await self._store.read(lambda db: _rows(db, "c.id = ?", [class_id]))
        if not found:
            raise NotFound("classes.unknown")
        return found[0]

    async def owned(self, class_id: int, instructor_id: int) -> ClassInfo:
        """The class, if this instructor runs it; the same 404 otherwise (no probing ids)."""
        info = await self.get(class_id)
        if info.instructor_id != instructor_id:
            raise NotFound("classes.unknown")
        return info

    async def of_instructor(self, instructor_id: int) -> list[ClassInfo]:
        return await self._store.read(lambda db: _rows(db, "c.instructor_id = ?", [instructor_id]))

    async def current(self, instructor_id: int) -> ClassInfo:
        """The instructor's most recent open class: what their commands act on."""
        for info in await self.of_instructor(instructor_id):
            if info.open:
                return info
        raise NotFound("classes.none_yet")

    async def of_student(self, user_id: int) -> ClassInfo | None:
        found = await self._store.read(
            lambda db: _rows(
                db,
                "c.closed_at IS NULL AND c.id IN"
                " (SELECT class_id FROM class_members WHERE user_id = ?)",
                [user_id],
            )
        )
        return found[0] if found else None

    async def members(self, class_id: int) -> list[Member]:
        rows = await self._store.read(
            lambda db: db.execute(
                "SELECT m.user_id, COALESCE(u.first_name, ''), u.username, m.joined_at"
                " FROM class_members m LEFT JOIN users u ON u.id = m.user_id"
                " WHERE m.class_id = ? ORDER BY m.joined_at, m.user_id",
                [class_id],
            ).fetchall()
        )
        return [
            Member(user_id=r[0], first_name=r[1], username=r[2], joined_at=r[3]) for r in rows
        ]

    async def group_roster(self, chat_id: int) -> frozenset[int]:
        """The students of the open class this group chat is linked to (none if it is not)."""
        rows = await self._store.read(
            lambda db: db.execute(
                "SELECT m.user_id FROM class_groups g JOIN classes c ON c.id = g.class_id"
                " JOIN class_members m ON m.class_id = c.id"
                " WHERE g.chat_id = ? AND c.closed_at IS NULL",
                [chat_id],
            ).fetchall()
        )
        return frozenset(row[0] for row in rows)

    # -- instructor actions --------------------------------------------------------------

    async def create(self, instructor_id: int, name: str) -> ClassInfo:
        """A new open class, which becomes the instructor's current one; refused when one of
        their open classes has that name already (a retyped command would make a twin)."""
        name = clean_name(name)
        now = iso(self._clock())

        def insert(db: Database) -> int:
            _refuse_twin(db, instructor_id, name)
            while True:
                code = new_code()
                if db.execute("SELECT 1 FROM classes WHERE code = ?", [code]).fetchone() is None:
                    break
            row = {"name": name, "code": code, "instructor_id": instructor_id, "created_at": now}
            return insert_row(db, "classes", row)

        return await self.get(await self._store.write(insert))

    async def rename(self, class_id: int, instructor_id: int, name: str) -> ClassInfo:
        await self.owned(class_id, instructor_id)
        name = clean_name(name)

        def update(db: Database) -> None:
            _refuse_twin(db, instructor_id, name, but=class_id)
            db.execute("UPDATE classes SET name = ? WHERE id = ?", [name, class_id])

        await self._store.write(update)
        return await self.get(class_id)

    async def close(self, class_id: int, instructor_id: int) -> ClassInfo:
        await self.owned(class_id, instructor_id)
        now = iso(self._clock())
        await self._store.write(
            lambda db: db.execute(
                "UPDATE classes SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                [now, class_id],
            )
        )
        return await self.get(class_id)

    async def remove_member(self, class_id: int, instructor_id: int, user_id: int) -> bool:
        await self.owned(class_id, instructor_id)
        removed = await self._store.write(
            lambda db: db.execute(
                "DELETE FROM class_members WHERE class_id = ? AND user_id = ?",
                [class_id, user_id],
            ).rowcount
        )
        return bool(removed)

    async def link_group(self, class_id: int, instructor_id: int, chat_id: int, title: str) -> None:
        await self.owned(class_id, instructor_id)
        row = {"chat_id": chat_id, "class_id": class_id, "title": title,
               "linked_at": iso(self._clock())}
        await self._store.write(lambda db: db.table("class_groups").upsert(row, pk="chat_id"))

    # -- student actions -----------------------------------------------------------------

    async def join(self, user_id: int, code: str) -> ClassInfo:
        code = "".join(code.split()).upper()
        now = iso(self._clock())

        def join(db: Database) -> int | None:
            row = db.execute(
                "SELECT id FROM classes WHERE code = ? AND closed_at IS NULL", [code]
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "DELETE FROM class_members WHERE user_id = ? AND class_id != ?", [user_id, row[0]]
            )
            db.execute(
                "INSERT OR IGNORE INTO class_members (class_id, user_id, joined_at)"
                " VALUES (?, ?, ?)",
                [row[0], user_id, now],
            )
            return row[0]

        class_id = await self._store.write(join) if code else None
        if class_id is None:
            raise NotFound("classes.bad_code")
        return await self.get(class_id)

    async def leave(self, user_id: int) -> ClassInfo | None:
        info = await self.of_student(user_id)
        if info is not None:
            await self._store.write(
                lambda db: db.execute("DELETE FROM class_members WHERE user_id = ?", [user_id])
            )
        return info

    # -- the LabService hook -------------------------------------------------------------

    async def released(self, user_id: int, lab_id: str) -> bool:
        """Whether the correction of ``lab_id`` is released for a class this student is in."""
        row = await self._store.read(
            lambda db: db.execute(
                "SELECT 1 FROM lab_releases r JOIN class_members m ON m.class_id = r.class_id"
                " WHERE m.user_id = ? AND r.lab_id = ? AND r.status = 'released' LIMIT 1",
                [user_id, lab_id],
            ).fetchone()
        )
        return row is not None
