"""Which student a client certificate stands for, and whether it still counts.

The handshake only proves the CA signed a certificate; this registry (``terminal_certs``) maps
its serial to the student and refuses it once revoked. Issuing records the serial before the
bundle is handed out, so a certificate nobody can revoke never exists. Each bundle also
carries a bearer token (``tokens.py``) issued and revoked with the certificate.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from moussaillon.core.clock import iso, utcnow
from moussaillon.core.store import Store
from moussaillon.terminal.ca import Authority, Bundle
from moussaillon.terminal.tokens import TerminalTokens

FOLDER = "$HOME/.moussaillon"  # the CLI expands no "~" in a context; shells expand $HOME
ZIP_NAME = "moussaillon-terminal.zip"


class TerminalCerts:
    zip_name = ZIP_NAME

    def __init__(
        self,
        store: Store,
        authority: Authority,
        *,
        host: str,
        port: int,
        tokens: TerminalTokens | None = None,
    ) -> None:
        """``host`` and ``port``: where students' CLIs reach the endpoint (their context)."""
        self.store = store
        self.authority = authority
        self.host = host
        self.port = port
        self.tokens = tokens or TerminalTokens(store)

    def commands(self, folder: str = FOLDER) -> str:
        """The two lines a student types once the zip is unpacked in ``folder``."""
        return (
            f'docker context create moussaillon --docker "host=tcp://{self.host}:{self.port},'
            f'ca={folder}/ca.pem,cert={folder}/cert.pem,key={folder}/key.pem"\n'
            "docker context use moussaillon"
        )

    def token_commands(self, folder: str = FOLDER) -> str:
        """Without the client certificate: the token of the zip's ``config.json`` (the CLI
        reads it from ``DOCKER_CONFIG``, so the header goes to this endpoint only) and the CA."""
        return (
            f"export DOCKER_CONFIG={folder}\n"
            f'docker context create moussaillon-jeton --docker "host=tcp://{self.host}:{self.port},'
            f'ca={folder}/ca.pem"\n'
            "docker context use moussaillon-jeton"
        )

    async def issue(self, user_id: int) -> Bundle:
        """A new certificate and token; the student's older ones stay valid until revoked."""
        bundle = await asyncio.to_thread(self.authority.issue, user_id)
        row = {"serial": bundle.serial, "user_id": user_id, "issued_at": iso(utcnow())}
        await self.store.write(lambda db: db.table("terminal_certs").insert(row))
        return dataclasses.replace(bundle, token=await self.tokens.issue(user_id))

    async def revoke(self, user_id: int) -> int:
        """Revoke every live certificate and token of the student; how many certificates."""
        await self.tokens.revoke(user_id)
        now = iso(utcnow())

        def work(db: Any) -> int:
            cursor = db.execute(
                "UPDATE terminal_certs SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                [now, user_id],
            )
            return int(cursor.rowcount)

        return await self.store.write(work)

    async def owner(self, serial: str) -> int | None:
        """The student of a live certificate; None when unknown or revoked."""

        def work(db: Any) -> int | None:
            row = db.execute(
                "SELECT user_id FROM terminal_certs WHERE serial = ? AND revoked_at IS NULL",
                [serial],
            ).fetchone()
            return None if row is None else int(row[0])

        return await self.store.read(work)
