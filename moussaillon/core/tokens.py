"""API bearer tokens: shown once, stored as SHA-256 hashes, revocable."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.store import Store

PREFIX = "mss_"


class TokenOwner(BaseModel):
    token_id: int
    user_id: int
    instructor: bool


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenService:
    def __init__(
        self, store: Store, *, instructors: frozenset[int] = frozenset(), clock: Clock = utcnow
    ) -> None:
        self._store = store
        self._instructors = instructors
        self._clock = clock

    async def create(self, user_id: int, *, label: str = "", instructor: bool = False) -> str:
        token = PREFIX + secrets.token_urlsafe(32)
        row = {
            "user_id": user_id,
            "token_hash": _hash(token),
            "label": label,
            "instructor": int(instructor or user_id in self._instructors),
            "created_at": iso(self._clock()),
            "revoked_at": None,
        }
        await self._store.write(lambda db: db.table("api_tokens").insert(row))
        return token

    async def verify(self, token: str) -> TokenOwner | None:
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        digest = _hash(token)
        row = await self._store.read(
            lambda db: db.execute(
                "SELECT id, user_id, instructor FROM api_tokens"
                " WHERE token_hash = ? AND revoked_at IS NULL",
                [digest],
            ).fetchone()
        )
        if row is None:
            return None
        return TokenOwner(token_id=row[0], user_id=row[1], instructor=bool(row[2]))

    async def list(self, user_id: int | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE user_id = ?", [user_id]) if user_id is not None else ("", [])
        return await self._store.read(
            lambda db: [
                dict(
                    zip(
                        ("id", "user_id", "label", "instructor", "created_at", "revoked_at"),
                        row,
                        strict=True,
                    )
                )
                for row in db.execute(
                    "SELECT id, user_id, label, instructor, created_at, revoked_at"
                    f" FROM api_tokens {where} ORDER BY id",
                    params,
                ).fetchall()
            ]
        )

    async def revoke(self, token_id: int, *, user_id: int | None = None) -> bool:
        now = iso(self._clock())

        def revoke(db: Database) -> int:
            sql = "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
            params: list[object] = [now, token_id]
            if user_id is not None:
                sql += " AND user_id = ?"
                params.append(user_id)
            changed: int = db.execute(sql, params).rowcount
            return changed

        return bool(await self._store.write(revoke))
