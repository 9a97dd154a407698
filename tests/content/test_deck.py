from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moussaillon.content.deck import DeckResult, Problem, load_course, parse_deck
from moussaillon.core.errors import CourseError

from .conftest import FIXTURES, line_of

COMPLETE = FIXTURES / "complete.md"
BROKEN_FENCE = FIXTURES / "broken-fence.md"
BROKEN = FIXTURES / "broken-structure.md"


def problems_at(result: DeckResult, severity: str, fragment: str) -> list[Problem]:
    return [p for p in result.problems if p.severity == severity and fragment in p.message]


@pytest.fixture()
def complete(tmp_path: Path) -> DeckResult:
    deck = tmp_path / "complete.md"
    shutil.copy(COMPLETE, deck)
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "isolation.png").write_bytes(b"\x89PNG")
    return load_course(deck)


def test_front_matter(complete: DeckResult) -> None:
    course = complete.course
    assert course.title == "Conteneurs en pratique"
    assert course.subtitle == "Formation interne"
    assert course.author == "Équipe Moussaillon"
    assert course.date == "27/11/2026"


def test_chapters_and_sections_with_their_lines(complete: DeckResult) -> None:
    course = complete.course
    assert [(c.id, c.number, c.title) for c in course.chapters] == [
        ("premiers-pas", 1, "Premiers pas"),
        ("reseaux", 2, "Réseaux"),
    ]
    assert course.chapters[0].line == line_of(COMPLETE, "# Premiers pas #")
    assert course.chapters[1].line == line_of(COMPLETE, "# Réseaux")
    assert [s.id for s in course.sections] == [
        "pourquoi-des-conteneurs",
        "schema-de-l-isolation",
        "lancer",
        "pourquoi-des-conteneurs-2",
    ]
    assert all(section.source.endswith("complete.md") for section in course.sections)
    assert course.section("lancer").line == line_of(COMPLETE, "## Lancer un conteneur")
    assert course.section("pourquoi-des-conteneurs-2").line == line_of(
        COMPLETE, "## Pourquoi des conteneurs", occurrence=2
    )


def test_heading_attributes_give_classes_and_explicit_ids(complete: DeckResult) -> None:
    course = complete.course
    assert course.section("schema-de-l-isolation").classes == ["figcenter"]
    assert course.section("schema-de-l-isolation").title == "Schéma de l'isolation"
    lancer = course.section("lancer")
    assert lancer.title == "Lancer un conteneur" and lancer.classes == ["wide"]


def test_inline_code_attributes_are_dropped_but_code_kept(complete: DeckResult) -> None:
    body = complete.course.section("pourquoi-des-conteneurs").body
    assert "`Les conteneurs tournent aussi sous Windows !`" in body
    assert "{.note" not in body and ".fragment" not in body


def test_notes_are_split_from_the_body(complete: DeckResult) -> None:
    first = complete.course.section("pourquoi-des-conteneurs")
    assert first.notes == "Rappeler la différence avec une VM."
    assert "aside" not in first.body and "VM" not in first.body
    lancer = complete.course.section("lancer")
    assert lancer.notes == "Montrer `docker ps -a` ensuite."
    assert "docker ps -a" not in lancer.body
    assert complete.course.section("schema-de-l-isolation").notes == ""


def test_aside_closed_by_a_second_aside_is_a_warning(complete: DeckResult) -> None:
    [problem] = problems_at(complete, "warning", "not closed")
    assert problem.line == line_of(COMPLETE, "<aside class=notes>")
    assert "Fin de la section." in complete.course.section("lancer").body


def test_hash_lines_inside_fences_are_code_not_headings(complete: DeckResult) -> None:
    lancer = complete.course.section("lancer")
    assert "# Ceci est un commentaire, pas un titre" in lancer.body
    last = complete.course.section("pourquoi-des-conteneurs-2")
    assert "# encore un commentaire" in last.body and "~~~yaml" in last.body


def test_level_three_headings_stay_in_the_section(complete: DeckResult) -> None:
    assert "### Un sous-titre reste du contenu" in complete.course.section("lancer").body


def test_tables_strike_and_images_survive(complete: DeckResult) -> None:
    lancer = complete.course.section("lancer").body
    assert "| `--rm` | supprime le conteneur à la fin |" in lancer
    assert "~~ancien~~" in lancer
    schema = complete.course.section("schema-de-l-isolation")
    assert schema.images == ["img/isolation.png"]


def test_a_clean_deck_with_its_images_has_only_the_aside_warning(complete: DeckResult) -> None:
    assert [p.severity for p in complete.problems] == ["warning"]


def test_missing_image_is_a_warning_only_on_disk() -> None:
    on_disk = load_course(COMPLETE)
    [problem] = problems_at(on_disk, "warning", "image not found")
    assert problem.line == line_of(COMPLETE, "![Isolation des processus]")
    assert problem.source == str(COMPLETE)
    in_memory = parse_deck(COMPLETE.read_text(encoding="utf-8"), "complete.md")
    assert not problems_at(in_memory, "warning", "image not found")


