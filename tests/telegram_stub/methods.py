"""The Bot API methods the stand-in speaks, each answering what Telegram would answer."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from . import validation as check
from .models import ApiError, StoredFile, StubMessage, UploadedFile, bad_request
from .state import DEFAULT_UPDATE_TYPES, PollState, World

Params = dict[str, Any]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})


MAX_DOWNLOAD = 20 * 1024 * 1024


def scope_key(scope: Any) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


class BotApi:
    """Method name (lower case, as Telegram matches them) → handler over the shared ``World``."""

    def __init__(self, world: World, bot: dict[str, Any], *, strict_html: bool) -> None:
        self.world = world
        self.bot = bot
        self.strict_html = strict_html
        self._ids = itertools.count(1)
        self.sync: dict[str, Callable[[Params], Any]] = {
            "getme": lambda p: dict(self.bot),
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": lambda p: {
                "url": "", "has_custom_certificate": False,
                "pending_update_count": len(self.world.updates),
            },
            "sendmessage": self.send_message,
            "editmessagetext": self.edit_message_text,
            "editmessagecaption": self.edit_message_caption,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "deletemessage": self.delete_message,
            "answercallbackquery": self.answer_callback_query,
            "sendpoll": self.send_poll,
            "stoppoll": self.stop_poll,
            "sendphoto": lambda p: self.send_file(p, "photo"),
            "senddocument": lambda p: self.send_file(p, "document"),
            "sendchataction": self.send_chat_action,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
            "getfile": self.get_file,
            "close": lambda p: True,
            "logout": lambda p: True,
        }
        self.asynchronous: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "getupdates": self.get_updates,
        }

    # -- updates -------------------------------------------------------------------------

    def delete_webhook(self, params: Params) -> bool:
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
        return True

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        world = self.world
        world.poll_generation += 1
        generation = world.poll_generation
        world.updates_signal.notify()
        allowed = params.get("allowed_updates")
        if allowed is not None:
            world.allowed_updates = frozenset(allowed) or DEFAULT_UPDATE_TYPES
        if params.get("offset") is not None:
            world.confirm(int(params["offset"]))
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)

        def ready() -> bool:
            return (world.closing or world.poll_generation != generation
                    or bool(world.deliverable(1)))

        await world.updates_signal.wait_until(ready, timeout)
        if world.poll_generation != generation:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")
        return world.deliverable(limit)

    # -- sending -------------------------------------------------------------------------

    def chat_id(self, params: Params) -> int:
        check.require(params, "chat_id")
        raw = params["chat_id"]
        if isinstance(raw, str) and raw.startswith("@"):
            for chat_id, log in self.world.chats.items():
                if log.chat.get("username") == raw[1:]:
                    return chat_id
        elif isinstance(raw, int) and raw in self.world.chats:
            return raw
        raise bad_request("chat not found")

    def new_message(self, params: Params, content: dict[str, Any], **extra: Any) -> StubMessage:
        chat_id = self.chat_id(params)
        markup = check.reply_markup(params.get("reply_markup"))
        data: dict[str, Any] = {
            "message_id": self.world.new_message_id(chat_id),
            "from": self.bot,
            "chat": self.world.chats[chat_id].chat,
            "date": int(time.time()),
            **content,
        }
        if markup and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        reply_to = (params.get("reply_parameters") or {}).get("message_id") or params.get(
            "reply_to_message_id")
        if reply_to:
            original = self.world.find(chat_id, int(reply_to))
            if original is None:
                raise bad_request("message to be replied not found")
            data["reply_to_message"] = {k: v for k, v in original.data.items()
                                        if k != "reply_to_message"}
        message = StubMessage(data=data, seq=self.world.next_seq(), from_bot=True,
                              reply_markup=markup, **extra)
        return self.world.store(message)

    def send_message(self, params: Params) -> dict[str, Any]:
        self.chat_id(params)
        text, entities = check.message_text(
            params.get("text"), params.get("parse_mode"), params.get("entities"),
            strict_html=self.strict_html)
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        message = self.new_message(params, content, parse_mode=params.get("parse_mode"),
                                   source_text=params["text"])
        return message.data

    def send_file(self, params: Params, kind: str) -> dict[str, Any]:
        self.chat_id(params)
        check.require(params, kind)
        captioned = check.caption(params.get("caption"), params.get("parse_mode"),
                                  params.get("caption_entities"), strict_html=self.strict_html)
        stored = self.store_file(params[kind])
        size = len(stored.content) if stored.content is not None else 0
        ids = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
               "file_size": size}
        content: dict[str, Any] = {}
        if kind == "photo":
            content["photo"] = [{**ids, "width": 800, "height": 600}]
        else:
            content["document"] = {**ids, "file_name": stored.filename,
                                   "mime_type": stored.mime_type}
        if captioned:
            content["caption"] = captioned[0]
            if captioned[1]:
                content["caption_entities"] = captioned[1]
        message = self.new_message(params, content, parse_mode=params.get("parse_mode"),
                                   source_text=params.get("caption"), file=stored)
        return message.data

    def store_file(self, value: Any) -> StoredFile:
        if isinstance(value, UploadedFile):
            number = next(self._ids)
            stored = StoredFile(f"stub-file-{number}", f"stub-unique-{number}", value.filename,
                                value.content, value.content_type)
            self.world.files[stored.file_id] = stored
            return stored
        if isinstance(value, str) and value in self.world.files:
            return self.world.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            number = next(self._ids)
            stored = StoredFile(f"stub-file-{number}", f"stub-unique-{number}",
                                value.rsplit("/", 1)[-1], None, None, url=value)
            self.world.files[stored.file_id] = stored
            return stored
        raise bad_request("wrong file identifier/HTTP URL specified")

    def user_file(self, content: bytes, filename: str | None,
                  mime_type: str | None) -> StoredFile:
        """A file a user sent: Telegram keeps it and gives the bot its ``file_id``."""
        number = next(self._ids)
        stored = StoredFile(f"stub-user-file-{number}", f"stub-user-unique-{number}", filename,
                            content, mime_type)
        self.world.files[stored.file_id] = stored
        return stored

    def get_file(self, params: Params) -> dict[str, Any]:
        stored = self.world.files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content or b"") > MAX_DOWNLOAD:  # bots download 20 MB at most
            raise bad_request("file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content or b""),
                "file_path": f"{stored.file_id}/{stored.filename or 'file'}"}

    def send_chat_action(self, params: Params) -> bool:
        chat_id = self.chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.world.chat_actions.append({"chat_id": chat_id, "action": params["action"]})
        return True

    # -- editing -------------------------------------------------------------------------

    def editable(self, params: Params, missing: str = "message to edit not found") -> StubMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the Telegram stub")
        chat_id = self.chat_id(params)
        check.require(params, "message_id")
        message = self.world.find(chat_id, int(params["message_id"]))
        if message is None:
            raise bad_request(missing)
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def edit_message_text(self, params: Params) -> dict[str, Any]:
        message = self.editable(params)
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = check.message_text(
            params.get("text"), params.get("parse_mode"), params.get("entities"),
            strict_html=self.strict_html)
        return self.apply_edit(message, params, {"text": text, "entities": entities},
                               source_text=params["text"])

    def edit_message_caption(self, params: Params) -> dict[str, Any]:
        message = self.editable(params)
        captioned = check.caption(params.get("caption"), params.get("parse_mode"),
                                  params.get("caption_entities"), strict_html=self.strict_html)
        text, entities = captioned or (None, [])
        return self.apply_edit(message, params, {"caption": text, "caption_entities": entities},
                               source_text=params.get("caption"))

    def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        return self.apply_edit(self.editable(params), params, {})

    def apply_edit(self, message: StubMessage, params: Params, fields: dict[str, Any],
                   **extra: Any) -> dict[str, Any]:
        markup = check.reply_markup(params.get("reply_markup"))
        inline = markup if markup and "inline_keyboard" in markup else None
        data = dict(message.data)
        for key, value in {**fields, "reply_markup": inline}.items():
            if value:
                data[key] = value
            else:
                data.pop(key, None)
        if data == message.data:
            raise bad_request(NOT_MODIFIED)
        data["edit_date"] = int(time.time())
        if "parse_mode" in params or fields:
            extra.setdefault("parse_mode", params.get("parse_mode"))
        edited = self.world.replace(message, data=data, reply_markup=markup, **extra)
        return edited.data

    def delete_message(self, params: Params) -> bool:
        chat_id = self.chat_id(params)
        check.require(params, "message_id")
        message = self.world.find(chat_id, int(params["message_id"]))
        if message is None:
            raise bad_request("message to delete not found")
        self.world.delete(message)
        return True

    def answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        query = self.world.callbacks.get(query_id)
        if query is None or query.get("answered"):
            raise bad_request("query is too old and response timeout expired or query ID is "
                              "invalid")
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.world.answered_callbacks.append({**params, "callback_query_id": query_id})
        self.world.answer_signal.notify()
        return True

    # -- polls ---------------------------------------------------------------------------

    def send_poll(self, params: Params) -> dict[str, Any]:
        self.chat_id(params)
        question = check.poll_question(params.get("question"))
        options = check.poll_options(params.get("options"))
        poll_type = params.get("type") or "regular"
        if poll_type not in ("regular", "quiz"):
            raise bad_request("wrong poll type specified")
        correct = check.quiz_answers(poll_type, params, len(options))
        explanation = check.explanation(params.get("explanation"),
                                        params.get("explanation_parse_mode"),
                                        strict_html=self.strict_html)
        open_period = params.get("open_period")
        if open_period is not None and not 5 <= int(open_period) <= 600:
            raise bad_request("wrong open period specified")
        poll: dict[str, Any] = {
            "id": f"stub-poll-{next(self._ids)}",
            "question": question,
            "options": [{"text": text, "voter_count": 0, "persistent_id": f"option-{index}"}
                        for index, text in enumerate(options)],
            "total_voter_count": 0,
            "is_closed": bool(params.get("is_closed")),
            "is_anonymous": params.get("is_anonymous", True) is not False,
            "type": poll_type,
            "allows_multiple_answers": bool(params.get("allows_multiple_answers")),
            "allows_revoting": params.get("allows_revoting", poll_type != "quiz") is not False,
            "members_only": bool(params.get("members_only")),
        }
        if correct is not None:
            poll["correct_option_ids"] = correct
        if explanation:
            poll["explanation"] = explanation
        if open_period is not None:
            poll["open_period"] = int(open_period)
            poll["close_date"] = int(time.time()) + int(open_period)
        message = self.new_message(params, {"poll": poll})
        self.world.polls[poll["id"]] = PollState(message.chat_id, message.message_id, poll)
        return message.data

    def stop_poll(self, params: Params) -> dict[str, Any]:
        message = self.editable(params, missing="message with poll to stop not found")
        poll = message.data.get("poll")
        if poll is None:
            raise bad_request("message with poll to stop not found")
        if poll["is_closed"]:
            raise bad_request("poll has already been closed")
        closed = {**poll, "is_closed": True}
        self.world.polls[poll["id"]].poll = closed
        edited = self.apply_edit(message, params, {"poll": closed})
        return edited["poll"]

    # -- commands ------------------------------------------------------------------------

    def set_my_commands(self, params: Params) -> bool:
        commands = check.commands(params.get("commands"))
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        self.world.commands[key] = commands
        return True

    def get_my_commands(self, params: Params) -> list[dict[str, str]]:
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        return list(self.world.commands.get(key, []))

    def delete_my_commands(self, params: Params) -> bool:
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        self.world.commands.pop(key, None)
        return True
