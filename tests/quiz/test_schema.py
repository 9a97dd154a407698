"""The quiz tables: a live answer can only be stored once per user and question."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from moussaillon.core.store import Store
from moussaillon.quiz.schema import MIGRATIONS


@pytest.fixture
def store(tmp_path: Path):
    store = Store(tmp_path / "quiz.db", [MIGRATIONS])
    yield store
    store.close()


def live_question(db) -> int:
    session = (
        db["live_sessions"]
        .insert(
            {
                "chat_id": -100,
                "host_user_id": 1,
                "status": "running",
                "period_s": 20.0,
                "question_ids": '["reseaux-01"]',
                "created_at": "2026-03-12T09:00:00+00:00",
            }
        )
        .last_pk
    )
    return (
        db["live_questions"]
        .insert(
            {
                "session_id": session,
                "position": 0,
                "question_id": "reseaux-01",
                "mapping": "[1, 0]",
                "poll_id": "p1",
                "opened_at": "2026-03-12T09:00:00+00:00",
                "closes_at": "2026-03-12T09:00:20+00:00",
            }
        )
        .last_pk
    )


def answer_row(question_id: int, user_id: int) -> dict:
    return {
        "live_question_id": question_id,
        "user_id": user_id,
        "chosen": 0,
        "correct": 1,
        "answered_at": "2026-03-12T09:00:03+00:00",
        "elapsed_s": 3.0,
        "points": 925,
    }


def test_double_live_answer_is_impossible(store: Store) -> None:
    question_id = store.write_sync(live_question)
    store.write_sync(lambda db: db["live_answers"].insert(answer_row(question_id, 7)))
    store.write_sync(lambda db: db["live_answers"].insert(answer_row(question_id, 8)))

    with pytest.raises(sqlite3.IntegrityError):
        store.write_sync(lambda db: db["live_answers"].insert(answer_row(question_id, 7)))
    assert store.read_sync(lambda db: db["live_answers"].count) == 2


def test_answer_to_unknown_question_is_refused(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.write_sync(lambda db: db["live_answers"].insert(answer_row(12345, 7)))


def test_live_state_survives_a_restart(tmp_path: Path) -> None:
    first = Store(tmp_path / "quiz.db", [MIGRATIONS])
    question_id = first.write_sync(live_question)
    first.close()

    second = Store(tmp_path / "quiz.db", [MIGRATIONS])
    try:
        row = second.read_sync(lambda db: db["live_questions"].get(question_id))
        versions = second.schema_version()
    finally:
        second.close()

    assert (row["poll_id"], row["closed_at"]) == ("p1", None)
    assert versions["quiz"][:2] == ["m001_solo", "m002_live"]  # later ones are additive
