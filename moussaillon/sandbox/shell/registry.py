"""Each student's open shells, in this process's memory only: a restart ends them (``close_all``
on shutdown, ``reap`` of what a crash left at the next start), so no session outlives the
process that streams it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterable

from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.errors import QuotaExceeded
from moussaillon.sandbox.shell.opening import SHELL
from moussaillon.sandbox.shell.session import EndReason, ShellSession

log = logging.getLogger(__name__)

CLOSE_ALL_TIMEOUT_S = 10.0


class ShellRegistry:
    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._open: dict[int, list[ShellSession]] = {}
        self._reserved: dict[int, int] = {}
        self._ended_by_restart: set[int] = set()

    def reserve(self, user_id: int) -> None:
        """Count a session being opened, so two lines at once cannot both pass the limit."""
        live = [s for s in self._open.get(user_id, ()) if s.ended is None]
        held = len(live) + self._reserved.get(user_id, 0)
        if held >= self.per_user:
            key = "sandbox.shell.disabled" if self.per_user == 0 else "sandbox.shell.limit"
            raise QuotaExceeded(key, limit=self.per_user)
        self._reserved[user_id] = self._reserved.get(user_id, 0) + 1

    def release(self, user_id: int) -> None:
        left = self._reserved.get(user_id, 0) - 1
        if left > 0:
            self._reserved[user_id] = left
        else:
            self._reserved.pop(user_id, None)

    def add(self, session: ShellSession) -> None:
        """Hold an opened session until it ends (one that ended while opening is not held)."""
        session.on_closed = self.forget
        if session.ended is None:
            self._open.setdefault(session.user_id, []).append(session)

    def forget(self, session: ShellSession) -> None:
        sessions = self._open.get(session.user_id, [])
        with contextlib.suppress(ValueError):
            sessions.remove(session)
        if not sessions:
            self._open.pop(session.user_id, None)

    def current(self, user_id: int, origin: str) -> ShellSession | None:
        """The shell the student's next message from ``origin`` (the chat, a WebSocket) goes
        to: the last one opened there."""
        sessions = [
            s for s in self._open.get(user_id, ()) if s.ended is None and s.origin == origin
        ]
        return sessions[-1] if sessions else None

    def count(self) -> int:
        return sum(len(s) for s in self._open.values())

    def ended_by_restart(self, user_id: int) -> bool:
        """Once: whether a restart of the app ended a shell of this student."""
        if user_id in self._ended_by_restart:
            self._ended_by_restart.discard(user_id)
            return True
        return False

    async def close_all(self, reason: EndReason = "shutdown") -> None:
        sessions = [s for group in self._open.values() for s in group]
        if not sessions:
            return
        done = asyncio.gather(*(s.close(reason) for s in sessions), return_exceptions=True)
        try:
            async with asyncio.timeout(CLOSE_ALL_TIMEOUT_S):
                await done
        except TimeoutError:
            log.warning("shell: %d session(s) did not close in time", len(sessions))
        for session in sessions:
            session.abandon()

    async def reap(self, engine: Engine, owners: Iterable[int]) -> int:
        """Kill the ``run -it`` containers a crashed run left behind, for the students this
        app knows (``owners``: other apps sharing the engine keep theirs); removed when the
        student asked for ``--rm``; the students are told on their next message."""
        known = {labels.owner_key(user_id): user_id for user_id in owners}
        params = {"all": "1", "filters": json.dumps({"label": [SHELL]})}
        found = await engine.get("containers/json", params=params)
        count = 0
        for container in found:
            found_labels = container.get("Labels") or {}
            owner = found_labels.get(labels.OWNER)
            if owner not in known:
                continue
            with contextlib.suppress(Exception):
                if found_labels.get(SHELL) == "rm":
                    await engine.delete(f"containers/{container['Id']}", params={"force": "1"})
                elif container.get("State") == "running":
                    await engine.post(f"containers/{container['Id']}/kill")
                else:
                    continue
                count += 1
                self._ended_by_restart.add(known[owner])
        return count
