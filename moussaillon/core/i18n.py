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


# -- numbers and counts as a reader expects them --------------------------------------------

NBSP = "\u00a0"  # before « : » « % » in French
NNBSP = "\u202f"  # narrow no-break space: French thousands (CLDR)


def singular(count: float, lang: str | None = None) -> bool:
    """French takes the singular below 2 (0 and 1 included: « 0 section », « 1,5 heure »);
    English only for exactly 1."""
    if normalize_lang(lang) == "fr":
        return abs(count) < 2
    return count == 1


def plural(count: float, one: str, other: str, lang: str | None = None) -> str:
    """``one`` or ``other`` as ``count`` asks: ``plural(n, "section", "sections")``."""
    return one if singular(count, lang) else other


def t_count(key: str, count: float, lang: str | None = None, /, **params: object) -> str:
    """The catalogue's ``<key>_one`` or ``<key>_other``, chosen by ``count``."""
    return t(f"{key}_{'one' if singular(count, lang) else 'other'}", lang, **params)


def number(value: float, lang: str | None = None, digits: int = 0) -> str:
    """``12 345`` and ``1,5`` in French (narrow no-break space, decimal comma); ``12,345`` and
    ``1.5`` in English."""
    text = f"{value:,.{digits}f}"
    if normalize_lang(lang) != "fr":
        return text
    return text.replace(",", NNBSP).replace(".", ",")


def percent(done: float, total: float, lang: str | None = None) -> str:
    """``done`` out of ``total`` as a whole percentage: ``42 %`` (no-break space) in French."""
    share = round(100 * done / total) if total else 0
    return f"{share}{NBSP}%" if normalize_lang(lang) == "fr" else f"{share}%"


def ordinal(rank: int, lang: str | None = None) -> str:
    """``1er``, ``2e`` in French; ``1st``, ``2nd``, ``3rd``, ``11th`` in English."""
    if normalize_lang(lang) == "fr":
        return "1er" if rank == 1 else f"{rank}e"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"
