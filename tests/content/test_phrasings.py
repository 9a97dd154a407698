from __future__ import annotations

from pathlib import Path

from moussaillon.config import BUNDLED_COURSE
from moussaillon.content.check import check_course, phrasing_problems
from moussaillon.content.deck import load_course, parse_deck
from moussaillon.content.phrasings import for_course, load_phrasings, unknown_ids
from moussaillon.content.search import SearchIndex


def test_every_bundled_section_has_phrasings_and_every_id_exists() -> None:
    course = load_course(BUNDLED_COURSE).course
    phrasings = load_phrasings()
    assert unknown_ids(course) == []
    assert {section.id for section in course.sections} == set(phrasings)
    assert all(len(texts) >= 2 for texts in phrasings.values())


def test_course_check_fails_on_an_id_the_course_does_not_have(tmp_path: Path) -> None:
    course = load_course(BUNDLED_COURSE).course
    stale = tmp_path / "phrasings.toml"
    stale.write_text(
        '[phrasings]\nlister-les-images = ["voir mes images"]\nrenamed-away = ["x"]\n',
        encoding="utf-8",
    )
    problems = phrasing_problems(BUNDLED_COURSE, course, stale)
    assert [(p.severity, p.message) for p in problems] == [
        ("error", "phrasings for a section the course does not have: renamed-away")
    ]
    assert check_course(BUNDLED_COURSE).errors == 0


def test_another_course_is_not_checked_against_the_bundled_phrasings(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("# C #\n\n## Seule ##\ntexte\n", encoding="utf-8")
    assert check_course(deck).problems == []
    assert for_course(load_course(deck).course) == {}


def test_a_phrasing_finds_a_section_its_own_words_do_not() -> None:
    course = parse_deck(
        "# Chapitre #\n\n## Cargaison ##\nLa cargaison du navire.\n\n"
        "## Voilure ##\nLes voiles et le gréement.\n"
    ).course
    plain = SearchIndex.build(course)
    asked = SearchIndex.build(course, phrasings={"voilure": ["hisser la toile du bateau"]})
    assert [hit.section_id for hit in asked.search("hisser la toile")] == ["voilure"]
    assert [hit.section_id for hit in plain.search("hisser toile", limit=3)] != ["voilure"]
