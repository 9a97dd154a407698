"""What the live-quiz service hands to the live runner, the REST API and the screen."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.quiz.bank import Question
from moussaillon.quiz.scoring import RankChange, ScoredAnswer
from moussaillon.quiz.shuffle import ShuffledQuestion

AnswerStatus = Literal["recorded", "duplicate", "late", "closed", "retracted", "unknown_poll"]


class LiveSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    host_user_id: int
    chapter: str | None
    status: str
    period_s: float
    streak_bonus: bool
    question_ids: tuple[str, ...]
    current_position: int

    @property
    def count(self) -> int:
        return len(self.question_ids)


class LiveQuestion(BaseModel):
    """A question about to be asked (or being asked) in a live session."""

    model_config = ConfigDict(frozen=True)

    session_id: int
    chat_id: int
    position: int
    count: int
    period_s: float
    question: Question
    shown: ShuffledQuestion


class OpenQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: int
    chat_id: int
    position: int
    count: int
    poll_id: str | None
    message_id: int | None
    opened_at: datetime
    closes_at: datetime


class AnswerRoll(BaseModel):
    """The open question's roll call: who answered it, who had played before it opened."""

    model_config = ConfigDict(frozen=True)

    session_id: int
    chat_id: int
    position: int
    answered: frozenset[int]
    earlier: frozenset[int]
    """Players who joined (answered for the first time) before this question opened."""


class AnswerOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: AnswerStatus
    session_id: int | None = None
    user_id: int


class RankLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    rank: int
    user_id: int
    name: str
    points: int


class ClosedQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: int
    chat_id: int
    position: int
    count: int
    question: Question
    answered: int
    right: int
    leaderboard: tuple[RankLine, ...]
    changes: dict[int, RankChange]
    scored: dict[int, ScoredAnswer]

    @property
    def is_last(self) -> bool:
        return self.position + 1 >= self.count


class FinalResults(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: int
    chat_id: int
    status: str
    chapter: str | None
    asked: int
    count: int
    ranking: tuple[RankLine, ...]
    finished_at: datetime | None = None

    @property
    def podium(self) -> tuple[RankLine, ...]:
        return tuple(line for line in self.ranking if line.rank <= 3)


class ScreenQuestion(BaseModel):
    text: str
    options: list[str]
    code: str


class LiveState(BaseModel):
    """The classroom screen's view of a session (``GET /api/v1/live/{id}``)."""

    session_id: int
    status: str
    chapter: str | None
    position: int
    """1-based number of the current (or last) question; 0 before the first."""
    count: int
    open: bool
    question: ScreenQuestion | None
    opened_at: datetime | None
    closes_at: datetime | None
    remaining_s: float
    answered: int
    players: int
    correct_option: str | None
    """The right answer of the last closed question (hidden while a question is open)."""
    leaderboard: list[RankLine]
