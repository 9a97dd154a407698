"""Every user-facing text exists in French and English, with the same placeholders."""

import re
import string

import pytest

from moussaillon.core.i18n import _merge, catalogue, t
from moussaillon.sandbox.help import TOPICS, help_text
from moussaillon.sandbox.parser import GROUPS


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


# French speaks to students as *vous*: tell-tale forms of *tu* (pronouns, possessives, tu-form
# imperatives with a hyphenated pronoun), and a few imperatives that open a sentence.
_TU_WORDS = r"tu|toi|ton|ta|tes|te|tien|tienne|tiens"
_VOUS_ENDINGS = r"(?<!ez)(?<!faites)(?<!dites)"
_TU_PRONOUNS = re.compile(
    rf"(?<![\w'’-])(?:(?:{_TU_WORDS})(?![\w'’-])|t['’](?=\w))"
    rf"|\w{_VOUS_ENDINGS}-(?:moi|en|le|la|les|lui|leur|y)\b"
    r"|-toi\b|\w-tu\b",
    re.IGNORECASE,
)
# Only in the catalogues: the docker help describes commands in the third person ("Supprime
# des conteneurs."), as docker's own help does.
_TU_IMPERATIVES = re.compile(
    r"(?:^|[.:;!?(«—\n]\s*)(?:Réessaie|Essaie|Tape|Retape|Envoie|Pose|Écris|Choisis|Utilise"
    r"|Relance|Regarde|Vérifie|Ouvre|Réponds|Attends|Fais|Mets|Lis|Ajoute|Retire|Demande"
    r"|Supprime|Lance|Va|Viens|Rejoins|Appuie|Clique|Marque|Patiente|Recommence)\b",
    re.IGNORECASE,
)


def _tu_forms(text: str, *, imperatives: bool = True) -> list[str]:
    patterns = (_TU_PRONOUNS, _TU_IMPERATIVES) if imperatives else (_TU_PRONOUNS,)
    return [m.group(0).strip() for pattern in patterns for m in pattern.finditer(text)]


def test_the_tu_detector_catches_tu_and_spares_vous():
    for tu in (
        "Pose-moi une question",
        "Réessaie dans 5 s.",
        "Supprime-en un",
        "as-tu vu",
        "peux-tu",
        "choisis un autre nom pour ton tag",
        "tu ne peux pas",
        "tes objets",
        "Lève-toi",
        "Retire-la.",
        "Erreur. Tape /help",
        "t'inquiète",
    ):
        assert _tu_forms(tu), tu
    for vous in (
        "Posez-moi une question",
        "Réessayez dans 5 s.",
        "Supprimez-en un",
        "Demandez-en une",
        "Faites-lui écrire moins",
        "le statut",
        "toutes les étapes",
        "un bouton",
        "data",
        "ls -la /chemin",
        "c'est parti",
        "Je ne peux pas",
        "peut-être",
        "Retirez-la.",
    ):
        assert not _tu_forms(vous), vous
    assert not _tu_forms("Supprime des conteneurs.", imperatives=False)


def test_french_texts_say_vous():
    found = {key: _tu_forms(texts["fr"]) for key, texts in catalogue().items()}
    assert {key: forms for key, forms in found.items() if forms} == {}


def test_the_docker_help_says_vous():
    texts = [
        help_text(None, "fr"),
        *(help_text(topic, "fr") for topic in TOPICS),
        *(help_text(group, "fr") for group in GROUPS),
    ]
    assert [f for text in texts for f in _tu_forms(text, imperatives=False)] == []
