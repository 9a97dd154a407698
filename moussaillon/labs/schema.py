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
    db.table("lab_runs").create(
        {"user_id": int, "lab_id": str, "current_step": int, "opened_at": str, "hints": int},
        pk=("user_id", "lab_id"),
    )
    db.table("lab_progress").create(
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
    db.table("lab_checks").create(
        {"id": int, "user_id": int, "lab_id": str, "step": int, "ok": int, "checked_at": str},
        pk="id",
    )
    db.table("lab_checks").create_index(["lab_id", "step"])


@MIGRATIONS()
def m002_seen_containers(db: Database) -> None:
    """Containers each check saw, so a later check can tell a recreated one from the original.

    ``removed`` is sticky: once a name was seen gone or with a new id, it stays "removed at some
    point", which is all ``survives_removal_of`` needs (engine events fade after a few hundred).
    """
    db.table("lab_seen_containers").create(
        {"user_id": int, "name": str, "container_id": str, "removed": int, "seen_at": str},
        pk=("user_id", "name"),
    )


@MIGRATIONS()
def m003_last_outputs(db: Database) -> None:
    """The output of each student's latest sandbox command, for ``last_output_contains`` checks.

    One row per student, overwritten: the sandbox journal keeps sizes, never outputs.
    """
    db.table("lab_last_outputs").create(
        {"user_id": int, "command": str, "output": str, "recorded_at": str}, pk="user_id"
    )


@MIGRATIONS()
def m004_lab_seen_at(db: Database) -> None:
    """When the student last looked at each lab, so a command's answer can offer to check the
    step they are on (``LabService.open_step``); ``opened_at`` stays the first visit."""
    db.table("lab_runs").add_column("seen_at", str)
    db.execute("UPDATE lab_runs SET seen_at = opened_at")