def test_unclosed_fence_is_an_error_at_the_fence_and_the_rest_is_kept() -> None:
    result = load_course(BROKEN_FENCE)
    [error] = [p for p in result.problems if p.severity == "error"]
    assert error.line == line_of(BROKEN_FENCE, "```bash")
    assert "never closed" in error.message
    course = result.course
    assert [s.title for s in course.sections] == ["Section ouverte", "Section suivante"]
    assert len(course.chapters) == 1
    opened = course.section("section-ouverte").body
    assert "# la clôture manque" in opened
    assert opened.count("```") == 2


def test_fence_left_open_at_the_end_is_closed() -> None:
    result = parse_deck("# C #\n\n## S ##\n\n~~~~\ncode\n")
    assert [(p.line, p.severity) for p in result.problems] == [(5, "error")]
    assert result.course.section("s").body == "~~~~\ncode\n~~~~"


@pytest.fixture(scope="module")
def broken() -> DeckResult:
    return load_course(BROKEN)


def test_bad_front_matter_line(broken: DeckResult) -> None:
    [problem] = problems_at(broken, "warning", "front matter")
    assert problem.line == line_of(BROKEN, "ceci n'est pas une clé")
    assert broken.course.title == "Cours cassé"


def test_content_before_first_chapter_goes_to_an_implicit_chapter(broken: DeckResult) -> None:
    [problem] = problems_at(broken, "warning", "before the first chapter")
    assert problem.line == line_of(BROKEN, "Du texte avant tout chapitre.")
    implicit = broken.course.chapters[0]
    assert implicit.title == "Cours cassé"
    assert [s.title for s in implicit.sections] == ["Cours cassé", "Section orpheline"]
    assert implicit.sections[0].body == "Du texte avant tout chapitre."


def test_headings_without_title_are_errors(broken: DeckResult) -> None:
    errors = [p for p in broken.problems if p.severity == "error"]
    assert [(p.line, p.message) for p in errors] == [
        (line_of(BROKEN, "##  ##"), "section heading has no title"),
        (line_of(BROKEN, "#", exact=True), "chapter heading has no title"),
    ]
    untitled = broken.course.chapter("chapitre").sections[0]
    assert untitled.title == "(sans titre)" and untitled.body == "Section sans titre."


def test_empty_section_and_chapter_are_warnings(broken: DeckResult) -> None:
    [empty] = problems_at(broken, "warning", "is empty")
    assert empty.line == line_of(BROKEN, "## Section vide ##")
    no_section = problems_at(broken, "warning", "has no section")
    assert line_of(BROKEN, "# Chapitre sans section #") in [p.line for p in no_section]


def test_unclosed_aside_ends_at_the_next_heading(broken: DeckResult) -> None:
    [problem] = problems_at(broken, "warning", "not closed")
    assert problem.line == line_of(BROKEN, '<aside class="notes">')
    course = broken.course
    assert course.section("section-vide").notes == "Des notes jamais fermées."
    after = course.section("apres-les-notes")
    assert after.notes == "" and "![Absente]" in after.body


def test_only_local_missing_images_are_reported(broken: DeckResult) -> None:
    [problem] = problems_at(broken, "warning", "image not found")
    assert problem.line == line_of(BROKEN, "![Absente]")
    assert broken.course.section("apres-les-notes").images == [
        "img/absente.png",
        "https://example.org/x.png",
    ]


def test_problems_are_in_line_order(broken: DeckResult) -> None:
    lines = [p.line for p in broken.problems]
    assert lines == sorted(lines)


def test_parse_deck_never_raises_on_garbage() -> None:
    garbage = [
        "",
        "---",
        "---\n---",
        "```",
        "<aside>",
        "</aside>",
        "#",
        "##",
        "# #\n## ##\n",
        "\x00\x01 ![](",
        "## S ##\n<aside><aside></aside></aside>",
        "---\ntitle: x\n",
        "\ufeff# Chapitre #\r\n\r\n## Section ##\r\ntexte\r\n",
    ]
    for text in garbage:
        result = parse_deck(text)
        assert isinstance(result, DeckResult)
    crlf = parse_deck(garbage[-1]).course
    assert [s.id for s in crlf.sections] == ["section"] and crlf.sections[0].body == "texte"


def test_a_deck_without_any_chapter_is_an_error_in_memory() -> None:
    result = parse_deck("rien ici")
    assert result.course.chapters[0].sections[0].body == "rien ici"
    assert parse_deck("").problems[-1].severity == "error"


def test_unclosed_front_matter_is_a_warning() -> None:
    result = parse_deck("---\ntitle: x\n\n# C #\n\n## S ##\ntexte\n")
    assert ("warning", 1) in [(p.severity, p.line) for p in result.problems]
    assert result.course.section("s").body == "texte"


