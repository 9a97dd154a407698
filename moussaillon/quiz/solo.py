"""Solo practice: a student's quiz, one question at a time, remembered in SQLite.

The bot asks each question as a Telegram quiz poll and learns the answer from a PollAnswer
update that carries only the poll id. ``quiz_polls`` maps that id back to (quiz, position, shown
order), so an answer that arrives after a restart is still scored. The first answer to a poll
counts; a second one (Telegram forbids it for quiz polls, but updates can be redelivered) is
reported as a duplicate and changes nothing. A poll whose timer ran out is a "timeout": the
question is skipped without touching the repetition schedule (the student may have been away),
and a late answer to it is a duplicate.

Every answer, by poll or over REST, goes through ``update_state`` (``repetition.py``): a wrong
answer brings the question back until it is answered right twice in a row, and ``/revision``
draws only from those mistakes.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.errors import BadInput
from moussaillon.core.store import Store
from moussaillon.quiz.bank import Question, QuestionBank
from moussaillon.quiz.repetition import QuestionState, pick_questions, update_state
from moussaillon.quiz.shuffle import ShuffledQuestion, shuffled

DEFAULT_QUESTIONS = 5


class SoloStart(BaseModel):
    model_config = ConfigDict(frozen=True)

    quiz_id: int
    chapter: str | None
    revision: bool
    count: int


class SoloQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    quiz_id: int
    chat_id: int
    position: int
    count: int
    question: Question
    shown: ShuffledQuestion


AnswerStatus = Literal["recorded", "duplicate", "timeout"]


class SoloAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    quiz_id: int
    user_id: int
    chat_id: int
    message_id: int | None
    status: AnswerStatus
    correct: bool
    question: Question
    score: int
    count: int
    finished: bool
    """True once the last question is answered (or timed out)."""
    pending_mistakes: int

    @property
    def right_option(self) -> str:
        return self.question.options[self.question.correct_index]


class RestAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_id: str
    correct: bool
    correct_index: int
    correct_option: str
    explanation: str
    section: str
    pending_mistakes: int


class OpenPoll(BaseModel):
    model_config = ConfigDict(frozen=True)

    poll_id: str
    closes_at: datetime


def seed_for(user_id: int, quiz_id: int) -> str:
    """The shuffle seed: the same student sees the same order within a quiz, others differ."""
    return f"{user_id}{quiz_id}"


class SoloQuizService:
    def __init__(self, store: Store, bank: QuestionBank, *, clock: Clock = utcnow) -> None:
        self.store = store
        self.bank = bank
        self.clock = clock

    async def start(
        self,
        user_id: int,
        chat_id: int,
        *,
        chapter: str | None = None,
        revision: bool = False,
        n: int = DEFAULT_QUESTIONS,
    ) -> SoloStart:
        """A new quiz for the student; an unfinished earlier one is abandoned."""
        if chapter is not None:
            self.bank.by_chapter(chapter)
        now = self.clock()
        rng = random.Random(f"{user_id}:{now.isoformat()}")

        def create(db: Any) -> SoloStart:
            states = _states(db, user_id)
            picked = pick_questions(
                self.bank, states, chapter=chapter, n=n, now=now, rng=rng, revision=revision
            )
            if not picked:
                raise BadInput("quiz.no_mistakes" if revision else "quiz.no_questions")
            db.execute(
                "UPDATE quiz_sessions SET finished_at = ? "
                "WHERE user_id = ? AND finished_at IS NULL",
                [iso(now), user_id],
            )
            quiz_id = (
                db["quiz_sessions"]
                .insert(
                    {
                        "user_id": user_id,
                        "chat_id": chat_id,
                        "chapter": chapter,
                        "mode": "revision" if revision else "quiz",
                        "question_ids": json.dumps([q.id for q in picked]),
                        "position": 0,
                        "score": 0,
                        "started_at": iso(now),
                    }
                )
                .last_pk
            )
            return SoloStart(quiz_id=quiz_id, chapter=chapter, revision=revision, count=len(picked))

        return await self.store.write(create)

    async def current(self, quiz_id: int) -> SoloQuestion | None:
        """The question to ask now, or None when the quiz is over or abandoned."""
        row = await self.store.read(lambda db: _session(db, quiz_id))
        if row is None or row["finished_at"]:
            return None
        ids = json.loads(row["question_ids"])
        if row["position"] >= len(ids):
            return None
        question = self.bank.question(ids[row["position"]])
        return SoloQuestion(
            quiz_id=quiz_id,
            chat_id=row["chat_id"],
            position=row["position"],
            count=len(ids),
            question=question,
            shown=shuffled(question, seed_for(row["user_id"], quiz_id)),
        )

    async def poll_sent(
        self, asked: SoloQuestion, *, poll_id: str, chat_id: int, message_id: int, seconds: float
    ) -> OpenPoll:
        now = self.clock()
        closes_at = now + timedelta(seconds=seconds)

        def insert(db: Any) -> None:
            db["quiz_polls"].insert(
                {
                    "poll_id": poll_id,
                    "quiz_id": asked.quiz_id,
                    "position": asked.position,
                    "question_id": asked.question.id,
                    "mapping": json.dumps(list(asked.shown.mapping)),
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "sent_at": iso(now),
                    "closes_at": closes_at.isoformat(),
                }
            )

        await self.store.write(insert)
        return OpenPoll(poll_id=poll_id, closes_at=closes_at)

    async def answer(self, poll_id: str, user_id: int, shown: int | None) -> SoloAnswer | None:
        """Score an answer (``shown`` None: the timer ran out); None if the poll is not ours.

        A read first: live answers are offered here too and must not queue on the writer.
        """
        known = await self.store.read(
            lambda db: db.execute(
                "SELECT 1 FROM quiz_polls WHERE poll_id = ?", [poll_id]
            ).fetchall()
        )
        if not known:
            return None
        now = self.clock()

        def record(db: Any) -> SoloAnswer | None:
            poll = _row(db, "SELECT * FROM quiz_polls WHERE poll_id = ?", [poll_id])
            if poll is None:
                return None
            session = _session(db, poll["quiz_id"])
            if session is None or session["user_id"] != user_id:
                return None
            question = self.bank.question(poll["question_id"])
            count = len(json.loads(session["question_ids"]))
            mapping = json.loads(poll["mapping"])
            duplicate = poll["answered_at"] is not None or session["finished_at"] is not None
            correct = False
            status: AnswerStatus
            if duplicate:
                status = "duplicate"
                correct = poll["outcome"] == "right"
            elif shown is None or not 0 <= shown < len(mapping):
                status = "timeout"
                _close_poll(db, poll_id, now, "timeout")
            else:
                status = "recorded"
                chosen = mapping[shown]
                correct = chosen == question.correct_index
                _record_attempt(db, user_id, question.id, chosen, correct, now, poll["quiz_id"])
                _close_poll(db, poll_id, now, "right" if correct else "wrong")
            score = session["score"]
            finished = session["finished_at"] is not None
            if status != "duplicate":
                score += int(correct)
                position = poll["position"] + 1
                finished = position >= count
                db.execute(
                    "UPDATE quiz_sessions SET position = ?, score = ?, finished_at = ? "
                    "WHERE id = ?",
                    [position, score, iso(now) if finished else None, poll["quiz_id"]],
                )
            return SoloAnswer(
                quiz_id=poll["quiz_id"],
                user_id=user_id,
                chat_id=poll["chat_id"],
                message_id=poll["message_id"],
                status=status,
                correct=correct,
                question=question,
                score=score,
                count=count,
                finished=finished,
                pending_mistakes=_pending(db, self.bank, user_id),
            )

        return await self.store.write(record)

    async def timeout(self, poll_id: str) -> SoloAnswer | None:
        """The timer of ``poll_id`` ran out; a duplicate if the student answered in time."""
        owner = await self.store.read(
            lambda db: _row(
                db,
                "SELECT s.user_id FROM quiz_polls p JOIN quiz_sessions s ON s.id = p.quiz_id "
                "WHERE p.poll_id = ?",
                [poll_id],
            )
        )
        if owner is None:
            return None
        return await self.answer(poll_id, owner["user_id"], None)

    async def open_polls(self) -> list[OpenPoll]:
        """Polls still waiting for an answer, to re-arm their timers after a restart."""
        rows = await self.store.read(
            lambda db: [
                dict(row)
                for row in db.query(
                    "SELECT p.poll_id, p.closes_at FROM quiz_polls p "
                    "JOIN quiz_sessions s ON s.id = p.quiz_id "
                    "WHERE p.answered_at IS NULL AND s.finished_at IS NULL"
                )
            ]
        )
        return [OpenPoll(poll_id=r["poll_id"], closes_at=r["closes_at"]) for r in rows]

    async def answer_rest(self, user_id: int, question_id: str, choice: int) -> RestAnswer:
        """Practice over REST: ``choice`` is a bank index (the API lists options in bank order)."""
        question = self.bank.question(question_id)
        if not 0 <= choice < len(question.options):
            raise BadInput("quiz.bad_choice", count=len(question.options))
        correct = choice == question.correct_index
        now = self.clock()

        def record(db: Any) -> int:
            _record_attempt(db, user_id, question.id, choice, correct, now, None)
            return _pending(db, self.bank, user_id)

        pending = await self.store.write(record)
        return RestAnswer(
            question_id=question.id,
            correct=correct,
            correct_index=question.correct_index,
            correct_option=question.options[question.correct_index],
            explanation=question.explanation,
            section=question.section,
            pending_mistakes=pending,
        )

    async def pending_mistakes(self, user_id: int) -> int:
        return await self.store.read(lambda db: _pending(db, self.bank, user_id))

    async def states(self, user_id: int) -> dict[str, QuestionState]:
        return await self.store.read(lambda db: _states(db, user_id))


def _row(db: Any, sql: str, params: list[Any]) -> dict[str, Any] | None:
    rows = list(db.query(sql, params))
    return dict(rows[0]) if rows else None


def _session(db: Any, quiz_id: int) -> dict[str, Any] | None:
    return _row(db, "SELECT * FROM quiz_sessions WHERE id = ?", [quiz_id])


def _states(db: Any, user_id: int) -> dict[str, QuestionState]:
    rows = db.query("SELECT * FROM quiz_state WHERE user_id = ?", [user_id])
    return {row["question_id"]: QuestionState.from_row(row) for row in rows}


def _pending(db: Any, bank: QuestionBank, user_id: int) -> int:
    known = {question.id for question in bank.questions}
    return sum(
        1
        for state in _states(db, user_id).values()
        if state.is_mistake and state.question_id in known
    )


def _close_poll(db: Any, poll_id: str, now: datetime, outcome: str) -> None:
    db.execute(
        "UPDATE quiz_polls SET answered_at = ?, outcome = ? WHERE poll_id = ?",
        [iso(now), outcome, poll_id],
    )


def _record_attempt(
    db: Any,
    user_id: int,
    question_id: str,
    chosen: int,
    correct: bool,
    now: datetime,
    quiz_id: int | None,
) -> None:
    db["quiz_attempts"].insert(
        {
            "user_id": user_id,
            "question_id": question_id,
            "chosen": chosen,
            "correct": int(correct),
            "answered_at": iso(now),
            "quiz_id": quiz_id,
        }
    )
    rows = list(
        db.query(
            "SELECT * FROM quiz_state WHERE user_id = ? AND question_id = ?",
            [user_id, question_id],
        )
    )
    state = QuestionState.from_row(rows[0]) if rows else QuestionState(question_id=question_id)
    db["quiz_state"].upsert(
        update_state(state, correct, now).to_row(user_id), pk=("user_id", "question_id")
    )
