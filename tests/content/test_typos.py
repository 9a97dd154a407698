from __future__ import annotations

import pytest

from moussaillon.content.deck import parse_deck
from moussaillon.content.search import SearchIndex
from moussaillon.content.typos import Vocabulary, distance

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
