"""User-facing text in French (default) and English.

Each area keeps its own catalogue (``moussaillon/<area>/messages.py`` exporting ``MESSAGES``)
so that adding a feature never means editing someone else's strings. The app factory registers
them (``moussaillon.areas``): this module knows no area by name, merges what it is given and
refuses duplicate keys or a missing language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["fr", "en"]
LANGUAGES: tuple[Lang, ...] = ("fr", "en")
DEFAULT_LANGUAGE: Lang = "fr"

Catalogue = Mapping[str, Mapping[str, str]]


def _merge(*catalogues: Catalogue) -> dict[str, dict[str, str]]:
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


class Messages:
    """The merged catalogue: one per process, filled by the app factory before any text is read."""

    def __init__(self) -> None:
        self._texts: dict[str, dict[str, str]] = {}
        self._sources: list[Catalogue] = []

    def register(self, *catalogues: Catalogue) -> None:
        """Idempotent: the CLI and the tests build apps often, a catalogue counts once."""
        fresh = [c for c in catalogues if not any(c is known for known in self._sources)]
        if fresh:
            self._texts = _merge(*self._sources, *fresh)
            self._sources.extend(fresh)

    def texts(self) -> dict[str, dict[str, str]]:
        if not self._sources:
            raise RuntimeError(
                "no message catalogue registered: build the app (moussaillon.app) or call "
                "moussaillon.areas.register_messages() first"
            )
        return self._texts


MESSAGES = Messages()
register = MESSAGES.register


def catalogue() -> dict[str, dict[str, str]]:
    return MESSAGES.texts()


def normalize_lang(value: str | None) -> Lang:
    if value and value[:2].lower() == "en":
        return "en"
    return DEFAULT_LANGUAGE if not value or value[:2].lower() != "fr" else "fr"


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key``; an unknown key is a programming error and raises ``KeyError``."""
    texts = catalogue()[key]
    text = texts.get(normalize_lang(lang)) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text
