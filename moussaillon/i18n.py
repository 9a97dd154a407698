"""User-facing text in French (default) and English.

Each area keeps its own catalogue (``moussaillon/<area>/messages.py`` exporting ``MESSAGES``)
so that adding a feature never means editing someone else's strings; this module merges them
once at import and refuses duplicate keys or a missing language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["fr", "en"]
LANGUAGES: tuple[Lang, ...] = ("fr", "en")
DEFAULT_LANGUAGE: Lang = "fr"


MESSAGE_MODULES: tuple[str, ...] = (
    "moussaillon.bot.messages",
    "moussaillon.content.messages",
    "moussaillon.sandbox.messages",
    "moussaillon.sandbox.engine_messages",
    "moussaillon.sandbox.limits_messages",
    "moussaillon.labs.messages",
    "moussaillon.quiz.messages",
    "moussaillon.classes.messages",
    "moussaillon.handlers.messages",
    "moussaillon.handlers.rest.messages",
)


def _merge(*catalogues: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for catalogue in catalogues:
        for key, texts in catalogue.items():
            if key in merged:
                raise ValueError(f"message key defined twice: {key}")
            missing = [lang for lang in LANGUAGES if lang not in texts]
            if missing:
                raise ValueError(f"message {key} lacks {missing}")
            merged[key] = dict(texts)
    return merged


def _load() -> dict[str, dict[str, str]]:
    import importlib

    return _merge(*(importlib.import_module(name).MESSAGES for name in MESSAGE_MODULES))


_CATALOGUE: dict[str, dict[str, str]] | None = None


def catalogue() -> dict[str, dict[str, str]]:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _load()
    return _CATALOGUE


def normalize_lang(value: str | None) -> Lang:
    if value and value[:2].lower() == "en":
        return "en"
    return DEFAULT_LANGUAGE if not value or value[:2].lower() != "fr" else "fr"


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key``; an unknown key is a programming error and raises ``KeyError``."""
    texts = catalogue()[key]
    text = texts.get(normalize_lang(lang)) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text
