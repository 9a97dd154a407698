"""The quiz services as the app holds them: one bank, the solo and the live services on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moussaillon.core.clock import Clock, utcnow
from moussaillon.core.store import Store
from moussaillon.quiz.bank import QuestionBank, load_bank
from moussaillon.quiz.live import LiveQuizService
from moussaillon.quiz.solo import SoloQuizService


@dataclass
class QuizService:
    bank: QuestionBank
    solo: SoloQuizService
    live: LiveQuizService
    solo_seconds: int = 30
    live_seconds: int = 20

    def set_clock(self, clock: Clock) -> None:
        """Tests move time for both services at once."""
        self.solo.clock = clock
        self.live.clock = clock


def build_quiz(
    store: Store,
    path: Path,
    *,
    streak_bonus: bool = False,
    solo_seconds: int = 30,
    live_seconds: int = 20,
    clock: Clock = utcnow,
) -> QuizService:
    """Load the bank (fail fast on a bad one) and build both services on it."""
    bank = load_bank(path)
    return QuizService(
        bank=bank,
        solo=SoloQuizService(store, bank, clock=clock),
        live=LiveQuizService(store, bank, clock=clock, streak_bonus=streak_bonus),
        solo_seconds=solo_seconds,
        live_seconds=live_seconds,
    )
