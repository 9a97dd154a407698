"""The per-student token bucket, on an injected clock."""

from __future__ import annotations

import pytest

from moussaillon.core.i18n import _merge
from moussaillon.sandbox import limits_messages
from moussaillon.sandbox.errors import RateLimited
from moussaillon.sandbox.ratelimit import SWEEP_FLOOR, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refusal_with_the_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=10, burst=3, clock=clock)
    for _ in range(3):
        limiter.check("u1")
    with pytest.raises(RateLimited) as refused:
        limiter.check("u1")
    assert refused.value.key == "sandbox.rate_limited"
    assert refused.value.retry_after == pytest.approx(6.0)
    assert refused.value.params["retry_after"] == 6
    assert refused.value.status == 429 and refused.value.verdict == "rate_limited"


def test_tokens_come_back_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=6, burst=2, clock=clock)
    limiter.check("u1")
    limiter.check("u1")
    clock.now += 9.9
    with pytest.raises(RateLimited) as refused:
        limiter.check("u1")
    assert refused.value.retry_after == pytest.approx(0.1)
    clock.now += 0.1
    limiter.check("u1")
    assert limiter.remaining("u1") == 0
    clock.now += 3600
    assert limiter.remaining("u1") == 2  # never more than the burst
    limiter.check("u1")
    limiter.check("u1")
    with pytest.raises(RateLimited):
        limiter.check("u1")


def test_refused_attempts_cost_nothing() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock)
    limiter.check("u1")
    for _ in range(5):
        with pytest.raises(RateLimited):
            limiter.check("u1")
    clock.now += 1.0
    limiter.check("u1")


def test_keys_are_independent() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=1, burst=1, clock=clock)
    limiter.check("u1")
    with pytest.raises(RateLimited):
        limiter.check("u1")
    limiter.check("u2")
    assert limiter.remaining("u3") == 1
    assert limiter.retry_after("u1") == pytest.approx(60.0)
    assert limiter.retry_after("u3") == 0


def test_memory_stays_bounded_by_dropping_full_buckets() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    for key in range(SWEEP_FLOOR * 4):
        limiter.check(key)
        clock.now += 0.01
    assert len(limiter) < SWEEP_FLOOR + 200
    limiter.check("busy")
    limiter.check("busy")
    for key in range(SWEEP_FLOOR * 4, SWEEP_FLOOR * 6):  # sweeps, with no time passing
        limiter.check(key)
    with pytest.raises(RateLimited):  # a drained bucket is never dropped early
        limiter.check("busy")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0, burst=1)
    with pytest.raises(ValueError):
        RateLimiter(per_minute=1, burst=0)


def test_the_message_says_how_long_to_wait() -> None:
    catalogue = _merge(limits_messages.MESSAGES)
    for text in catalogue["sandbox.rate_limited"].values():
        assert "{retry_after} s" in text
        assert "7 s" in text.format(retry_after=7)
