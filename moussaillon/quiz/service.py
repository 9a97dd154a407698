"""The quiz services as the app holds them: one bank, the solo and the live services on it, the
live runner once a chat platform is attached, and the routing of poll answers between them.

A poll answer carries only a poll id, so ``answer_poll`` offers it to the solo quizzes first
(``quiz_polls``), then to the live games (``live_questions``). A poll neither knows yet is tried
again for about a second (``UNKNOWN_POLL_RETRIES``): the update can overtake the response to our
own sendPoll, so the poll's row may still be on its way. Answers are decided one at a time per
user, in arrival order (asyncio locks are FIFO), so that with concurrent updates the first of two
answers to a poll is the one that counts.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.core.clock import Clock, utcnow
from moussaillon.core.store import Store
from moussaillon.quiz.bank import QuestionBank, load_bank
from moussaillon.quiz.live import LiveQuizService
from moussaillon.quiz.live_models import AnswerOutcome
from moussaillon.quiz.runner import LiveRunner, Roster, no_roster
from moussaillon.quiz.solo import SoloAnswer, SoloQuizService
from moussaillon.quiz.transport import LiveTransport, Scheduler

log = logging.getLogger("moussaillon.quiz")
live_log = logging.getLogger("moussaillon.quiz.live")

UNKNOWN_POLL_RETRIES = (0.1, 0.2, 0.3, 0.4, 0.0)
"""Pauses between the tries of a poll not stored yet (the last try is not followed by one)."""


class RoutedAnswer(BaseModel):
    """Where a poll answer went and what was decided there."""

    model_config = ConfigDict(frozen=True)

    target: Literal["solo", "live", "unknown"]
    solo: SoloAnswer | None = None
    live: AnswerOutcome | None = None

    @property
    def solo_recorded(self) -> SoloAnswer | None:
        """The solo answer that moves its quiz on (feedback, then the next question)."""
        return self.solo if self.solo is not None and self.solo.status == "recorded" else None


UNKNOWN = RoutedAnswer(target="unknown")


@dataclass
class QuizService:
    bank: QuestionBank
    solo: SoloQuizService
    live: LiveQuizService
    solo_seconds: int = 30
    live_seconds: int = 20
    runner: LiveRunner | None = None
    """Built by ``attach`` when the bot starts; live games need a chat to run in."""
    roster: Roster = no_roster
    """Who plays in a group before anyone has answered (the composition root links classes)."""
    _answer_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary, repr=False
    )

    def set_clock(self, clock: Clock) -> None:
        """Tests move time for both services at once."""
        self.solo.clock = clock
        self.live.clock = clock

    def attach(self, transport: LiveTransport, scheduler: Scheduler) -> LiveRunner:
        self.runner = LiveRunner(self.live, transport, scheduler, self.roster)
        return self.runner

    async def answer_poll(
        self, poll_id: str, user_id: int, name: str, option_ids: Sequence[int]
    ) -> RoutedAnswer:
        """Record an answer to a solo or a live poll (retracted votes, empty, are ignored); a
        live answer may complete its question (``LiveRunner.answered``)."""
        if not option_ids:
            return UNKNOWN
        routed = await self._route_soon(poll_id, user_id, name, list(option_ids))
        if routed is None:
            log.info("poll answer to unknown poll %s from %s", poll_id, user_id)
            return UNKNOWN
        if routed.live is not None and self.runner is not None:
            await self.runner.answered(routed.live)
        return routed

    async def _route_soon(
        self, poll_id: str, user_id: int, name: str, option_ids: list[int]
    ) -> RoutedAnswer | None:
        async with self._answer_lock(user_id):
            for delay in UNKNOWN_POLL_RETRIES:
                routed = await self._route(poll_id, user_id, name, option_ids)
                if routed is not None:
                    return routed
                await asyncio.sleep(delay)
        return None

    async def _route(
        self, poll_id: str, user_id: int, name: str, option_ids: list[int]
    ) -> RoutedAnswer | None:
        solo = await self.solo.answer(poll_id, user_id, option_ids[0])
        if solo is not None:
            if solo.status != "recorded":
                log.info("solo poll %s: %s answer ignored", poll_id, solo.status)
            return RoutedAnswer(target="solo", solo=solo)
        live = await self.live.record_answer(poll_id, user_id, name, option_ids)
        if live.status == "unknown_poll":
            return None
        if live.status != "recorded":
            live_log.info("live answer from %s to %s: %s", user_id, poll_id, live.status)
        return RoutedAnswer(target="live", live=live)

    def _answer_lock(self, user_id: int) -> asyncio.Lock:
        lock = self._answer_locks.get(user_id)
        if lock is None:
            lock = self._answer_locks[user_id] = asyncio.Lock()
        return lock


def build_quiz(
    store: Store,
    path: Path,
    *,
    streak_bonus: bool = False,
    solo_seconds: int = 30,
    live_seconds: int = 20,
    clock: Clock = utcnow,
    roster: Roster = no_roster,
) -> QuizService:
    """Load the bank (fail fast on a bad one) and build both services on it."""
    bank = load_bank(path)
    return QuizService(
        bank=bank,
        solo=SoloQuizService(store, bank, clock=clock),
        live=LiveQuizService(store, bank, clock=clock, streak_bonus=streak_bonus),
        solo_seconds=solo_seconds,
        live_seconds=live_seconds,
        roster=roster,
    )
