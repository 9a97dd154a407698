"""What the live runner needs from a chat platform and from a timer, and nothing more.

The runner (``runner.py``) speaks of questions and announcements; a transport turns them into
polls and messages (the Telegram one renders them with ``quiz_views`` and picks each reader's
language). Announcements are facts, not texts, so a transport can render them its own way and a
test can read them without parsing French.

Timers take a delay, not a moment: the runner computes delays from the live service's clock
(``closes_at - now``), which tests move by hand, while the timers themselves run on whatever time
their scheduler keeps (real time on PTB's JobQueue, virtual time in the tests).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from moussaillon.quiz.live_models import (
    ClosedQuestion,
    FinalResults,
    LiveQuestion,
    LiveSession,
    RankLine,
)

Fire = Callable[[], Awaitable[None]]


class DeliveryFailed(Exception):
    """The platform refused or lost a send (blocked bot, unknown chat, network): the runner logs
    it and the game goes on, since the scores live in SQLite, not in the messages."""


class PollRef(BaseModel):
    """Where a question was posted: the id answers will carry, and the message to stop."""

    model_config = ConfigDict(frozen=True)

    poll_id: str
    message_id: int


class _News(BaseModel):
    model_config = ConfigDict(frozen=True)


class GameStarting(_News):
    """In the host's language: the game, its bounds, when answers show, the classroom screen."""

    session: LiveSession
    seconds: int
    class_size: int = 0
    """Students of the class linked to the group: the first question's players (0: none)."""


class QuestionResults(_News):
    """After each close: the right answer, who answered, the leaderboard and the moves."""

    closed: ClosedQuestion
    players: int


class GameStopped(_News):
    """In the language of the instructor who stopped it."""

    by_user_id: int


class Podium(_News):
    results: FinalResults


class PrivateResult(_News):
    """To one player, in their language: their total and rank."""

    results: FinalResults
    line: RankLine


class GameResumed(_News):
    position: int
    """0-based, like every position the service hands out."""
    count: int


Announcement = GameStarting | QuestionResults | GameStopped | Podium | PrivateResult | GameResumed


class LiveTransport(Protocol):
    async def send_question(self, asked: LiveQuestion) -> PollRef:
        """Post the question as a quiz poll (its code snippet first, if any)."""
        ...

    async def stop_poll(self, chat_id: int, message_id: int) -> None: ...

    async def announce(self, chat_id: int, news: Announcement) -> None: ...


class Scheduler(Protocol):
    def call_later(self, key: str, delay_s: float, callback: Fire) -> None:
        """Run ``callback`` in ``delay_s`` seconds, replacing any callback armed under ``key``."""
        ...

    def cancel(self, key: str) -> None:
        """Forget ``key``'s callback if it has not run yet (no error when there is none)."""
        ...
