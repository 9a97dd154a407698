"""A global cap on concurrent engine operations, shared fairly between students.

When every slot is busy, callers wait in one queue per student, and freed slots go round-robin
across students: one command of each waiting student before anyone's second. A student who
pastes ten commands at once therefore delays a classmate by at most one command, not ten.
A freed slot is handed straight to the next waiter (never grabbed by a newcomer), and a waiter
that is cancelled, before or after being handed its slot, leaves the count exact.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from moussaillon.sandbox.errors import EngineUnavailable

OnWait = Callable[[int], Awaitable[None] | None]


@dataclass(eq=False)
class _Waiter:
    key: Hashable
    future: asyncio.Future[None]
    since: float = field(default_factory=time.monotonic)


class FairScheduler:
    def __init__(self, concurrency: int, clock: Callable[[], float] = time.monotonic) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        self.capacity = concurrency
        self.clock = clock
        self.active = 0
        self._queues: dict[Hashable, deque[_Waiter]] = {}
        self._rotation: deque[Hashable] = deque()
        self._closing = False
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def queue_length(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    @property
    def longest_wait(self) -> float:
        """Seconds the longest-waiting caller has waited so far (0 when nobody waits)."""
        oldest = min((w.since for q in self._queues.values() for w in q), default=None)
        return 0.0 if oldest is None else max(0.0, self.clock() - oldest)

    def waiting(self, key: Hashable) -> int:
        return len(self._queues.get(key, ()))

    def _position(self, key: Hashable) -> int:
        """1-based rank in the service order of a waiter about to join ``key``'s queue."""
        lengths = [(k, len(self._queues[k])) for k in self._rotation]
        mine = self.waiting(key)
        if key not in self._queues:
            lengths.append((key, 0))
        position = 0
        for round_ in range(mine + 1):
            for other, length in lengths:
                if other == key and round_ == mine:
                    return position + 1
                if length > round_:
                    position += 1
        return position + 1

    def _enqueue(self, key: Hashable) -> _Waiter:
        waiter = _Waiter(key, asyncio.get_running_loop().create_future(), self.clock())
        if key not in self._queues:
            self._queues[key] = deque()
            self._rotation.append(key)
        self._queues[key].append(waiter)
        self._idle.clear()
        return waiter

    def _withdraw(self, waiter: _Waiter) -> None:
        queue = self._queues.get(waiter.key)
        if queue is None or waiter not in queue:
            return
        queue.remove(waiter)
        if not queue:
            del self._queues[waiter.key]
            self._rotation.remove(waiter.key)
        self._update_idle()

    def _dispatch(self) -> None:
        while self.active < self.capacity and self._rotation:
            key = self._rotation.popleft()
            queue = self._queues[key]
            waiter = queue.popleft()
            if queue:
                self._rotation.append(key)
            else:
                del self._queues[key]
            if waiter.future.done():
                continue
            self.active += 1
            waiter.future.set_result(None)
        self._update_idle()

    def _release(self) -> None:
        self.active -= 1
        self._dispatch()

    def _update_idle(self) -> None:
        if self.active == 0 and not self._rotation:
            self._idle.set()
        else:
            self._idle.clear()

    async def _acquire(self, key: Hashable, on_wait: OnWait | None) -> None:
        if self._closing:
            raise EngineUnavailable("sandbox.queue.closing")
        if self.active < self.capacity and not self._rotation:
            self.active += 1
            self._idle.clear()
            return
        position = self._position(key)
        waiter = self._enqueue(key)
        try:
            if on_wait is not None:
                result = on_wait(position)
                if inspect.isawaitable(result):
                    await result
            await waiter.future
        except BaseException:
            handed = waiter.future.done() and not waiter.future.cancelled()
            if handed and waiter.future.exception() is None:
                self._release()  # handed a slot we will not use: pass it on
            else:
                waiter.future.cancel()
                self._withdraw(waiter)
            raise

    @asynccontextmanager
    async def slot(self, key: Hashable, on_wait: OnWait | None = None) -> AsyncIterator[None]:
        """Hold one engine slot for the block; ``on_wait(position)`` if the caller must queue."""
        await self._acquire(key, on_wait)
        try:
            yield
        finally:
            self._release()

    def abandon(self) -> int:
        """Tell every caller still queued that the engine is closing (after ``drain`` ran out
        of time at shutdown); returns how many were told. Running holders keep their slots."""
        told = 0
        for queue in self._queues.values():
            for waiter in queue:
                if not waiter.future.done():
                    waiter.future.set_exception(EngineUnavailable("sandbox.queue.closing"))
                    told += 1
        self._queues.clear()
        self._rotation.clear()
        self._update_idle()
        return told

    async def drain(self, timeout: float) -> bool:  # noqa: ASYNC109 (shutdown budget)
        """Refuse new callers, let running and queued ones finish; False if time ran out."""
        self._closing = True
        try:
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True
