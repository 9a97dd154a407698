"""Who a request comes from: a client certificate, else a bearer token; and its seat in the cap.

Looked up per request, so a revocation (or a token's expiry) also stops connections already
open. A connection takes one seat of its credential's cap (``max_connections``) when the
credential is first known: at the handshake for a certificate, at the first request for a
token. Connections over the cap hold no seat and are answered 429, so a student flooding the
endpoint with their own credential cannot take the seats of the connections already served.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from moussaillon.terminal.certs import TerminalCerts
from moussaillon.terminal.tokens import bearer, digest


@dataclass(frozen=True)
class Caller:
    """``user_id`` None: refused, for ``reason`` (a ``metrics.REASONS`` and a message key)."""

    user_id: int | None
    key: str = ""
    reason: str = ""


async def identify(certs: TerminalCerts, serial: str | None, headers: Mapping[str, str]) -> Caller:
    if serial is not None:  # the certificate wins: a stray header changes nothing
        user_id = await certs.owner(serial)
        return Caller(user_id, serial, "" if user_id is not None else "revoked")
    token = bearer(headers.get("authorization"))
    if token is None:
        return Caller(None, reason="no_certificate")
    user_id = await certs.tokens.owner(token)
    if user_id is None:
        return Caller(None, reason="token_refused")
    return Caller(user_id, "token:" + digest(token))


@dataclass
class Seat:
    """One connection's place among its credential's open connections."""

    key: str | None = None
    over: bool = False

    def take(self, taken: Counter[str], key: str, cap: int) -> None:
        """Once per connection: a seat while fewer than ``cap`` are taken, else ``over``."""
        if self.key is not None or self.over:
            return
        if taken[key] >= cap:
            self.over = True
            return
        self.key = key
        taken[key] += 1

    def leave(self, taken: Counter[str]) -> None:
        if self.key is None:
            return
        taken[self.key] -= 1
        if taken[self.key] <= 0:
            del taken[self.key]
        self.key = None
