"""Sandbox tables: the command journal and each student's session (last use of the engine)."""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("sandbox")


@MIGRATIONS()
def m001_commands_and_sessions(db: Database) -> None:
    db.table("sandbox_commands").create(
        {
            "id": int,
            "user_id": int,
            "command": str,
            "verb": str,
            "verdict": str,  # ran | refused | rate_limited | timed_out | error
            "exit_code": int,
            "duration_ms": int,
            "output_bytes": int,
            "created_at": str,
        },
        pk="id",
    )
    db.table("sandbox_commands").create_index(["user_id", "created_at"])
    db.table("sandbox_commands").create_index(["created_at"])
    db.table("sandbox_sessions").create(
        {"user_id": int, "created_at": str, "last_used": str}, pk="user_id"
    )
    db.table("sandbox_sessions").create_index(["last_used"])


@MIGRATIONS()
def m002_built_images(db: Database) -> None:
    """Every image id a student's build reported (final, intermediate, cache): the untagged
    ones carry no label, so this is how ``/reset`` and the reaper find them."""
    db.table("sandbox_images").create(
        {"owner": str, "image_id": str, "final": int, "created_at": str},
        pk=("owner", "image_id"),
    )
