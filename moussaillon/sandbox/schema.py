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
