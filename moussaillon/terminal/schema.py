"""The certificates the terminal endpoint issued: one row per serial, revoked in place.

A revoked row is kept (``revoked_at`` set) so a stolen key stays refused for its whole life;
the TLS handshake itself trusts any certificate the CA signed, so this table is the one place
that says which of them still count.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("terminal")


@MIGRATIONS()
def m001_terminal_certs(db: Database) -> None:
    db.table("terminal_certs").create(
        {"serial": str, "user_id": int, "issued_at": str, "revoked_at": str},
        pk="serial",
        not_null={"user_id", "issued_at"},
    )
    db.table("terminal_certs").create_index(["user_id"])


@MIGRATIONS()
def m002_terminal_tokens(db: Database) -> None:
    """Bearer tokens (``tokens.py``): only their SHA-256 is kept, like the REST API's."""
    db.table("terminal_tokens").create(
        {"token_hash": str, "user_id": int, "issued_at": str, "expires_at": str, "revoked_at": str},
        pk="token_hash",
        not_null={"user_id", "issued_at", "expires_at"},
    )
    db.table("terminal_tokens").create_index(["user_id"])
