"""Labels that mark every engine object the sandbox creates.

They are the source of truth for scope and expiry: any process (bot, REST, CLI) that talks to the
same engine can tell whose object it is and when it was last used without sharing memory.
"""

SANDBOX = "moussaillon.sandbox"  # always "1"
OWNER = "moussaillon.owner"  # owner key, e.g. "u42"
NAME = "moussaillon.name"  # the name the student sees ("web")
CREATED = "moussaillon.created"  # ISO-8601 UTC
LAST_USED = "moussaillon.last_used"  # ISO-8601 UTC, refreshed on use where the engine allows
STANDIN = "moussaillon.standin"  # on images built by `sandbox prepare --offline`
STANDIN_KIND = "moussaillon.standin.kind"  # "debian" on the Debian-based ones, absent on busybox's


def owner_key(user_id: int) -> str:
    return f"u{user_id}"
