"""Reading live games back from SQLite: rows into models, the final results, the screen's state.

Plain functions of a connection (they run inside ``store.read``/``store.write``), shared by the
service's writes and its read-only views.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from moussaillon.core.errors import NotFound
from moussaillon.quiz.bank import QuestionBank
from moussaillon.quiz.live_models import (
    AnswerRoll,
    FinalResults,
    LiveSession,
    LiveState,
    RankLine,
    ScreenQuestion,
)
from moussaillon.quiz.scoring import Rank, leaderboard

TOP = 10


def one(db: Any, table: str, key: int) -> dict[str, Any] | None:
    found = rows(db, f"SELECT * FROM {table} WHERE id = ?", [key])
    return found[0] if found else None


def rows(db: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in db.query(sql, params)]


def players(db: Any, session_id: int) -> dict[int, dict[str, Any]]:
    found = rows(db, "SELECT * FROM live_players WHERE session_id = ?", [session_id])
    return {row["user_id"]: row for row in found}


def answer_roll(db: Any, session_id: int) -> AnswerRoll | None:
    """Who answered the session's open question, and who had played before it (None when no
    question is open)."""
    found = rows(
        db,
        "SELECT q.id, q.position, q.opened_at, s.chat_id FROM live_questions q"
        " JOIN live_sessions s ON s.id = q.session_id"
        " WHERE q.session_id = ? AND q.closed_at IS NULL AND s.status = 'running'"
        " ORDER BY q.position DESC LIMIT 1",
        [session_id],
    )
    if not found:
        return None
    question = found[0]
    opened = datetime.fromisoformat(question["opened_at"])
    answered = rows(db, "SELECT user_id FROM live_answers WHERE live_question_id = ?",
                    [question["id"]])
    earlier = [
        uid for uid, player in players(db, session_id).items()
        if datetime.fromisoformat(player["joined_at"]) < opened
    ]
    return AnswerRoll(
        session_id=session_id,
        chat_id=question["chat_id"],
        position=question["position"],
        answered=frozenset(row["user_id"] for row in answered),
        earlier=frozenset(earlier),
    )


def names_of(found: dict[int, dict[str, Any]]) -> dict[int, str]:
    return {uid: p["display_name"] or str(uid) for uid, p in found.items()}


def to_session(row: dict[str, Any] | None, session_id: int = 0) -> LiveSession:
    if row is None:
        raise NotFound("quiz.live.unknown_session", session_id=session_id)
    return LiveSession(
        id=row["id"],
        chat_id=row["chat_id"],
        host_user_id=row["host_user_id"],
        chapter=row["chapter"],
        status=row["status"],
        period_s=row["period_s"],
        streak_bonus=bool(row["streak_bonus"]),
        question_ids=tuple(json.loads(row["question_ids"])),
        current_position=row["current_position"],
    )


def rank_lines(ranks: list[Rank], names: dict[int, str]) -> list[RankLine]:
    return [
        RankLine(rank=r.rank, user_id=r.user_id, name=names.get(r.user_id, ""), points=r.points)
        for r in ranks
    ]


def final_results(db: Any, session_id: int) -> FinalResults:
    row = one(db, "live_sessions", session_id)
    session = to_session(row, session_id)
    found = players(db, session_id)
    names = names_of(found)
    totals = {uid: p["total"] for uid, p in found.items()}
    asked = db.execute(
        "SELECT COUNT(*) FROM live_questions WHERE session_id = ? AND closed_at IS NOT NULL",
        [session_id],
    ).fetchall()[0][0]
    return FinalResults(
        session_id=session_id,
        chat_id=session.chat_id,
        status=session.status,
        chapter=session.chapter,
        asked=asked,
        count=session.count,
        ranking=tuple(rank_lines(leaderboard(totals, names), names)),
        finished_at=row["finished_at"] if row else None,
    )


def screen_state(db: Any, bank: QuestionBank, session_id: int, now: datetime) -> LiveState:
    """What the classroom screen shows, read in one go."""
    session = to_session(one(db, "live_sessions", session_id), session_id)
    latest = rows(
        db,
        "SELECT * FROM live_questions WHERE session_id = ? ORDER BY position DESC LIMIT 1",
        [session_id],
    )
    current = latest[0] if latest else None
    found = players(db, session_id)
    names = names_of(found)
    ranking = rank_lines(leaderboard({uid: p["total"] for uid, p in found.items()}, names), names)
    if current is None:
        return LiveState(
            session_id=session_id,
            status=session.status,
            chapter=session.chapter,
            position=0,
            count=session.count,
            open=False,
            question=None,
            opened_at=None,
            closes_at=None,
            remaining_s=0,
            answered=0,
            players=len(found),
            correct_option=None,
            leaderboard=ranking[:TOP],
        )
    answered = db.execute(
        "SELECT COUNT(*) FROM live_answers WHERE live_question_id = ?", [current["id"]]
    ).fetchall()[0][0]
    is_open = current["closed_at"] is None
    question = bank.question(current["question_id"])
    closes_at = datetime.fromisoformat(current["closes_at"])
    order = json.loads(current["mapping"])
    return LiveState(
        session_id=session_id,
        status=session.status,
        chapter=session.chapter,
        position=current["position"] + 1,
        count=session.count,
        open=is_open,
        question=ScreenQuestion(
            text=question.question,
            options=[question.options[index] for index in order],
            code=question.code,
        ),
        opened_at=current["opened_at"],
        closes_at=closes_at,
        remaining_s=max((closes_at - now).total_seconds(), 0.0) if is_open else 0,
        answered=answered,
        players=len(found),
        correct_option=None if is_open else question.options[question.correct_index],
        leaderboard=ranking[:TOP],
    )
