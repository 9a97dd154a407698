"""Who the users are and which language they read.

The language is read on every update, so it is cached in this service (written through to
SQLite); the cache is per process and only ever holds what the database says.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlite_utils import Database

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.i18n import Lang, normalize_lang
from moussaillon.core.store import Store


class User(BaseModel):
    id: int
    first_name: str = ""
    username: str | None = None
    language: Lang = "fr"


class UserService:
    def __init__(self, store: Store, *, default_language: Lang = "fr", clock: Clock = utcnow):
        self._store = store
        self._default = default_language
        self._clock = clock
        self._languages: dict[int, Lang] = {}

    async def ensure(
        self,
        user_id: int,
        *,
        first_name: str = "",
        username: str | None = None,
        language_code: str | None = None,
    ) -> User:
        """Record a user the first time they are seen; their Telegram language picks the start."""
        if user_id in self._languages:
            return User(
                id=user_id,
                first_name=first_name,
                username=username,
                language=self._languages[user_id],
            )
        now = iso(self._clock())
        initial: Lang = "en" if (language_code or "").startswith("en") else self._default

        def upsert(db: Database) -> str:
            row = db.execute("SELECT language FROM users WHERE id = ?", [user_id]).fetchone()
            if row:
                db.execute(
                    "UPDATE users SET first_name = ?, username = ?, last_seen = ? WHERE id = ?",
                    [first_name, username, now, user_id],
                )
                known: str = row[0]
                return known
            db.table("users").insert(
                {
                    "id": user_id,
                    "first_name": first_name,
                    "username": username,
                    "language": initial,
                    "created_at": now,
                    "last_seen": now,
                }
            )
            return initial

        language = normalize_lang(await self._store.write(upsert))
        self._languages[user_id] = language
        return User(id=user_id, first_name=first_name, username=username, language=language)

    async def language(self, user_id: int) -> Lang:
        if user_id not in self._languages:
            row = await self._store.read(
                lambda db: db.execute(
                    "SELECT language FROM users WHERE id = ?", [user_id]
                ).fetchone()
            )
            self._languages[user_id] = normalize_lang(row[0]) if row else self._default
        return self._languages[user_id]

    async def set_language(self, user_id: int, language: str) -> Lang:
        lang = normalize_lang(language)
        now = iso(self._clock())

        def upsert(db: Database) -> None:
            db.table("users").upsert({"id": user_id, "language": lang, "last_seen": now}, pk="id")

        await self._store.write(upsert)
        self._languages[user_id] = lang
        return lang