def test_inline_aside_on_one_line() -> None:
    result = parse_deck('# C #\n\n## S ##\navant <aside class="notes">secret</aside> après\n')
    section = result.course.section("s")
    assert section.notes == "secret"
    assert "secret" not in section.body and "avant" in section.body and "après" in section.body
    assert result.problems == []


def test_directory_is_one_course_with_line_numbers_per_file() -> None:
    result = load_course(FIXTURES / "course")
    course = result.course
    assert result.problems == []
    assert course.title == "Docker pour les moussaillons"
    assert [c.id for c in course.chapters] == ["concepts", "conteneurs", "donnees-et-reseaux"]
    assert len(course.sections) == 15
    volumes = course.section("les-volumes")
    second = FIXTURES / "course" / "03-donnees-reseau.md"
    assert volumes.source == str(second)
    assert volumes.line == line_of(second, "## Les volumes ##")
    assert course.chapters[1].line == 1


def test_directory_ids_are_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "02-b.md").write_text("# Suite #\n\n## Correction ##\ny\n", encoding="utf-8")
    (tmp_path / "01-a.md").write_text("# Début #\n\n## Correction ##\nx\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Pas du cours #\n\n## Non ##\nz\n", encoding="utf-8")
    course = load_course(tmp_path).course
    assert [s.id for s in course.sections] == ["correction", "correction-2"]
    assert [s.body for s in course.sections] == ["x", "y"]
    assert course.title == "Début"


def test_invalid_utf8_is_reported_not_fatal(tmp_path: Path) -> None:
    deck = tmp_path / "latin1.md"
    deck.write_bytes("# Chapitre #\n\n## Section ##\n\nCafé\n".encode("latin-1"))
    result = load_course(deck)
    [problem] = result.problems
    assert problem.severity == "error" and problem.line == 5
    assert result.course.section("section").body.startswith("Caf")


def test_missing_path_and_empty_course_raise(tmp_path: Path) -> None:
    with pytest.raises(CourseError) as missing:
        load_course(tmp_path / "absent")
    assert missing.value.key == "content.course_missing"
    assert "absent" in missing.value.message("fr")
    with pytest.raises(CourseError) as empty:
        load_course(tmp_path)
    assert empty.value.key == "content.course_empty"
    (tmp_path / "notes.md").write_text("# Chapitre seul #\n", encoding="utf-8")
    with pytest.raises(CourseError):
        load_course(tmp_path)


def test_fences_hide_asides_and_shorter_fences() -> None:
    deck = (
        "# C {#chap} #\n\n## S ##\n\n"
        '````markdown\n```bash\n<aside class="notes">pas une note</aside>\n## pas un titre\n```\n'
        "````\n\nAprès.\n"
    )
    result = parse_deck(deck)
    assert result.problems == []
    section = result.course.section("s")
    assert section.notes == ""
    assert '<aside class="notes">pas une note</aside>' in section.body
    assert "## pas un titre" in section.body and section.body.endswith("Après.")
    assert result.course.chapters[0].id == "chap"


def test_heading_with_only_attributes_has_no_title() -> None:
    result = parse_deck("# C #\n\n## {.figcenter} ##\n\n![](x.png)\n")
    assert [(p.line, p.severity) for p in result.problems] == [(3, "error")]
    assert result.course.sections[0].classes == ["figcenter"]


def test_aside_written_as_inline_code_is_text() -> None:
    result = parse_deck('# C #\n\n## S ##\nLa balise `<aside class="notes">` et `![x](y.png)`.\n')
    section = result.course.section("s")
    assert section.notes == "" and '`<aside class="notes">`' in section.body
    assert section.images == [] and result.problems == []


PIECES = [
    "# Chapitre #",
    "# Chapitre",
    "## Section ##",
    "## Section ##{.figcenter}",
    "##",
    "#",
    "## Même titre ##",
    "## {#explicite} Titre ##",
    "### Sous-titre",
    "```bash",
    "```",
    "~~~",
    "# commentaire",
    '<aside class="notes">',
    "</aside>",
    "<aside>",
    "texte",
    "",
    "- item",
    "  - sous-item",
    "| a | b |",
    "|--|--|",
    "![alt](img/x.png)",
    "---",
    "`code`{.note}",
    "title : x",
    "Titre très long " * 8,
]


@pytest.mark.parametrize("seed", range(30))
def test_random_decks_never_break_the_importer(seed: int) -> None:
    import random

    rng = random.Random(seed)
    lines = [rng.choice(PIECES) for _ in range(rng.randint(0, 80))]
    result = parse_deck("\n".join(lines))
    for problem in result.problems:
        assert 1 <= problem.line <= max(len(lines), 1)
    sections = result.course.sections
    assert len({s.id for s in sections}) == len(sections)
    assert all(0 < len(s.id) <= 40 and s.id.isascii() for s in sections)
    for section in sections:
        heading = lines[section.line - 1] if section.line <= len(lines) else ""
        assert heading.startswith("#") or heading.strip(), (section.line, heading)
