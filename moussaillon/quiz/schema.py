"""Quiz tables: solo quizzes, per-question repetition state, and live games that survive a crash.

Times are ISO-8601 UTC strings; booleans are 0/1 integers; lists of question ids are JSON text.

A live game is resumable from the database alone: ``live_sessions`` holds the status and the
question list, ``live_questions`` one row per question asked with its opening/closing times and the
Telegram poll id (to route poll answers back after a restart), ``live_answers`` every accepted
answer with the points it earned, and ``live_players`` the running totals and streaks. After a
crash, the runner reloads the ``running`` sessions, closes any question whose ``closes_at`` has
passed, and continues from ``current_position``. UNIQUE(live_question_id, user_id) makes a double
answer impossible even if Telegram delivers an update twice.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("quiz")


@MIGRATIONS()
def m001_solo(db: Database) -> None:
    db.table("quiz_sessions").create(
        {
            "id": int,
            "user_id": int,
            "chapter": str,  # NULL: all chapters
            "mode": str,  # "quiz" or "revision"
            "question_ids": str,  # JSON list, in asking order
            "position": int,  # index of the next question to ask
            "score": int,
            "started_at": str,
            "finished_at": str,
        },
        pk="id",
        not_null={"user_id", "mode", "question_ids", "position", "score", "started_at"},
        defaults={"position": 0, "score": 0, "mode": "quiz"},
    )
    db.table("quiz_sessions").create_index(["user_id", "finished_at"])
    db.table("quiz_attempts").create(
        {
            "id": int,
            "user_id": int,
            "question_id": str,
            "chosen": int,  # bank index, after un-shuffling
            "correct": int,
            "answered_at": str,
            "quiz_id": int,
        },
        pk="id",
        not_null={"user_id", "question_id", "chosen", "correct", "answered_at"},
        foreign_keys=[("quiz_id", "quiz_sessions", "id")],
    )
    db.table("quiz_attempts").create_index(["user_id", "question_id"])
    db.table("quiz_attempts").create_index(["quiz_id", "question_id"], unique=True)
    db.table("quiz_state").create(
        {
            "user_id": int,
            "question_id": str,
            "streak": int,
            "wrong_count": int,
            "last_answered": str,
            "due_at": str,
        },
        pk=("user_id", "question_id"),
        not_null={"streak", "wrong_count"},
        defaults={"streak": 0, "wrong_count": 0},
    )
    db.table("quiz_state").create_index(["user_id", "due_at"])


@MIGRATIONS()
def m002_live(db: Database) -> None:
    db.table("live_sessions").create(
        {
            "id": int,
            "chat_id": int,
            "host_user_id": int,
            "chapter": str,
            "status": str,  # "lobby", "running", "finished", "aborted"
            "period_s": float,  # how long each question stays open
            "streak_bonus": int,
            "question_ids": str,  # JSON list
            "current_position": int,  # -1 before the first question
            "created_at": str,
            "started_at": str,
            "finished_at": str,
        },
        pk="id",
        not_null={"chat_id", "host_user_id", "status", "period_s", "question_ids", "created_at"},
        defaults={"status": "lobby", "streak_bonus": 0, "current_position": -1},
    )
    db.table("live_sessions").create_index(["chat_id", "status"])
    db.table("live_players").create(
        {
            "session_id": int,
            "user_id": int,
            "display_name": str,
            "joined_at": str,
            "total": int,
            "streak": int,
        },
        pk=("session_id", "user_id"),
        not_null={"joined_at", "total", "streak"},
        defaults={"total": 0, "streak": 0},
        foreign_keys=[("session_id", "live_sessions", "id")],
    )
    db.table("live_questions").create(
        {
            "id": int,
            "session_id": int,
            "position": int,
            "question_id": str,
            "mapping": str,  # JSON: shown index -> bank index
            "poll_id": str,  # Telegram poll id, to route answers
            "message_id": int,
            "opened_at": str,
            "closes_at": str,
            "closed_at": str,  # NULL while open
        },
        pk="id",
        not_null={"session_id", "position", "question_id", "mapping", "opened_at", "closes_at"},
        foreign_keys=[("session_id", "live_sessions", "id")],
    )
    db.table("live_questions").create_index(["session_id", "position"], unique=True)
    db.table("live_questions").create_index(["poll_id"], unique=True)
    db.table("live_answers").create(
        {
            "id": int,
            "live_question_id": int,
            "user_id": int,
            "chosen": int,  # bank index
            "correct": int,
            "answered_at": str,
            "elapsed_s": float,
            "points": int,
            "bonus": int,
        },
        pk="id",
        not_null={"live_question_id", "user_id", "chosen", "correct", "answered_at"},
        defaults={"points": 0, "bonus": 0},
        foreign_keys=[("live_question_id", "live_questions", "id")],
    )
    db.table("live_answers").create_index(["live_question_id", "user_id"], unique=True)


@MIGRATIONS()
def m003_polls_and_notices(db: Database) -> None:
    """Solo polls routed back after a restart, and whether each live player got their result.

    ``quiz_polls`` maps a Telegram poll id to (solo quiz, position) with the shown order, so a
    PollAnswer that arrives after a restart is still scored. ``live_players.notified`` records
    the private result message: "sent", or "unreachable" for users who never started the bot.
    """
    db.table("quiz_polls").create(
        {
            "poll_id": str,
            "quiz_id": int,
            "position": int,
            "question_id": str,
            "mapping": str,  # JSON: shown index -> bank index
            "chat_id": int,
            "message_id": int,
            "sent_at": str,
            "closes_at": str,
            "answered_at": str,  # NULL until answered or timed out
            "outcome": str,  # "right", "wrong", "timeout"
        },
        pk="poll_id",
        not_null={"quiz_id", "position", "question_id", "mapping", "chat_id", "sent_at"},
        foreign_keys=[("quiz_id", "quiz_sessions", "id")],
    )
    db.table("quiz_polls").create_index(["quiz_id", "position"], unique=True)
    db.table("quiz_sessions").add_column("chat_id", int)
    db.table("live_players").add_column("notified", str)
