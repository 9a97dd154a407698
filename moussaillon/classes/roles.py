"""Who may do what: the ONE table of permissions, and the instructors' list.

``PERMISSIONS`` maps every guarded action (Telegram command names, and the REST actions, which
reuse the same names) to the lowest role allowed to run it. ``REFUSALS`` and ``LINK_ACTIONS``
hold the rest of the data. ``permissions.check`` is the one function that reads them to decide;
the command menus and ``/help`` read the table only to show each role what it may run.

Instructors are the ids in ``settings.instructors`` plus those promoted with ``/promouvoir``
(stored in SQLite). The set is cached in memory, written through, so the synchronous
``is_instructor`` used all over the bot stays cheap.
"""

from __future__ import annotations

from enum import IntEnum

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.store import Store


class Role(IntEnum):
    STUDENT = 1
    INSTRUCTOR = 2


PERMISSIONS: dict[str, Role] = {
    # students (everyone)
    "rejoindre": Role.STUDENT,
    "quitter": Role.STUDENT,
    "progres": Role.STUDENT,
    "tokens": Role.STUDENT,
    "me.progress": Role.STUDENT,
    "me.tokens": Role.STUDENT,
    "me.terminal": Role.STUDENT,
    # instructors
    "promouvoir": Role.INSTRUCTOR,
    "classe_creer": Role.INSTRUCTOR,
    "classe_renommer": Role.INSTRUCTOR,
    "classe_fermer": Role.INSTRUCTOR,
    "lier": Role.INSTRUCTOR,
    "membres": Role.INSTRUCTOR,
    "retirer": Role.INSTRUCTOR,
    "corriger": Role.INSTRUCTOR,
    "annonce": Role.INSTRUCTOR,
    "diffusions": Role.INSTRUCTOR,
    "classe_stats": Role.INSTRUCTOR,
    "tableau": Role.INSTRUCTOR,
    "classes.list": Role.INSTRUCTOR,
    "classes.progress": Role.INSTRUCTOR,
    "classes.broadcast": Role.INSTRUCTOR,
    "classes.release": Role.INSTRUCTOR,
    "classes.dashboard": Role.INSTRUCTOR,
    # other areas' instructor commands: listed here so menus and /help hide them from students
    "quiz_live": Role.INSTRUCTOR,
    "quiz_stop": Role.INSTRUCTOR,
}

# The sentence of a refusal, where an action has its own; else the kind of caller picks it.
REFUSALS: dict[str, str] = {
    "quiz_live": "quiz.live.instructors_only",
    "quiz_stop": "quiz.live.instructors_only",
    "classes.dashboard": "classes.dash_expired",
}

# What a signed dashboard link opens: nothing else, whoever signed it.
LINK_ACTIONS: frozenset[str] = frozenset({"classes.dashboard"})


def required_role(action: str) -> Role:
    """Unlisted actions (the course, the sandbox …) are open to every student."""
    return PERMISSIONS.get(action, Role.STUDENT)


def allowed(action: str, role: Role) -> bool:
    return role >= required_role(action)


class RoleService:
    def __init__(
        self, store: Store, *, instructors: frozenset[int] = frozenset(), clock: Clock = utcnow
    ) -> None:
        self._store = store
        self._configured = instructors
        self._clock = clock
        rows = store.read_sync(
            lambda db: db.execute("SELECT user_id FROM roles WHERE role = 'instructor'").fetchall()
        )
        self._promoted: set[int] = {row[0] for row in rows}

    def is_instructor(self, user_id: int) -> bool:
        return user_id in self._configured or user_id in self._promoted

    def role(self, user_id: int) -> Role:
        return Role.INSTRUCTOR if self.is_instructor(user_id) else Role.STUDENT

    def instructors(self) -> list[int]:
        return sorted(self._configured | self._promoted)

    async def promote(self, user_id: int, *, by: int) -> bool:
        """Make ``user_id`` an instructor; False when they already were one."""
        if self.is_instructor(user_id):
            return False
        row = {"user_id": user_id, "role": "instructor", "granted_by": by,
               "granted_at": iso(self._clock())}
        await self._store.write(lambda db: db.table("roles").upsert(row, pk="user_id"))
        self._promoted.add(user_id)
        return True
