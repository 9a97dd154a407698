"""Log set-up for people (text) or collectors (one JSON object per line), secrets scrubbed.

Tokens reach log records by routes nobody chose: httpx logs every Bot API URL, which carries
the bot token; a traceback may quote a bearer header. So scrubbing is a filter on the handler,
applied to the final text of every record, not a rule each caller must remember.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from moussaillon.config import Settings

REDACTED = "[redacted]"

# A Telegram bot token (also inside Bot API URLs), an API token, an Authorization value.
SECRET_PATTERNS = (
    re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}"),
    re.compile(r"mss_[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
)

# Fields a caller may attach with ``extra=`` that belong in the JSON line.
EVENT_FIELDS = ("user", "action", "duration_ms", "outcome", "verdict", "update_id", "chat")

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", …extra fields…, "exc"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The usual line, with the event fields appended as ``key=value`` so they stay greppable."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = [f"{k}={getattr(record, k)}" for k in EVENT_FIELDS if hasattr(record, k)]
        if not fields:
            return line
        head, sep, tail = line.partition("\n")
        return f"{head} {' '.join(fields)}{sep}{tail}"


class ScrubbingHandler(logging.StreamHandler):
    """Writes the formatted record after removing the configured secrets and token shapes."""

    def __init__(self, stream: TextIO, secrets: Iterable[str] = ()) -> None:
        super().__init__(stream)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record), self.secrets)


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Replace the root handlers with one scrubbing handler; returns it (tests remove it)."""
    secrets = [settings.token or ""]
    handler = ScrubbingHandler(stream or sys.stderr, secrets)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return handler


def event(
    logger: logging.Logger,
    message: str,
    *,
    user: int | None,
    action: str,
    duration_ms: int,
    outcome: str,
    level: int = logging.INFO,
    **fields: object,
) -> None:
    """One line per handled command or update: who, what, how long, how it ended."""
    extra = {
        "user": user,
        "action": action,
        "duration_ms": duration_ms,
        "outcome": outcome,
        **fields,
    }
    logger.log(level, message, extra=extra)
