"""Core tables: users, section views, API tokens."""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("core")


@MIGRATIONS()
def m001_users_and_progress(db: Database) -> None:
    db.table("users").create(
        {
            "id": int,
            "first_name": str,
            "username": str,
            "language": str,
            "created_at": str,
            "last_seen": str,
        },
        pk="id",
    )
    db.table("section_views").create(
        {"id": int, "user_id": int, "section_id": str, "viewed_at": str}, pk="id"
    )
    db.table("section_views").create_index(["user_id", "section_id"])


@MIGRATIONS()
def m002_api_tokens(db: Database) -> None:
    db.table("api_tokens").create(
        {
            "id": int,
            "user_id": int,
            "token_hash": str,
            "label": str,
            "instructor": int,
            "created_at": str,
            "revoked_at": str,
        },
        pk="id",
    )
    db.table("api_tokens").create_index(["token_hash"], unique=True)
