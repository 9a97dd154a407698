"""Value objects shared by the stand-in's modules and handed to tests.

Messages are immutable snapshots: an edit produces a new ``StubMessage`` with a higher
``version``, so a test holding the old one can ask "what did it become?" without races.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Bot API failure, answered as Telegram's ``{"ok": false, ...}`` envelope."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str
    language_code: str | None = None
    username: str | None = None

    @property
    def chat_id(self) -> int:
        return self.id

    def to_dict(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_dict(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class FakeChat:
    id: int
    title: str
    type: str = "group"

    @property
    def chat_id(self) -> int:
        return self.id

    def chat_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request, as the bot uploaded it."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    filename: str | None
    content: bytes | None
    mime_type: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class StubMessage:
    """A message of a chat, as Telegram returned it (``data``) plus what only the stub knows.

    ``seq`` orders it among all stub events (compare with markers); ``version`` counts edits.
    ``source_text`` is the text or caption exactly as the bot sent it, before entity parsing.
    """

    data: dict[str, Any]
    seq: int
    from_bot: bool
    version: int = 0
    parse_mode: str | None = None
    source_text: str | None = None
    reply_markup: dict[str, Any] | None = None
    file: StoredFile | None = None

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def chat_id(self) -> int:
        return int(self.data["chat"]["id"])

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])

    @property
    def text(self) -> str | None:
        """The visible text (or caption) after entity parsing, as a user reads it."""
        return self.data.get("text", self.data.get("caption"))

    @property
    def poll(self) -> dict[str, Any] | None:
        return self.data.get("poll")

    @property
    def document(self) -> bytes | None:
        return self.file.content if self.file else None

    @property
    def filename(self) -> str | None:
        return self.file.filename if self.file else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons, flattened row by row."""
        markup = self.data.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass(frozen=True)
class Injected:
    """An update the test pushed to the bot; ``marker`` orders it before the bot's replies."""

    update: dict[str, Any]
    marker: int
    chat_id: int | None

    def __getitem__(self, key: str) -> Any:
        return self.update[key]

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def message(self) -> dict[str, Any] | None:
        return self.update.get("message")

    @property
    def callback_query(self) -> dict[str, Any] | None:
        return self.update.get("callback_query")


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request the bot made, with the envelope the stub answered ``at`` (monotonic
    seconds: tests measure the gaps between a bot's calls to one chat)."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))
