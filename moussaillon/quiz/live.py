"""Live group quizzes (Kahoot-like): every answer and every score goes to SQLite as it happens.

Answers arrive as PollAnswer updates carrying only the poll id; ``live_questions.poll_id`` routes
them. ``record_answer`` decides deterministically, by the service clock, in one transaction:

- unknown poll id (not a live poll, or not stored yet: the update can overtake the response to
  the bot's own sendPoll, so ``QuizService.answer_poll`` retries an unknown poll for about a
  second) → ``unknown_poll``, nothing stored;
- a vote cast on behalf of a chat (PollAnswer without a user) never reaches the service;
- empty option list (a vote retracted, impossible for quiz polls) → ``retracted``, ignored;
- the question is already closed (``closed_at`` set) → ``closed``, ignored;
- received after ``closes_at`` although the poll is still open (the close job has not run yet)
  → ``late``, not stored: it would score 0 anyway, and the "answered" count stays honest;
- a second answer by the same user (changed vote, redelivered update) → ``duplicate``: the first
  one counts, UNIQUE(live_question_id, user_id) guarantees it;
- a user the bot has never seen joins the game on this first answer (a ``live_players`` row),
  with every earlier question counted as unanswered.

Points are computed when the question closes, by ``scoring.score_question`` (500-1000 for a
right answer by response time, 0 otherwise, optional streak bonus) over the stored answers, so a
question closed after a restart scores exactly as it would have without the crash.

Crash recovery (``running`` + ``runner.LiveRunner.resume``): a session still ``running`` either has
an open question (re-arm its close at ``closes_at``, or close it now if that time has passed)
or none (ask the next one). ``close_question`` is idempotent, so a close that raced a stop is
harmless.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from moussaillon.core.clock import Clock, utcnow
from moussaillon.core.errors import BadInput, NotFound
from moussaillon.core.store import Store
from moussaillon.quiz import live_rows
from moussaillon.quiz.bank import QuestionBank
from moussaillon.quiz.live_models import (
    AnswerOutcome,
    AnswerRoll,
    ClosedQuestion,
    FinalResults,
    LiveQuestion,
    LiveSession,
    LiveState,
    OpenQuestion,
)
from moussaillon.quiz.scoring import LiveAnswer, leaderboard, rank_changes, score_question
from moussaillon.quiz.shuffle import shuffled

ACTIVE = ("lobby", "running")


def stamp(moment: datetime) -> str:
    """Full-precision ISO time: response times are scored to the millisecond."""
    return moment.isoformat()


class LiveQuizService:
    def __init__(
        self, store: Store, bank: QuestionBank, *, clock: Clock = utcnow, streak_bonus: bool = False
    ) -> None:
        self.store = store
        self.bank = bank
        self.clock = clock
        self.streak_bonus = streak_bonus
        self.observers: list[Callable[[AnswerOutcome], None]] = []
        """Called after each answer is decided (the benchmark times them)."""

    async def create(
        self, chat_id: int, host_user_id: int, *, chapter: str | None, n: int, period: float
    ) -> LiveSession:
        pool = list(self.bank.by_chapter(chapter) if chapter else self.bank.questions)
        now = self.clock()
        random.Random(f"live:{chat_id}:{stamp(now)}").shuffle(pool)
        chosen = [question.id for question in pool[: max(1, n)]]

        def insert(db: Any) -> int:
            active = db.execute(
                "SELECT 1 FROM live_sessions WHERE chat_id = ? AND status IN (?, ?)",
                [chat_id, *ACTIVE],
            ).fetchall()
            if active:
                raise BadInput("quiz.live.already_running")
            return (
                db["live_sessions"]
                .insert(
                    {
                        "chat_id": chat_id,
                        "host_user_id": host_user_id,
                        "chapter": chapter,
                        "status": "running",
                        "period_s": period,
                        "streak_bonus": int(self.streak_bonus),
                        "question_ids": json.dumps(chosen),
                        "current_position": -1,
                        "created_at": stamp(now),
                        "started_at": stamp(now),
                    }
                )
                .last_pk
            )

        session_id = await self.store.write(insert)
        return await self.session(session_id)

    async def session(self, session_id: int) -> LiveSession:
        row = await self.store.read(lambda db: live_rows.one(db, "live_sessions", session_id))
        if row is None:
            raise NotFound("quiz.live.unknown_session", session_id=session_id)
        return live_rows.to_session(row)

    async def active_in(self, chat_id: int) -> LiveSession | None:
        rows = await self.store.read(
            lambda db: live_rows.rows(
                db,
                "SELECT * FROM live_sessions WHERE chat_id = ? AND status IN (?, ?)",
                [chat_id, *ACTIVE],
            )
        )
        return live_rows.to_session(rows[0]) if rows else None

    async def running(self) -> list[LiveSession]:
        rows = await self.store.read(
            lambda db: live_rows.rows(
                db, "SELECT * FROM live_sessions WHERE status = 'running'", []
            )
        )
        return [live_rows.to_session(row) for row in rows]

    async def next_question(self, session_id: int) -> LiveQuestion | None:
        """The question after the current one, or None when all were asked or it is over."""
        session = await self.session(session_id)
        position = session.current_position + 1
        if session.status != "running" or position >= session.count:
            return None
        question = self.bank.question(session.question_ids[position])
        return LiveQuestion(
            session_id=session_id,
            chat_id=session.chat_id,
            position=position,
            count=session.count,
            period_s=session.period_s,
            question=question,
            shown=shuffled(question, seed=f"live-{session_id}"),
        )

    async def question_opened(
        self, asked: LiveQuestion, *, poll_id: str, message_id: int
    ) -> OpenQuestion:
        """The poll is in the group: the clock starts now."""
        opened = self.clock()
        closes = opened + timedelta(seconds=asked.period_s)

        def insert(db: Any) -> None:
            db["live_questions"].insert(
                {
                    "session_id": asked.session_id,
                    "position": asked.position,
                    "question_id": asked.question.id,
                    "mapping": json.dumps(list(asked.shown.mapping)),
                    "poll_id": poll_id,
                    "message_id": message_id,
                    "opened_at": stamp(opened),
                    "closes_at": stamp(closes),
                }
            )
            db.execute(
                "UPDATE live_sessions SET current_position = ? WHERE id = ?",
                [asked.position, asked.session_id],
            )

        await self.store.write(insert)
        return OpenQuestion(
            session_id=asked.session_id,
            chat_id=asked.chat_id,
            position=asked.position,
            count=asked.count,
            poll_id=poll_id,
            message_id=message_id,
            opened_at=opened,
            closes_at=closes,
        )

    async def open_question(self, session_id: int) -> OpenQuestion | None:
        def find(db: Any) -> dict[str, Any] | None:
            rows = live_rows.rows(
                db,
                "SELECT q.*, s.chat_id, s.question_ids FROM live_questions q "
                "JOIN live_sessions s ON s.id = q.session_id "
                "WHERE q.session_id = ? AND q.closed_at IS NULL ORDER BY q.position DESC",
                [session_id],
            )
            return rows[0] if rows else None

        row = await self.store.read(find)
        if row is None:
            return None
        return OpenQuestion(
            session_id=session_id,
            chat_id=row["chat_id"],
            position=row["position"],
            count=len(json.loads(row["question_ids"])),
            poll_id=row["poll_id"],
            message_id=row["message_id"],
            opened_at=row["opened_at"],
            closes_at=row["closes_at"],
        )

    async def record_answer(
        self, poll_id: str, user_id: int, name: str, option_ids: list[int]
    ) -> AnswerOutcome:
        now = self.clock()

        def record(db: Any) -> AnswerOutcome:
            rows = live_rows.rows(
                db,
                "SELECT q.*, s.status FROM live_questions q "
                "JOIN live_sessions s ON s.id = q.session_id WHERE q.poll_id = ?",
                [poll_id],
            )
            if not rows:
                return AnswerOutcome(status="unknown_poll", user_id=user_id)
            question = rows[0]
            session_id = question["session_id"]

            def outcome(status: Any) -> AnswerOutcome:
                return AnswerOutcome(status=status, session_id=session_id, user_id=user_id)

            if not option_ids:
                return outcome("retracted")
            if question["closed_at"] is not None or question["status"] != "running":
                return outcome("closed")
            if now > datetime.fromisoformat(question["closes_at"]):
                return outcome("late")
            mapping = json.loads(question["mapping"])
            shown = option_ids[0]
            if not 0 <= shown < len(mapping):
                return outcome("retracted")
            chosen = mapping[shown]
            db.execute(
                "INSERT OR IGNORE INTO live_players (session_id, user_id, display_name, joined_at,"
                " total, streak) VALUES (?, ?, ?, ?, 0, 0)",
                [session_id, user_id, name, stamp(now)],
            )
            opened = datetime.fromisoformat(question["opened_at"])
            inserted = db.execute(
                "INSERT OR IGNORE INTO live_answers (live_question_id, user_id, chosen, correct,"
                " answered_at, elapsed_s) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    question["id"],
                    user_id,
                    chosen,
                    int(chosen in self.bank.question(question["question_id"]).correct),
                    stamp(now),
                    max((now - opened).total_seconds(), 0.0),
                ],
            ).rowcount
            return outcome("recorded" if inserted else "duplicate")

        result = await self.store.write(record)
        for observer in self.observers:
            observer(result)
        return result

    async def answer_roll(self, session_id: int) -> AnswerRoll | None:
        return await self.store.read(lambda db: live_rows.answer_roll(db, session_id))

    async def close_question(self, session_id: int, position: int) -> ClosedQuestion | None:
        """Score the question and update the totals; None if it was already closed."""
        now = self.clock()

        def close(db: Any) -> ClosedQuestion | None:
            rows = live_rows.rows(
                db,
                "SELECT * FROM live_questions WHERE session_id = ? AND position = ?",
                [session_id, position],
            )
            if not rows or rows[0]["closed_at"] is not None:
                return None
            row = rows[0]
            session = live_rows.to_session(
                live_rows.one(db, "live_sessions", session_id), session_id
            )
            question = self.bank.question(row["question_id"])
            opened = datetime.fromisoformat(row["opened_at"])
            players = live_rows.players(db, session_id)
            names = live_rows.names_of(players)
            earlier = {
                uid: p["total"]
                for uid, p in players.items()
                if datetime.fromisoformat(p["joined_at"]) < opened
            }
            answers = live_rows.rows(
                db, "SELECT * FROM live_answers WHERE live_question_id = ?", [row["id"]]
            )
            scored = score_question(
                [
                    LiveAnswer(
                        user_id=a["user_id"], chosen=a["chosen"], answered_at=a["answered_at"]
                    )
                    for a in answers
                ],
                opened_at=opened,
                period=session.period_s,
                correct=question.correct,
                streaks={uid: p["streak"] for uid, p in players.items()},
                use_streak_bonus=session.streak_bonus,
            )
            totals = {uid: p["total"] for uid, p in players.items()}
            for uid, result in scored.items():
                totals[uid] = totals.get(uid, 0) + result.total
                db.execute(
                    "UPDATE live_players SET total = ?, streak = ? "
                    "WHERE session_id = ? AND user_id = ?",
                    [totals[uid], result.streak, session_id, uid],
                )
                if result.answered:
                    db.execute(
                        "UPDATE live_answers SET points = ?, bonus = ? "
                        "WHERE live_question_id = ? AND user_id = ?",
                        [result.points, result.bonus, row["id"], uid],
                    )
            db.execute(
                "UPDATE live_questions SET closed_at = ? WHERE id = ?", [stamp(now), row["id"]]
            )
            after = leaderboard(totals, names)
            changes = rank_changes(leaderboard(earlier, names), after)
            return ClosedQuestion(
                session_id=session_id,
                chat_id=session.chat_id,
                position=position,
                count=session.count,
                question=question,
                answered=sum(1 for r in scored.values() if r.answered),
                right=sum(1 for r in scored.values() if r.correct),
                leaderboard=tuple(live_rows.rank_lines(after, names)),
                changes={change.user_id: change for change in changes},
                scored=scored,
            )

        return await self.store.write(close)

    async def finish(self, session_id: int, *, aborted: bool = False) -> FinalResults:
        """End the session (idempotent) and return everyone's totals."""
        now = self.clock()

        def end(db: Any) -> None:
            db.execute(
                "UPDATE live_sessions SET status = ?, finished_at = ? "
                "WHERE id = ? AND status IN (?, ?)",
                ["aborted" if aborted else "finished", stamp(now), session_id, *ACTIVE],
            )

        await self.store.write(end)
        return await self.results(session_id)

    async def results(self, session_id: int) -> FinalResults:
        return await self.store.read(lambda db: live_rows.final_results(db, session_id))

    async def last_results(self, chat_id: int) -> FinalResults | None:
        rows = await self.store.read(
            lambda db: live_rows.rows(
                db,
                "SELECT id FROM live_sessions WHERE chat_id = ? AND status IN "
                "('finished', 'aborted') ORDER BY id DESC LIMIT 1",
                [chat_id],
            )
        )
        return await self.results(rows[0]["id"]) if rows else None

    async def mark_notified(self, session_id: int, user_id: int, status: str) -> None:
        await self.store.write(
            lambda db: db.execute(
                "UPDATE live_players SET notified = ? WHERE session_id = ? AND user_id = ?",
                [status, session_id, user_id],
            )
        )

    async def state(self, session_id: int) -> LiveState:
        now = self.clock()
        return await self.store.read(
            lambda db: live_rows.screen_state(db, self.bank, session_id, now)
        )
