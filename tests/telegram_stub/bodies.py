"""Decode Bot API request bodies the way Telegram accepts them.

Telegram takes query strings, form-encoded, JSON and multipart bodies. In the form kinds,
every value is a string, so typed fields are converted by name and JSON-valued fields
(reply_markup, entities, options, ...) are decoded, as Telegram does.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from .models import UploadedFile, bad_request

INT_FIELDS = frozenset({
    "chat_id", "message_id", "offset", "limit", "timeout", "correct_option_id",
    "open_period", "close_date", "cache_time", "from_chat_id", "message_thread_id",
    "user_id", "reply_to_message_id", "retry_after",
})
FLOAT_FIELDS = frozenset({"timeout"})
BOOL_FIELDS = frozenset({
    "is_anonymous", "allows_multiple_answers", "show_alert", "disable_notification",
    "protect_content", "drop_pending_updates", "disable_web_page_preview", "is_closed",
    "allow_sending_without_reply", "disable_content_type_detection", "has_spoiler",
    "allows_revoting", "members_only", "shuffle_options",
})
JSON_FIELDS = frozenset({
    "reply_markup", "entities", "caption_entities", "options", "scope", "commands",
    "allowed_updates", "link_preview_options", "reply_parameters", "explanation_entities",
    "question_entities", "media", "correct_option_ids",
})
_PARAM = re.compile(r'(\w+\*?)="((?:[^"\\]|\\.)*)"|(\w+)=([^;\s]+)')


def coerce(params: dict[str, Any]) -> dict[str, Any]:
    """Give string-encoded fields their Bot API type; leave typed (JSON) values alone."""
    typed: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str):
            value = _convert(name, value)
        typed[name] = value
    return typed


def _convert(name: str, value: str) -> Any:
    try:
        if name in FLOAT_FIELDS:
            number = float(value)
            return int(number) if number.is_integer() else number
        if name in INT_FIELDS:
            return int(value) if re.fullmatch(r"-?\d+", value) else value
        if name in BOOL_FIELDS:
            return value.lower() in ("true", "1")
        if name in JSON_FIELDS:
            return json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {name} JSON object") from None
    return value


def parse_body(content_type: str, body: bytes, query: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = dict(query)
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return coerce(params)
    if kind == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(decoded, dict):
            raise bad_request("JSON body must be an object")
        params.update(decoded)
    elif kind == "multipart/form-data":
        params.update(parse_multipart(body, content_type))
    else:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return coerce(params)


def _header_params(value: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for quoted_name, quoted, bare_name, bare in _PARAM.findall(value):
        if quoted_name:
            found[quoted_name.lower()] = quoted.replace('\\"', '"').replace("%22", '"')
        else:
            found[bare_name.lower()] = bare
    return found


def parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    boundary = _header_params(content_type).get("boundary")
    if not boundary:
        raise bad_request("multipart body without boundary")
    fields: dict[str, Any] = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            fields[name] = UploadedFile(
                filename=disposition["filename"],
                content=content,
                content_type=headers.get("content-type", "application/octet-stream"),
            )
        else:
            fields[name] = content.decode()
    return fields
