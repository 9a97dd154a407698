"""Every user-facing text exists in French and English, with the same placeholders."""

import string

import pytest

from moussaillon.core.i18n import _merge, catalogue, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, texts in catalogue().items():
        assert texts["fr"].strip() and texts["en"].strip(), key
        assert _fields(texts["fr"]) == _fields(texts["en"]), key


def test_french_is_the_default_and_english_is_chosen_by_prefix():
    assert t("tg.btn_next") == t("tg.btn_next", "fr") == "Suivant ▶"
    assert t("tg.btn_next", "en-GB") == "Next ▶"
    assert t("tg.btn_next", "de") == "Suivant ▶"


def test_duplicate_or_incomplete_catalogues_are_refused():
    with pytest.raises(ValueError, match="twice"):
        _merge({"a": {"fr": "x", "en": "y"}}, {"a": {"fr": "x", "en": "y"}})
    with pytest.raises(ValueError, match="lacks"):
        _merge({"b": {"fr": "x"}})


def test_an_unregistered_catalogue_says_how_to_fill_it() -> None:
    """A process that reads a text before registering the areas' catalogues (a benchmark, a
    script) gets the way out, not a KeyError on the first message key."""
    import pytest

    from moussaillon.core.i18n import Messages

    with pytest.raises(RuntimeError, match="register_messages"):
        Messages().texts()
