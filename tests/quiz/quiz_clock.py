"""A clock the quiz tests move by hand (services take ``clock: Callable[[], datetime]``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ManualClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, *, days: float = 0) -> datetime:
        self.now += timedelta(seconds=seconds, days=days)
        return self.now

    def at(self, moment: datetime) -> datetime:
        self.now = moment
        return moment
