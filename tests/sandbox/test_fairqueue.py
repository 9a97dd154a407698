"""The fair scheduler: capacity, round-robin between students, cancellation, drain."""

from __future__ import annotations

import asyncio
import random

import pytest

from moussaillon.sandbox.errors import EngineUnavailable
from moussaillon.sandbox.fairqueue import FairScheduler


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class Held:
    """Holds one slot of ``scheduler`` for ``key`` until ``release()``."""

    def __init__(self, scheduler: FairScheduler, key: str) -> None:
        self.go = asyncio.Event()
        self.task = asyncio.create_task(self._hold(scheduler, key))

    async def _hold(self, scheduler: FairScheduler, key: str) -> None:
        async with scheduler.slot(key):
            await self.go.wait()

    async def release(self) -> None:
        self.go.set()
        await self.task


async def test_a_burst_cannot_starve_another_student() -> None:
    scheduler = FairScheduler(1)
    blocker = Held(scheduler, "teacher")
    await settle()
    served: list[str] = []
    positions: dict[str, int] = {}

    async def command(key: str, label: str) -> None:
        async def on_wait(position: int) -> None:
            positions[label] = position

        async with scheduler.slot(key, on_wait=on_wait):
            served.append(label)
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(command("alice", f"a{i}")) for i in range(1, 6)]
    await settle()
    tasks.append(asyncio.create_task(command("bob", "b1")))
    await settle()
    assert scheduler.queue_length == 6 and scheduler.waiting("alice") == 5
    await blocker.release()
    await asyncio.gather(*tasks)
    assert served == ["a1", "b1", "a2", "a3", "a4", "a5"]
    assert positions == {"a1": 1, "a2": 2, "a3": 3, "a4": 4, "a5": 5, "b1": 2}
    assert scheduler.active == 0 and scheduler.queue_length == 0


async def test_three_students_take_turns() -> None:
    scheduler = FairScheduler(2)
    blockers = [Held(scheduler, "x"), Held(scheduler, "y")]
    await settle()
    served: list[str] = []
    reported: list[tuple[str, int]] = []

    async def command(key: str) -> None:
        async with scheduler.slot(key, on_wait=lambda p: reported.append((key, p))):
            served.append(key)
            await asyncio.sleep(0)

    tasks = []
    for key in ["a", "a", "a", "b", "b", "c"]:
        tasks.append(asyncio.create_task(command(key)))
        await settle()
    assert [p for _, p in reported] == [1, 2, 3, 2, 4, 3]
    for blocker in blockers:
        await blocker.release()
    await asyncio.gather(*tasks)
    assert served == ["a", "b", "c", "a", "b", "a"]


async def test_free_slots_are_taken_without_waiting() -> None:
    scheduler = FairScheduler(2)
    calls: list[int] = []
    async with scheduler.slot("a", on_wait=calls.append):
        async with scheduler.slot("a", on_wait=calls.append):
            assert scheduler.active == 2
    assert calls == [] and scheduler.active == 0


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    scheduler = FairScheduler(1)
    blocker = Held(scheduler, "x")
    await settle()
    entered: list[str] = []

    async def command(key: str) -> None:
        async with scheduler.slot(key):
            entered.append(key)

    first = asyncio.create_task(command("a"))
    second = asyncio.create_task(command("b"))
    await settle()
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert scheduler.queue_length == 1 and scheduler.waiting("a") == 0
    await blocker.release()
    await second
    assert entered == ["b"] and scheduler.active == 0


async def test_a_waiter_cancelled_after_being_handed_its_slot_passes_it_on() -> None:
    scheduler = FairScheduler(1)
    entered: list[str] = []

    async def command(key: str) -> None:
        async with scheduler.slot(key):
            entered.append(key)

    async with scheduler.slot("x"):
        first = asyncio.create_task(command("a"))
        second = asyncio.create_task(command("b"))
        await settle()
    # Released without yielding: the slot now belongs to "a", which has not resumed yet.
    assert scheduler.active == 1 and scheduler.queue_length == 1
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    async with asyncio.timeout(2):  # a leaked slot would block "b" forever
        await second
    assert entered == ["b"] and scheduler.active == 0 and scheduler.queue_length == 0


async def test_on_wait_failure_withdraws_the_waiter() -> None:
    scheduler = FairScheduler(1)
    blocker = Held(scheduler, "x")
    await settle()

    def broken(_position: int) -> None:
        raise RuntimeError("telegram down")

    with pytest.raises(RuntimeError):
        async with scheduler.slot("a", on_wait=broken):
            pytest.fail("must not enter")
    assert scheduler.queue_length == 0
    await blocker.release()
    assert scheduler.active == 0


async def test_capacity_holds_under_random_load_with_timeouts() -> None:
    rng = random.Random(20261127)
    scheduler = FairScheduler(3)
    running = 0
    peak = 0
    done = 0

    async def command(key: str) -> None:
        nonlocal running, peak, done
        async with scheduler.slot(key):
            running += 1
            try:
                peak = max(peak, running)
                assert running <= scheduler.capacity
                await asyncio.sleep(rng.random() * 0.004)
            finally:
                running -= 1
        done += 1

    async def maybe_impatient(key: str) -> None:
        try:
            async with asyncio.timeout(rng.random() * 0.02):
                await command(key)
        except TimeoutError:
            pass

    keys = [f"u{rng.randrange(6)}" for _ in range(200)]
    await asyncio.gather(*(maybe_impatient(key) for key in keys))
    assert peak == 3 and 0 < done < 200
    assert scheduler.active == 0 and scheduler.queue_length == 0
    async with scheduler.slot("after"):
        assert scheduler.active == 1


async def test_longest_wait_is_measured_on_the_clock() -> None:
    now = [100.0]
    scheduler = FairScheduler(1, clock=lambda: now[0])
    blocker = Held(scheduler, "x")
    await settle()
    assert scheduler.longest_wait == 0
    waiter = asyncio.create_task(_enter(scheduler, "a"))
    await settle()
    now[0] += 7.5
    assert scheduler.longest_wait == 7.5
    await blocker.release()
    await waiter
    assert scheduler.longest_wait == 0


async def _enter(scheduler: FairScheduler, key: str) -> None:
    async with scheduler.slot(key):
        pass


async def test_drain_serves_the_queue_then_refuses_newcomers() -> None:
    scheduler = FairScheduler(1)
    blocker = Held(scheduler, "x")
    await settle()
    queued = asyncio.create_task(_enter(scheduler, "a"))
    await settle()
    draining = asyncio.create_task(scheduler.drain(timeout=5))
    await settle()
    with pytest.raises(EngineUnavailable) as refused:
        await _enter(scheduler, "late")
    assert refused.value.key == "sandbox.queue.closing"
    assert not draining.done()
    await blocker.release()
    await queued
    assert await draining is True


async def test_drain_gives_up_after_its_timeout() -> None:
    scheduler = FairScheduler(1)
    blocker = Held(scheduler, "x")
    await settle()
    assert await scheduler.drain(timeout=0.05) is False
    await blocker.release()
    assert await scheduler.drain(timeout=0.05) is True


def test_concurrency_must_be_positive() -> None:
    with pytest.raises(ValueError):
        FairScheduler(0)
