"""``TelegramStub``: the object tests hold to play Telegram's users and read what the bot did."""

# ruff: noqa: ASYNC109 - a timeout here yields an explanation of what did arrive
from __future__ import annotations

import bisect
import itertools
import os
import re
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from .faults import Faults, RateLimits
from .methods import BotApi, scope_key
from .models import ApiCall, FakeChat, FakeUser, Injected, StoredFile, StubMessage
from .server import Server, build_app
from .state import ChatLog, World
from .telegram_html import utf16_len

DEFAULT_TOKEN = "123456789:STUB-token-for-tests_ABCDEFGHIJKLMNOPQ"
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
Chat = FakeUser | FakeChat | int
# Users' ids differ between processes: a sandboxed bot's student owns containers on the shared
# engine under its id, and parallel runs (xdist workers, other checkouts) must not share owners.
FIRST_USER_ID = 100_000_001 + (os.getpid() % 10_000) * 10_000
After = int | Injected | StubMessage | None


class TelegramStub:
    """A Bot API server on 127.0.0.1 plus the controls of a Telegram test world.

    Use as ``async with TelegramStub() as stub:``; point PTB at ``stub.base_url`` and
    ``stub.base_file_url`` (or use ``stub.application_builder()``).
    """

    def __init__(self, token: str = DEFAULT_TOKEN, *, bot_username: str = "moussaillon_bot",
                 bot_name: str = "Moussaillon", port: int = 0, strict_html: bool = True) -> None:
        self.token = token
        self.bot_username = bot_username
        prefix = token.split(":", 1)[0]
        self.bot = {"id": int(prefix) if prefix.isdigit() else 7_000_000_001, "is_bot": True,
                    "first_name": bot_name, "username": bot_username, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.world = World()
        self.api = BotApi(self.world, self.bot, strict_html=strict_html)
        self.faults = Faults()
        self._server = Server(build_app(self), port=port)
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._group_ids = itertools.count(4_000_000_001)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._users: dict[int, FakeUser] = {}

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> TelegramStub:
        await self._server.start()
        return self

    async def close(self) -> None:
        self.world.closing = True
        self.world.updates_signal.notify()
        await self._server.stop()

    async def __aenter__(self) -> TelegramStub:
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def application_builder(self) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
        """A PTB ``ApplicationBuilder`` already pointed at this stub."""
        return (Application.builder().token(self.token).base_url(self.base_url)
                .base_file_url(self.base_file_url))

    # -- the people of this world --------------------------------------------------------

    def user(self, id: int | None = None, first_name: str = "Alice",
             language_code: str | None = "fr", username: str | None = None) -> FakeUser:
        user = FakeUser(id if id is not None else next(self._user_ids), first_name,
                        language_code, username)
        self._users[user.id] = user
        self.world.add_chat(user.chat_dict())
        return user

    def known_user(self, user_id: int) -> FakeUser:
        if user_id not in self._users:
            raise KeyError(f"no fake user {user_id}; create it with stub.user()")
        return self._users[user_id]

    def group(self, title: str = "Classe A", id: int | None = None) -> FakeChat:
        chat = FakeChat(id if id is not None else -next(self._group_ids), title)
        self.world.add_chat(chat.chat_dict())
        return chat

    # -- what users do -------------------------------------------------------------------

    def inject(self, update: dict[str, Any]) -> Injected:
        """Queue a raw update (``update_id`` is assigned unless given)."""
        payload = {key: value for key, value in update.items() if key != "update_id"}
        query = payload.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            self.world.callbacks.setdefault(str(query["id"]), {"answered": False})
        pushed = self.world.push_update(payload)
        if "update_id" in update:
            pushed["update_id"] = update["update_id"]
        body = next(iter(payload.values()), {})
        chat = (body.get("chat") or (body.get("message") or {}).get("chat") or {}) \
            if isinstance(body, dict) else {}
        return Injected(pushed, self.world.last_seq, chat.get("id"))

    def send_text(self, user: FakeUser, text: str, chat: Chat | None = None, *,
                  reply_to: StubMessage | None = None) -> Injected:
        """The user types ``text`` (in their private chat unless ``chat`` is given)."""
        log = self._chat_log(chat if chat is not None else user)
        data: dict[str, Any] = {
            "message_id": self.world.new_message_id(log.chat["id"]),
            "from": user.to_dict(), "chat": log.chat, "date": int(time.time()), "text": text,
        }
        command = _COMMAND.match(text)
        if command:
            data["entities"] = [{"type": "bot_command", "offset": 0,
                                 "length": utf16_len(command.group(0))}]
        if reply_to is not None:
            data["reply_to_message"] = reply_to.data
        self.world.store(StubMessage(data=data, seq=self.world.next_seq(), from_bot=False,
                                     source_text=text))
        return self.inject({"message": data})

    def send_document(self, user: FakeUser, content: bytes, filename: str | None, *,
                      caption: str | None = None, mime_type: str | None = None,
                      chat: Chat | None = None) -> Injected:
        """The user sends a file as a document (with an optional caption); the bot reads it
        through ``getFile`` and the file URL, as from Telegram (20 MB at most)."""
        log = self._chat_log(chat if chat is not None else user)
        stored = self.api.user_file(content, filename, mime_type)
        document: dict[str, Any] = {"file_id": stored.file_id,
                                    "file_unique_id": stored.file_unique_id,
                                    "file_size": len(content)}
        if filename is not None:
            document["file_name"] = filename
        if mime_type is not None:
            document["mime_type"] = mime_type
        data: dict[str, Any] = {
            "message_id": self.world.new_message_id(log.chat["id"]),
            "from": user.to_dict(), "chat": log.chat, "date": int(time.time()),
            "document": document,
        }
        if caption is not None:
            data["caption"] = caption
        self.world.store(StubMessage(data=data, seq=self.world.next_seq(), from_bot=False,
                                     source_text=caption, file=stored))
        return self.inject({"message": data})

    def click(self, user: FakeUser, message: StubMessage, *, text: str | None = None,
              data: str | None = None) -> Injected:
        """Press the inline button of a bot message found by its visible text or its data."""
        current = self._current(message)
        buttons = current.buttons
        for button in buttons:
            if (text is not None and button.get("text") == text) or (
                    data is not None and button.get("callback_data") == data):
                if "callback_data" not in button:
                    raise ValueError(f"button {button} sends no callback_data")
                return self.callback(user, current, button["callback_data"])
        listing = ", ".join(f"{b.get('text')!r} → {b.get('callback_data')!r}" for b in buttons)
        raise LookupError(f"no button with text={text!r} data={data!r} in message "
                          f"{current.message_id} of chat {current.chat_id}; buttons: "
                          f"[{listing or 'none'}]")

    def callback(self, user: FakeUser, message: StubMessage, data: str) -> Injected:
        """A callback query with any ``data``, even one no button carries (a forged click)."""
        current = self._current(message)
        query = {"id": str(next(self._query_ids)), "from": user.to_dict(),
                 "message": current.data, "chat_instance": str(current.chat_id), "data": data}
        injected = self.inject({"callback_query": query})
        return Injected(injected.update, injected.marker, current.chat_id)

    def poll_answer(self, user: FakeUser, poll_id: str, option_ids: Sequence[int]) -> Injected:
        state = self.world.polls.get(poll_id)
        if state is None:
            raise KeyError(f"no poll {poll_id!r}; known: {sorted(self.world.polls)}")
        poll = state.poll
        if poll["is_anonymous"]:
            raise ValueError("Telegram sends no poll_answer for anonymous polls: "
                             "send the poll with is_anonymous=False")
        if poll["is_closed"]:
            raise ValueError(f"poll {poll_id} is closed")
        if any(not 0 <= i < len(poll["options"]) for i in option_ids):
            raise ValueError(f"option ids {list(option_ids)} out of range")
        for index in option_ids:
            poll["options"][index]["voter_count"] += 1
        poll["total_voter_count"] += 1
        persistent = [poll["options"][i]["persistent_id"] for i in option_ids]
        injected = self.inject({"poll_answer": {
            "poll_id": poll_id, "user": user.to_dict(), "option_ids": list(option_ids),
            "option_persistent_ids": persistent}})
        return Injected(injected.update, injected.marker, state.chat_id)

    # -- what the bot did ----------------------------------------------------------------

    def mark(self) -> int:
        """A marker: messages the bot sends from now on come after it."""
        return self.world.last_seq

    async def wait_for(
        self, chat: Chat | Injected, count: int = 1, timeout: float = 5.0, after: After = None
    ) -> list[StubMessage]:
        """The next ``count`` bot messages in ``chat``, as first sent.

        ``after`` (a marker, an ``Injected`` or a message) picks where to start; without it,
        reading resumes after the last message a previous ``wait_for`` returned for the chat.
        Passing an ``Injected`` as ``chat`` means "what the bot sent in that chat after that
        update was injected": to pair replies with requests, inject and wait one at a time.
        """
        if isinstance(chat, Injected):
            after = chat if after is None else after
            if chat.chat_id is None:
                raise ValueError("this injected update has no chat; pass the chat explicitly")
            chat = chat.chat_id
        log = self._chat_log(chat)
        start = log.read_cursor if after is None else self._seq_of(after)
        enough = await log.signal.wait_until(lambda: len(log.sent_after(start)) >= count,
                                             timeout)
        found = log.sent_after(start)[:count]
        if not enough:
            raise TimeoutError(self._explain(log, count, start, found, timeout))
        log.read_cursor = max(log.read_cursor, found[-1].seq)
        return found

    async def sent_since(
        self, after: int, *, chat_id: int | None = None, count: int = 1, timeout: float = 0.0
    ) -> list[StubMessage]:
        """Bot messages (first versions) after ``after``, in one chat or all, without cursor."""
        if chat_id is not None:
            log = self._chat_log(chat_id)
            await log.signal.wait_until(lambda: len(log.sent_after(after)) >= count, timeout)
            return log.sent_after(after)
        world = self.world

        def pending() -> list[StubMessage]:
            return world.all_sent[bisect.bisect_right(world.all_sent_seqs, after):]

        await world.sent_signal.wait_until(lambda: len(pending()) >= count, timeout)
        return pending()

    async def wait_for_edit(
        self, message: StubMessage, timeout: float = 5.0
    ) -> StubMessage:
        """The message as the bot edited it after the version held by the caller."""
        log = self._chat_log(message.chat_id)

        def changed() -> bool:
            current = log.current.get(message.message_id)
            return current is None or current.version > message.version

        if not await log.signal.wait_until(changed, timeout):
            raise TimeoutError(f"message {message.message_id} of chat {message.chat_id} was not "
                               f"edited within {timeout}s; {self._failures()}")
        current = log.current.get(message.message_id)
        if current is None:
            raise LookupError(f"message {message.message_id} was deleted, not edited")
        return current

    async def wait_for_answer(
        self, click: Injected, timeout: float = 5.0
    ) -> dict[str, Any]:
        """The bot's answerCallbackQuery call for that click."""
        query_id = (click.callback_query or {}).get("id")
        state = self.world.callbacks.get(str(query_id))
        if state is None:
            raise ValueError("not an injected callback query")
        if not await self.world.answer_signal.wait_until(lambda: state["answered"], timeout):
            raise TimeoutError(f"callback query {query_id} not answered within {timeout}s; "
                               f"{self._failures()}")
        return next(a for a in reversed(self.world.answered_callbacks)
                    if a["callback_query_id"] == query_id)

    def messages(self, chat: Chat, *, include_user: bool = False) -> list[StubMessage]:
        """Current state of the chat's messages (edits applied, deletions gone), oldest first."""
        log = self._chat_log(chat)
        return [m for m in log.current.values() if include_user or m.from_bot]

    def deleted(self, chat: Chat) -> list[StubMessage]:
        return list(self._chat_log(chat).deleted)

    @property
    def requests(self) -> list[ApiCall]:
        return self.world.requests

    def calls(self, method: str) -> list[ApiCall]:
        return [call for call in self.world.requests if call.method.lower() == method.lower()]

    @property
    def answered_callbacks(self) -> list[dict[str, Any]]:
        return self.world.answered_callbacks

    @property
    def chat_actions(self) -> list[dict[str, Any]]:
        return self.world.chat_actions

    def commands(self, scope: dict[str, Any] | None = None,
                 language_code: str = "") -> list[dict[str, str]]:
        return list(self.world.commands.get((scope_key(scope), language_code), []))

    def file(self, file_id: str) -> StoredFile:
        return self.world.files[file_id]

    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self.world.updates)

    # -- failures ------------------------------------------------------------------------

    def fail_next(self, method: str, *, code: int = 429, retry_after: int | None = 1,
                  chat_id: int | None = None, count: int = 1,
                  description: str | None = None) -> None:
        self.faults.fail_next(method, code=code, retry_after=retry_after, chat_id=chat_id,
                              count=count, description=description)

    def block(self, user: FakeUser | int) -> None:
        self.faults.blocked.add(user if isinstance(user, int) else user.id)

    def unblock(self, user: FakeUser | int) -> None:
        self.faults.blocked.discard(user if isinstance(user, int) else user.id)

    def enforce_rate_limits(self, global_per_second: float = 30, per_chat_per_second: float = 1,
                            group_per_minute: float = 20) -> None:
        self.faults.enforce(RateLimits(global_per_second, per_chat_per_second, group_per_minute))

    def disable_rate_limits(self) -> None:
        self.faults.enforce(None)

    # -- helpers -------------------------------------------------------------------------

    def _chat_log(self, chat: Chat) -> ChatLog:
        chat_id = chat if isinstance(chat, int) else chat.id
        log = self.world.log(chat_id)
        if log is None:
            raise KeyError(f"unknown chat {chat_id}; create it with stub.user() or stub.group()")
        return log

    def _current(self, message: StubMessage) -> StubMessage:
        current = self.world.find(message.chat_id, message.message_id)
        if current is None:
            raise LookupError(f"message {message.message_id} of chat {message.chat_id} "
                              "no longer exists")
        return current

    @staticmethod
    def _seq_of(after: int | Injected | StubMessage) -> int:
        if isinstance(after, Injected):
            return after.marker
        if isinstance(after, StubMessage):
            return after.seq
        return int(after)

    def _failures(self) -> str:
        failed = [f"{c.method} → {c.status} {c.response.get('description')}"
                  for c in self.world.requests[-50:] if not c.ok]
        return f"recent failed Bot API calls: {failed[-5:] or 'none'}"

    def _explain(self, log: ChatLog, count: int, start: int, found: list[StubMessage],
                 timeout: float) -> str:
        texts = [m.text for m in found]
        return (f"waited {timeout}s for {count} bot message(s) in chat {log.chat['id']} after "
                f"marker {start}, got {len(found)}: {texts}; {self._failures()}")
