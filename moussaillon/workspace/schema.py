"""The students' files: one row per file, content as a BLOB, one row per workspace for its TTL.

Kept in the main SQLite file so they survive restarts and are in every ``db backup``; the
sandbox's reaper knows nothing of these tables (a student's files are their work, not
leftovers), only ``/reset fichiers`` and the TTL purge remove them.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("workspace")


@MIGRATIONS()
def m001_workspace_files(db: Database) -> None:
    db.table("workspace_files").create(
        {"user_id": int, "path": str, "data": bytes, "size": int, "updated_at": str},
        pk=("user_id", "path"),
    )
    # ``used_at``: the last time the student wrote, read or built from their files (the TTL).
    db.table("workspaces").create({"user_id": int, "used_at": str}, pk="user_id")
    db.table("workspaces").create_index(["used_at"])
