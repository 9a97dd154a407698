"""The endpoint's open hijacked streams: a cap per student, and a last word at shutdown.

A stream holds an engine connection and a process for as long as the student likes, so each
student has at most ``terminal_max_streams`` at once (beyond it, the engine's 429 with a
reason), counted from before the engine is asked. ``close_all`` is the endpoint's graceful
shutdown: every relay writes its closing line before the connections are cut.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from moussaillon.core.i18n import t
from moussaillon.sandbox import ApiError
from moussaillon.terminal.relay import Relay

SHUTDOWN_GRACE_S = 5.0


@dataclass(eq=False)
class Slot:
    """One student's place for one stream; ``relay`` is set once the stream runs."""

    user_id: int
    relay: Relay | None = None


class OpenStreams:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._slots: dict[int, set[Slot]] = {}

    def count(self, user_id: int) -> int:
        return len(self._slots.get(user_id, ()))

    def check(self, user_id: int) -> None:
        """Refuse now what ``hold`` would refuse: a refused upgrade only shows the CLI
        "unable to upgrade to tcp, received 429", a refused ``exec`` create shows the reason."""
        if self.count(user_id) >= self.limit:
            raise ApiError(429, t("terminal.too_many_streams", limit=self.limit))

    @contextlib.contextmanager
    def hold(self, user_id: int) -> Iterator[Slot]:
        self.check(user_id)
        slot = Slot(user_id)
        self._slots.setdefault(user_id, set()).add(slot)
        try:
            yield slot
        finally:
            mine = self._slots.get(user_id, set())
            mine.discard(slot)
            if not mine:
                self._slots.pop(user_id, None)

    async def close_all(self) -> None:
        relays = [s.relay for slots in self._slots.values() for s in slots if s.relay is not None]
        for relay in relays:
            relay.stop("shutdown")
        if relays:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SHUTDOWN_GRACE_S):
                    await asyncio.gather(*(relay.done.wait() for relay in relays))
