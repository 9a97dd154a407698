from __future__ import annotations

import pytest

from moussaillon.content.deck import parse_deck
from moussaillon.content.model import MAX_ID_LENGTH, Course, IdAllocator, slugify
from moussaillon.core.errors import NotFound

DECK = """# Un #

## Alpha ##
a

## Bêta ##
b

# Deux #

## Gamma ##
c
"""


@pytest.fixture()
def course() -> Course:
    return parse_deck(DECK).course


def test_sections_are_flat_and_in_reading_order(course: Course) -> None:
    assert [s.id for s in course.sections] == ["alpha", "beta", "gamma"]
    assert [s.chapter_id for s in course.sections] == ["un", "un", "deux"]
    assert [s.number for s in course.sections] == [1, 2, 1]


def test_lookup_by_id(course: Course) -> None:
    assert course.section("beta").title == "Bêta"
    assert course.chapter("deux").title == "Deux"


def test_unknown_ids_raise_not_found_with_a_readable_message(course: Course) -> None:
    with pytest.raises(NotFound) as section_error:
        course.section("nope")
    assert section_error.value.key == "content.section_not_found"
    assert "nope" in section_error.value.message("fr")
    assert "nope" in section_error.value.message("en")
    with pytest.raises(NotFound) as chapter_error:
        course.chapter("nope")
    assert chapter_error.value.key == "content.chapter_not_found"
    with pytest.raises(NotFound):
        course.neighbours("nope")


def test_neighbours_cross_chapter_boundaries(course: Course) -> None:
    previous, following = course.neighbours("alpha")
    assert previous is None and following is not None and following.id == "beta"
    previous, following = course.neighbours("beta")
    assert previous is not None and previous.id == "alpha"
    assert following is not None and following.id == "gamma"
    previous, following = course.neighbours("gamma")
    assert previous is not None and previous.id == "beta" and following is None


def test_position_in_chapter(course: Course) -> None:
    assert course.position("alpha") == (1, 2)
    assert course.position("beta") == (2, 2)
    assert course.position("gamma") == (1, 1)


def test_models_are_frozen(course: Course) -> None:
    with pytest.raises(ValueError):
        course.sections[0].title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Où trouve-t-on les images ?", "ou-trouve-t-on-les-images"),
        ("C'est quoi un conteneur ?", "c-est-quoi-un-conteneur"),
        ("Docker : l'outil", "docker-l-outil"),
        ("  ÉLÉVATION   des   privilèges  ", "elevation-des-privileges"),
        ("🐳", "section"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugs_are_short_ascii_and_fit_callback_data() -> None:
    long_title = "Création d'un volume lors de la création d'un conteneur éphémère très long"
    slug = slugify(long_title)
    assert len(slug) <= MAX_ID_LENGTH
    assert slug.isascii() and not slug.endswith("-")
    allocator = IdAllocator()
    ids = [allocator.automatic(slug) for _ in range(12)]
    assert len(set(ids)) == 12
    assert all(len(i) <= MAX_ID_LENGTH for i in ids)
    assert ids[1].endswith("-2") and ids[11].endswith("-12")


def test_duplicate_titles_get_suffixes_in_document_order() -> None:
    deck = "# A #\n\n## Correction ##\nx\n\n# B #\n\n## Correction ##\ny\n\n## Correction ##\nz\n"
    ids = [s.id for s in parse_deck(deck).course.sections]
    assert ids == ["correction", "correction-2", "correction-3"]


def test_explicit_ids_win_over_earlier_automatic_ones() -> None:
    deck = "# A #\n\n## Intro ##\nx\n\n## Autre {#intro} ##\ny\n"
    sections = parse_deck(deck).course.sections
    assert [s.id for s in sections] == ["intro-2", "intro"]
    assert sections[1].title == "Autre"
