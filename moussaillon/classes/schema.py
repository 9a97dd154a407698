"""Class tables. Times are ISO-8601 UTC strings except ``next_attempt_at`` (epoch seconds,
compared on every dispatch tick).

Broadcast deliveries carry their state BEFORE and AFTER each send attempt:
``pending → sending → sent | blocked | failed`` (``pending`` again after a 429 or a retryable
error). A row still ``sending`` at start-up was interrupted between "about to send" and "Telegram
answered": it becomes ``unknown`` and is never sent again (see ``broadcasts.py``).
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("classes")


@MIGRATIONS()
def m001_classes(db: Database) -> None:
    db.table("roles").create(
        {"user_id": int, "role": str, "granted_by": int, "granted_at": str}, pk="user_id"
    )
    db.table("classes").create(
        {
            "id": int,
            "name": str,
            "code": str,
            "instructor_id": int,
            "created_at": str,
            "closed_at": str,
        },
        pk="id",
        not_null={"name", "code", "instructor_id", "created_at"},
    )
    db.table("classes").create_index(["code"], unique=True)
    db.table("classes").create_index(["instructor_id"])
    db.table("class_members").create(
        {"class_id": int, "user_id": int, "joined_at": str},
        pk=("class_id", "user_id"),
        foreign_keys=[("class_id", "classes", "id")],
    )
    db.table("class_members").create_index(["user_id"])
    db.table("class_groups").create(
        {"chat_id": int, "class_id": int, "title": str, "linked_at": str},
        pk="chat_id",
        foreign_keys=[("class_id", "classes", "id")],
    )


@MIGRATIONS()
def m002_releases_and_broadcasts(db: Database) -> None:
    db.table("broadcasts").create(
        {
            "id": int,
            "class_id": int,
            "kind": str,  # announcement | correction
            "text": str,  # announcement text, or the lab id of a correction
            "created_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"class_id", "kind", "text", "created_at"},
        foreign_keys=[("class_id", "classes", "id")],
    )
    db.table("broadcasts").create_index(["class_id"])
    db.table("broadcast_deliveries").create(
        {
            "broadcast_id": int,
            "chat_id": int,
            "status": str,  # pending | sending | sent | blocked | failed | unknown
            "attempts": int,
            "next_attempt_at": float,
            "last_error": str,
            "message_id": int,
            "updated_at": str,
        },
        pk=("broadcast_id", "chat_id"),
        not_null={"status", "attempts", "next_attempt_at"},
        defaults={"status": "pending", "attempts": 0, "next_attempt_at": 0.0},
        foreign_keys=[("broadcast_id", "broadcasts", "id")],
    )
    db.table("broadcast_deliveries").create_index(["status", "next_attempt_at"])
    db.table("lab_releases").create(
        {
            "id": int,
            "class_id": int,
            "lab_id": str,
            "due_at": str,
            "status": str,  # pending | released
            "created_by": int,
            "created_at": str,
            "released_at": str,
            "broadcast_id": int,
        },
        pk="id",
        not_null={"class_id", "lab_id", "due_at", "status", "created_at"},
        foreign_keys=[("class_id", "classes", "id")],
    )
    db.table("lab_releases").create_index(["class_id", "lab_id"], unique=True)
    db.table("lab_releases").create_index(["status", "due_at"])
    db.table("settings_secrets").create({"name": str, "value": str}, pk="name")
