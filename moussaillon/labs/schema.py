"""Lab progress: one row per (student, lab, step) done or tried, one row per lab opened.

``lab_progress`` keeps the latest check outcome beside ``done_at`` so an instructor can see where
a class is stuck; ``lab_checks`` keeps every attempt (small rows, useful to spot a step that
nobody passes because its check or its wording is wrong).
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("labs")


@MIGRATIONS()
def m001_lab_progress(db: Database) -> None:
    db["lab_runs"].create(
        {"user_id": int, "lab_id": str, "current_step": int, "opened_at": str, "hints": int},
        pk=("user_id", "lab_id"),
    )
    db["lab_progress"].create(
        {
            "user_id": int,
            "lab_id": str,
            "step": int,
            "done_at": str,
            "checks": int,
            "last_check_at": str,
            "last_check_ok": int,
            "last_missing": str,
        },
        pk=("user_id", "lab_id", "step"),
    )
    db["lab_checks"].create(
        {"id": int, "user_id": int, "lab_id": str, "step": int, "ok": int, "checked_at": str},
        pk="id",
    )
    db["lab_checks"].create_index(["lab_id", "step"])
