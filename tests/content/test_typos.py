from __future__ import annotations

import pytest

from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.deck import load_course, parse_deck
from moussaillon.content.search import SearchIndex
from moussaillon.content.typos import Vocabulary, distance, french_words

WORDS = "conteneur conteneur conteneurs images image volume reseau virtualisation para".split()


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("image", "image", 0),
        ("imgae", "image", 1),
        ("imge", "image", 1),
        ("conteneru", "conteneur", 1),
        ("cnoteneru", "conteneur", 2),
        ("", "abc", 3),
    ],
)
def test_distance_counts_a_swap_as_one(left: str, right: str, expected: int) -> None:
    assert distance(left, right) == distance(right, left) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("imgaes", "images"),
        ("volum", "volume"),
        ("reseua", "reseau"),
        ("contenuers", "conteneurs"),
        ("conteneur", None),
        ("zzzz", None),
        ("vol", None),
        ("virtualisatoin", "virtualisation"),
    ],
)
def test_correction_within_one_or_two_edits(typed: str, expected: str | None) -> None:
    assert Vocabulary(WORDS).correct(typed) == expected


def test_short_words_allow_one_edit_only() -> None:
    assert Vocabulary(["reseau"]).correct("rezeua") is None  # two edits on six letters


def test_ties_go_to_the_more_frequent_word() -> None:
    assert Vocabulary(["image", "images", "images"]).correct("imagez") == "images"


def test_glued_words_are_split() -> None:
    vocabulary = Vocabulary(WORDS)
    assert vocabulary.split("paravirtualisation") == ["para", "virtualisation"]
    assert vocabulary.split("imagevolume") == ["image", "volume"]
    assert vocabulary.split("zzzzzz") == []


def test_a_typo_finds_the_section_the_right_word_finds() -> None:
    deck = (
        "# Chapitre #\n\n"
        "## Cargaison ##\nLa cargaison du navire.\n\n"
        "## Voilure ##\nLes voiles et le gréement.\n"
    )
    index = SearchIndex.build(parse_deck(deck).course)
    assert [h.section_id for h in index.search("cragaison")] == ["cargaison"]
    assert [h.section_id for h in index.search("greemnet")] == ["voilure"]


FRENCH = frozenset({"stopper", "virer", "reduire", "ecris", "ecrit", "reduit", "images"})


@pytest.mark.parametrize("typed", ["stopper", "virer"])
def test_a_french_word_is_not_a_typo_of_an_english_course_word(typed: str) -> None:
    vocabulary = Vocabulary(["stopped", "vis", "vise"], known=FRENCH, commands=["stopped"])
    assert vocabulary.correct(typed) is None
    assert vocabulary.split(typed) == []


def test_a_french_word_becomes_the_course_s_form_of_it() -> None:
    vocabulary = Vocabulary(["reduit", "ecrit", "redis"], known=FRENCH)
    assert vocabulary.correct("reduire") == "reduit"
    assert vocabulary.correct("ecris") == "ecrit"


def test_corrections_land_on_french_or_command_words_only() -> None:
    vocabulary = Vocabulary(["apply", "prune", "images"], known=FRENCH, commands=["prune"])
    assert vocabulary.correct("appla") is None  # "apply" is neither French nor a command here
    assert vocabulary.correct("prnue") == "prune"
    assert vocabulary.correct("imgaes") == "images"


def test_on_a_tie_a_command_word_wins() -> None:
    vocabulary = Vocabulary(["docket", "docker"], commands=["docker"])
    assert vocabulary.correct("dockeo") == "docker"


def test_the_bundled_list_knows_everyday_french() -> None:
    words = french_words()
    assert {"stopper", "virer", "supprimer", "effacer", "conteneur"} <= words
    assert not {"suprimer", "conteneru", "imgaes"} & words


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("stopper un conteneur", ["arret", "conteneur"]),
        ("virer un conteneur", ["supprim", "conteneur"]),
        ("mon appli", ["appliqu"]),
        ("contianer", ["conteneur"]),
        ("suprimer", ["supprim"]),
    ],
)
def test_the_course_index_keeps_french_words_french(question: str, expected: list[str]) -> None:
    index = SearchIndex.build(load_course(BUNDLED_COURSE).course)
    assert index.terms(question) == expected
