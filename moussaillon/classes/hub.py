"""Everything classes need, built once: roles, classes, broadcasts, releases, progress, links.

The bot and the REST API share this object (``Services.classes``). It starts with the services
(pending releases armed on loop timers) and attaches to the Telegram bot when polling starts (the
broadcast sender, and PTB's JobQueue for releases); it detaches before the bot stops.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from moussaillon.classes.broadcasts import Broadcaster, Sender
from moussaillon.classes.pacing import BroadcastLimits
from moussaillon.classes.progress import ProgressReader
from moussaillon.classes.releases import ReleaseService, Timer
from moussaillon.classes.roles import RoleService
from moussaillon.classes.service import ClassService
from moussaillon.config import Settings
from moussaillon.content.model import Course
from moussaillon.core.clock import Clock, utcnow
from moussaillon.core.store import Store
from moussaillon.labs.model import LabSet


def _secret(store: Store) -> bytes:
    def read_or_create(db) -> str:
        db.execute("INSERT OR IGNORE INTO settings_secrets (name, value) VALUES (?, ?)",
                   ["dashboard", secrets.token_hex(32)])
        return db.execute("SELECT value FROM settings_secrets WHERE name = 'dashboard'"
                          ).fetchone()[0]

    return bytes.fromhex(store.write_sync(read_or_create))


def limits_from(settings: Settings) -> BroadcastLimits:
    return BroadcastLimits(
        per_second=settings.broadcast_per_second,
        per_chat_per_second=settings.broadcast_per_chat_per_second,
        group_per_minute=settings.broadcast_group_per_minute,
        max_attempts=settings.broadcast_max_attempts,
        backoff_s=settings.broadcast_backoff_s,
    )


class ClassesHub:
    def __init__(
        self, settings: Settings, store: Store, course: Course, labs: LabSet, *,
        clock: Clock = utcnow,
    ) -> None:
        self.settings = settings
        self.labs = labs
        self.tz = ZoneInfo(settings.timezone)
        self.clock = clock
        self.roles = RoleService(store, instructors=frozenset(settings.instructors), clock=clock)
        self.classes = ClassService(store, clock=clock)
        self.broadcasts = Broadcaster(store, limits=limits_from(settings),
                                      default_language=settings.default_language, clock=clock)
        self.releases = ReleaseService(store, self.broadcasts, labs, clock=clock)
        self.progress = ProgressReader(store, course, labs)
        self._secret = _secret(store)

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        await self.releases.rearm()

    async def attach(self, sender: Sender, timer: Timer | None = None) -> None:
        await self.broadcasts.attach(sender)
        if timer is not None:
            await self.releases.use_timer(timer)

    async def detach(self) -> None:
        await self.broadcasts.detach()

    async def close(self) -> None:
        await self.detach()
        self.releases.close()

    # -- hooks and helpers ---------------------------------------------------------------

    async def released(self, user_id: int, lab_id: str) -> bool:
        """The ``released`` hook of ``LabService``."""
        return await self.classes.released(user_id, lab_id)

    # -- signed dashboard links ----------------------------------------------------------

    def _signature(self, class_id: int, user_id: int, expires: int) -> str:
        message = f"{class_id}:{user_id}:{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def dashboard_query(self, class_id: int, user_id: int) -> str:
        ttl = timedelta(minutes=self.settings.dashboard_link_ttl_min)
        expires = int(time.time() + ttl.total_seconds())
        sig = self._signature(class_id, user_id, expires)
        return f"u={user_id}&exp={expires}&sig={sig}"

    def dashboard_url(self, class_id: int, user_id: int) -> str:
        query = self.dashboard_query(class_id, user_id)
        return f"{self.settings.public_base_url}/classes/{class_id}?{query}"

    def verify_link(self, class_id: int, user_id: int, expires: int, sig: str) -> bool:
        """Whether this server signed the link and it has not expired; what its signer may
        still do is ``permissions.check``'s question."""
        if expires < time.time():
            return False
        return hmac.compare_digest(self._signature(class_id, user_id, expires), sig)
