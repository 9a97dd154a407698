"""Bearer tokens for the endpoint, the alternative to a client certificate.

The docker CLI sends ``~/.docker/config.json``'s ``"HttpHeaders"`` with every call, so a token
there works where a client certificate cannot (a TLS-terminating proxy in front of the port).
Why not the REST API's tokens (``core/tokens.py``): those open the whole REST API as the
student (tokens, classes, an instructor's scopes) and never expire, while a header in
``config.json`` goes to every daemon that CLI talks to. A terminal token opens only the
sandbox, expires, is stored as a SHA-256 hash, and is issued and revoked with the student's
certificates. A REST token is refused here and a terminal token there (their prefixes differ).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from moussaillon.core.clock import Clock, iso, utcnow
from moussaillon.core.store import Store

PREFIX = "mst_"
TOKEN_DAYS = 120  # a term: a token found in an old config.json stops by itself
MAX_TOKEN_CHARS = 200


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header; None when there is none."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class TerminalTokens:
    def __init__(self, store: Store, *, clock: Clock = utcnow) -> None:
        self.store = store
        self.clock = clock

    async def issue(self, user_id: int) -> str:
        token = PREFIX + secrets.token_urlsafe(32)
        now = self.clock()
        row = {
            "token_hash": digest(token),
            "user_id": user_id,
            "issued_at": iso(now),
            "expires_at": iso(now + dt.timedelta(days=TOKEN_DAYS)),
        }
        await self.store.write(lambda db: db.table("terminal_tokens").insert(row))
        return token

    async def owner(self, token: str) -> int | None:
        """The student of a live token; None when unknown, revoked or expired."""
        if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_CHARS:
            return None
        key, now = digest(token), iso(self.clock())

        def work(db: Any) -> int | None:
            row = db.execute(
                "SELECT user_id FROM terminal_tokens WHERE token_hash = ?"
                " AND revoked_at IS NULL AND expires_at > ?",
                [key, now],
            ).fetchone()
            return None if row is None else int(row[0])

        return await self.store.read(work)

    async def revoke(self, user_id: int) -> int:
        now = iso(self.clock())

        def work(db: Any) -> int:
            cursor = db.execute(
                "UPDATE terminal_tokens SET revoked_at = ?"
                " WHERE user_id = ? AND revoked_at IS NULL",
                [now, user_id],
            )
            return int(cursor.rowcount)

        return await self.store.write(work)
