"""Time as the services see it: injected, so tests can move across days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def local(moment: datetime | str, timezone: str) -> datetime:
    """``moment`` (a datetime, or an ISO-8601 string as stored) in the course's ``timezone``
    (``settings.timezone``): what people read, never UTC. A naive moment is taken as UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone))
