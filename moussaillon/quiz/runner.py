"""The live quiz game loop: ask, close on time, show the leaderboard, go on, end on a podium.

How live points are computed: ``scoring.py`` holds the whole rule (the formula, the streak bonus,
which answers count). The runner only decides *when* a question closes; ``LiveQuizService`` scores
it at that moment from the answers stored in SQLite (``live.py`` says which answers are stored).

A game, as the runner plays it (``start``):

1. the session is created within its bounds (``requests.LiveRequest``) and announced;
2. each question is posted as a quiz poll and its close armed ``period_s`` seconds later, under
   the key ``live:<session>:<position>``; a question closes when its time is up, when the game is
   stopped, or as soon as every player has answered it (``answered`` arms the close at once);
3. at the close the poll is stopped, the question scored, and the results posted; the next
   question follows a pause of half the period, at most ``PAUSE_MAX`` seconds, so the class can
   read the leaderboard;
4. after the last question: the podium in the group, then each player's total in private,
   remembered as ``sent`` or ``unreachable`` (never started the bot, or blocked it).

Who "every player" is: whoever answered an earlier question of this game (a player who joins
on this question does not hold it open). Before anyone has played, on the first question, the
players are the students of the class linked to the group (``roster``); a group with no class
linked keeps the first question open its full time, since nobody can know who is there.

``stop`` cancels the timers, scores the open question, and ends the game as aborted.
``resume`` runs after a restart: a running game with an open question has its close re-armed at
its ``closes_at`` (at once if that time has passed), one without is asked its next question.

Every step is idempotent in the service, and a per-session lock keeps a close and a stop from
interleaving. A send the transport reports as failed is logged and the game goes on (the scores
live in SQLite, not in the messages), except a question that could not be posted: the game ends
there as aborted, since nobody could answer it.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Collection
from functools import partial

from moussaillon.quiz.live import LiveQuizService
from moussaillon.quiz.live_models import AnswerOutcome, FinalResults, LiveSession
from moussaillon.quiz.requests import LiveRequest
from moussaillon.quiz.transport import (
    Announcement,
    DeliveryFailed,
    GameResumed,
    GameStarting,
    GameStopped,
    LiveTransport,
    Podium,
    PrivateResult,
    QuestionResults,
    Scheduler,
)

log = logging.getLogger("moussaillon.quiz.live")

PAUSE_MAX = 5.0

Roster = Callable[[int], Awaitable[Collection[int]]]
"""The players a group chat is known to have before its game starts (by chat id)."""


async def no_roster(chat_id: int) -> Collection[int]:
    return ()


def close_key(session_id: int, position: int) -> str:
    return f"live:{session_id}:{position}"


def next_key(session_id: int) -> str:
    return f"live-next:{session_id}"


def pause_after(period_s: float) -> float:
    """Time to read the leaderboard before the next question."""
    return min(PAUSE_MAX, period_s / 2)


class LiveRunner:
    def __init__(
        self,
        live: LiveQuizService,
        transport: LiveTransport,
        scheduler: Scheduler,
        roster: Roster = no_roster,
    ) -> None:
        self.live = live
        self.transport = transport
        self.scheduler = scheduler
        self.roster = roster
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, session_id: int) -> asyncio.Lock:
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks[session_id] = asyncio.Lock()
        return lock

    async def _announce(self, chat_id: int, news: Announcement, session_id: int) -> None:
        try:
            await self.transport.announce(chat_id, news)
        except DeliveryFailed:
            log.exception("live %s: could not post %s", session_id, type(news).__name__)

    async def start(self, chat_id: int, host_user_id: int, request: LiveRequest) -> LiveSession:
        """Create the game (``BadInput`` if one already runs in the chat) and ask its first
        question."""
        session = await self.live.create(
            chat_id,
            host_user_id,
            chapter=request.chapter,
            n=request.count,
            period=request.seconds,
        )
        roster = await self.roster(chat_id)
        starting = GameStarting(session=session, seconds=request.seconds, class_size=len(roster))
        await self._announce(chat_id, starting, session.id)
        await self.ask_next(session.id)
        return session

    async def ask_next(self, session_id: int) -> None:
        """Post the next question and arm its close, or finish the game when none is left."""
        asked = await self.live.next_question(session_id)
        if asked is None:
            session = await self.live.session(session_id)
            if session.status == "running":
                await self.finish(session_id)
            return
        try:
            poll = await self.transport.send_question(asked)
        except DeliveryFailed:
            log.exception(
                "live %s: could not send question %s; game aborted", session_id, asked.position
            )
            await self.live.finish(session_id, aborted=True)
            return
        opened = await self.live.question_opened(
            asked, poll_id=poll.poll_id, message_id=poll.message_id
        )
        self.scheduler.call_later(
            close_key(session_id, opened.position),
            asked.period_s,
            partial(self.close, session_id, opened.position),
        )

    async def answered(self, outcome: AnswerOutcome) -> bool:
        """After each recorded answer: when every player has now answered the open question,
        close it at once rather than at its time. True when it did."""
        if outcome.status != "recorded" or outcome.session_id is None:
            return False
        roll = await self.live.answer_roll(outcome.session_id)
        if roll is None:
            return False
        players = roll.earlier or frozenset(await self.roster(roll.chat_id))
        if not players or not players <= roll.answered:
            return False
        self.scheduler.call_later(
            close_key(roll.session_id, roll.position),
            0.0,
            partial(self.close, roll.session_id, roll.position),
        )
        return True

    async def close(self, session_id: int, position: int, *, go_on: bool = True) -> None:
        """Close and score the question, post the results, then (``go_on``) arm what follows."""
        async with self._lock(session_id):
            open_question = await self.live.open_question(session_id)
            closed = await self.live.close_question(session_id, position)
            if closed is None:
                return
            if open_question is not None and open_question.message_id is not None:
                try:
                    await self.transport.stop_poll(closed.chat_id, open_question.message_id)
                except DeliveryFailed as error:
                    log.info("live %s: stop_poll: %s", session_id, error)
            state = await self.live.state(session_id)
            await self._announce(
                closed.chat_id, QuestionResults(closed=closed, players=state.players), session_id
            )
        if not go_on:
            return
        if closed.is_last:
            await self.finish(session_id)
            return
        session = await self.live.session(session_id)
        self.scheduler.call_later(
            next_key(session_id), pause_after(session.period_s), partial(self.ask_next, session_id)
        )

    async def finish(self, session_id: int, *, aborted: bool = False) -> FinalResults:
        """The podium in the group, then each player's total in private (when they can be
        reached)."""
        results = await self.live.finish(session_id, aborted=aborted)
        await self._announce(results.chat_id, Podium(results=results), session_id)
        for line in results.ranking:
            try:
                await self.transport.announce(
                    line.user_id, PrivateResult(results=results, line=line)
                )
                status = "sent"
            except DeliveryFailed as error:
                log.info("live %s: no private result for %s: %s", session_id, line.user_id, error)
                status = "unreachable"
            await self.live.mark_notified(session_id, line.user_id, status)
        return results

    async def stop(self, chat_id: int, by_user_id: int) -> FinalResults | None:
        """End the chat's game now (its open question still scores); None if none runs."""
        session = await self.live.active_in(chat_id)
        if session is None:
            return None
        self.scheduler.cancel(next_key(session.id))
        self.scheduler.cancel(close_key(session.id, session.current_position))
        open_question = await self.live.open_question(session.id)
        if open_question is not None:
            await self.close(session.id, open_question.position, go_on=False)
        await self._announce(chat_id, GameStopped(by_user_id=by_user_id), session.id)
        return await self.finish(session.id, aborted=True)

    async def resume(self) -> None:
        """After a restart: re-arm each running game's close, or ask its next question."""
        now = self.live.clock()
        for session in await self.live.running():
            open_question = await self.live.open_question(session.id)
            if open_question is None:
                self.scheduler.call_later(
                    next_key(session.id), 0.0, partial(self.ask_next, session.id)
                )
                continue
            delay = max((open_question.closes_at - now).total_seconds(), 0.0)
            self.scheduler.call_later(
                close_key(session.id, open_question.position),
                delay,
                partial(self.close, session.id, open_question.position),
            )
            news = GameResumed(position=open_question.position, count=open_question.count)
            try:
                await self.transport.announce(session.chat_id, news)
            except DeliveryFailed as error:
                log.info("live %s: could not announce the resumption: %s", session.id, error)
