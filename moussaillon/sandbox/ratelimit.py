"""Per-student command rate limit: a token bucket per key.

Each key may spend ``burst`` commands at once, then earns ``per_minute`` tokens a minute back.
Buckets live in this process only: a student using both the bot and the REST API from two
processes gets two allowances, an accepted looseness (the fair queue and quotas still hold).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from moussaillon.sandbox.errors import RateLimited

SWEEP_FLOOR = 1024


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be > 0 and burst >= 1")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}
        self._sweep_at = SWEEP_FLOOR

    def _refilled(self, key: Hashable, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            return _Bucket(self.burst, now)
        elapsed = max(0.0, now - bucket.stamp)
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
        bucket.stamp = now
        return bucket

    def check(self, key: Hashable, cost: float = 1.0) -> None:
        """Spend ``cost`` tokens for ``key`` or raise ``RateLimited`` saying how long to wait.

        A fraction is for the parts of one command that arrive as several requests (the
        terminal's CLI sends ``inspect`` before ``logs``): the command, not the request, is
        what the limit counts."""
        now = self.clock()
        bucket = self._refilled(key, now)
        if bucket.tokens < cost:
            self._buckets[key] = bucket
            raise RateLimited("sandbox.rate_limited", retry_after=self._wait(bucket, cost))
        bucket.tokens -= cost
        self._buckets[key] = bucket
        if len(self._buckets) >= self._sweep_at:
            self._sweep(now)

    def _wait(self, bucket: _Bucket, cost: float = 1.0) -> float:
        return (cost - bucket.tokens) / self.rate

    def remaining(self, key: Hashable) -> float:
        """Commands ``key`` could run right now (whole tokens), without spending any."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return self.burst
        elapsed = max(0.0, self.clock() - bucket.stamp)
        return float(math.floor(min(self.burst, bucket.tokens + elapsed * self.rate) + 1e-9))

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` may run a command again (0 when it may now)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0.0
        tokens = min(self.burst, bucket.tokens + max(0.0, self.clock() - bucket.stamp) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def _sweep(self, now: float) -> None:
        """Forget full buckets: a forgotten key starts full, so nothing changes for it."""
        for key in list(self._buckets):
            bucket = self._buckets[key]
            if bucket.tokens + max(0.0, now - bucket.stamp) * self.rate >= self.burst:
                del self._buckets[key]
        self._sweep_at = max(SWEEP_FLOOR, 2 * len(self._buckets))

    def __len__(self) -> int:
        return len(self._buckets)
