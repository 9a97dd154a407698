from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.content.lexicon import (
    CONTROL,
    MAX_TERM_LENGTH,
    MAX_TERMS,
    Stemmer,
    fold,
    meaningful,
    query_words,
)
from moussaillon.content.model import Course, Section
from moussaillon.content.phrasings import Phrasings
from moussaillon.content.render import to_code_text, to_plain_text
from moussaillon.content.semantic import Meaning, SemanticIndex
from moussaillon.content.typos import Vocabulary, french_words
from moussaillon.core.errors import BadInput

__all__ = ["MAX_TERMS", "MAX_TERM_LENGTH", "Hit", "Mode", "SearchIndex", "fold", "query_terms"]

Mode = Literal["fused", "lexical", "semantic"]

MAX_LIMIT = 50
RERANK_POOL = 50
TITLE_BOOST = 1.0
# Unknown words corrected per question: keeps a page of gibberish cheap on the event loop.
MAX_CORRECTIONS = 8
PREFIX_STEM = 6
TITLE_WEIGHT, CHAPTER_WEIGHT, BODY_WEIGHT, PHRASE_WEIGHT = 8.0, 3.0, 1.0, 4.0
SNIPPET_TOKENS = 16
PASSAGE_SNIPPET_CHARS = 160
MATCH_START, MATCH_END = "\x02", "\x03"
PAD_TOKEN = "moussaillonpad"
COLUMNS = "title, chapter_title, body_stems, body, phrases"

SEARCH_SQL = f"""
    SELECT rowid,
        bm25(sections, {TITLE_WEIGHT}, {CHAPTER_WEIGHT}, {BODY_WEIGHT}, 0.0, {PHRASE_WEIGHT})
            AS score
    FROM sections WHERE sections MATCH ? AND rowid < ? ORDER BY score LIMIT ?
"""
# Snippets cost more than ranking: compute them only for the few rows returned, in one query.
SNIPPET_SQL = f"""
    SELECT rowid, snippet(sections, 3, char(2), char(3), '…', {SNIPPET_TOKENS})
    FROM sections WHERE sections MATCH ? AND rowid IN (SELECT value FROM json_each(?))
"""
CACHE_SIZE = 2048
# Fused score = bm25 (title-boosted) divided by the question's best, plus this much cosine
# similarity: tuned on the dev questions of bench.search_eval (docs/search.md has the grid).
SEMANTIC_WEIGHT = 1.5


class Hit(BaseModel):
    model_config = ConfigDict(frozen=True)

    section_id: str
    chapter_id: str
    title: str
    chapter_title: str
    snippet: str
    snippet_text: str
    score: float


def query_terms(query: str) -> list[str]:
    """The stems of a question's meaningful words, in order, without duplicates."""
    stem = Stemmer()
    terms: list[str] = []
    for word in query_words(query):
        if (term := stem(word)) not in terms:
            terms.append(term)
    return terms


def _quoted(term: str, prefix: bool = False) -> str:
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix and len(term) >= 3 else "")


def fts_query(terms: list[str]) -> str:
    """Stems against the stemmed columns: whole, or as prefixes when long enough to be safe.

    Snowball leaves "redemarr" (redémarre) and "redemarrag" (redémarrage) apart; a prefix joins
    them, while short stems stay whole so that "voir" could never meet « voire ».
    """
    quoted = (_quoted(term, prefix=len(term) >= PREFIX_STEM) for term in terms)
    return "{title chapter_title body_stems phrases} : (" + " OR ".join(quoted) + ")"


def snippet_query(terms: list[str]) -> str:
    """Stems as prefixes of the plain body's words, only to place the snippet's highlights."""
    return "body : (" + " OR ".join(_quoted(term, prefix=True) for term in terms) + ")"


def _snippet(raw: str) -> tuple[str, str]:
    """(Telegram HTML with matches in <b>, plain text with matches in «»)."""
    raw = " ".join(raw.split())
    html_parts: list[str] = []
    text_parts: list[str] = []
    for index, piece in enumerate(re.split(f"[{MATCH_START}{MATCH_END}]", raw)):
        matched = index % 2 == 1
        escaped = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        html_parts.append(f"<b>{escaped}</b>" if matched and piece else escaped)
        text_parts.append(f"«{piece}»" if matched and piece else piece)
    return "".join(html_parts), "".join(text_parts)


def _shorten(passage: str) -> str:
    """About as long as an FTS5 snippet, cut between words."""
    if len(passage) <= PASSAGE_SNIPPET_CHARS:
        return passage
    return passage[:PASSAGE_SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def _pad(connection: sqlite3.Connection, count: int) -> None:
    """Add as many never-returned rows as there are sections, of average length.

    FTS5's bm25 floors the IDF of a word found in more than half the rows to almost zero; in a
    Docker course "conteneur" and "image" are in most sections, so single-word questions would
    rank at random. Doubling the row count keeps every IDF positive without changing the
    average lengths bm25 normalises by.
    """
    if count == 0:
        return
    columns = [name.strip() for name in COLUMNS.split(",")]
    averages = connection.execute(
        "SELECT "
        + ", ".join(f"avg(length({c}) - length(replace({c}, ' ', '')) + 1)" for c in columns)
        + " FROM sections"
    ).fetchone()
    filler = [" ".join([PAD_TOKEN] * max(1, round(average or 1))) for average in averages]
    connection.executemany(
        f"INSERT INTO sections (rowid, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        ((count + offset, *filler) for offset in range(count)),
    )


class SearchIndex:
    """Lexical (FTS5 bm25 on French stems) and, when given, semantic ranking, fused."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        course: Course,
        vocabulary: Vocabulary,
        semantic: SemanticIndex | None = None,
    ) -> None:
        self._db = connection
        self.semantic = semantic
        # One connection and one stemmer, possibly reached from a thread pool (sync handlers).
        self._lock = threading.Lock()
        self._stem = Stemmer()
        self._sections: list[Section] = course.sections
        self._chapter_titles = {chapter.id: chapter.title for chapter in course.chapters}
        self._vocabulary = vocabulary
        self._stems = frozenset(self._stem(word) for word in vocabulary.counts)
        self._title_stems = [self._stem.text(section.title).split() for section in self._sections]
        # The index never changes once built, and a class asks the same questions: answers
        # are cached by their reduced terms, so "Les conteneurs ?" and "conteneur" share one.
        self._cached = functools.lru_cache(maxsize=CACHE_SIZE)(self._search)

    @classmethod
    def build(
        cls,
        course: Course,
        semantic: SemanticIndex | None = None,
        phrasings: Phrasings | None = None,
    ) -> SearchIndex:
        """``phrasings``: how students ask for each section (``content.phrasings``)."""
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute(
            f"CREATE VIRTUAL TABLE sections USING fts5({COLUMNS}, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
        stem = Stemmer()
        titles = {chapter.id: chapter.title for chapter in course.chapters}
        bodies = [CONTROL.sub(" ", to_plain_text(section.body)) for section in course.sections]
        asked = phrasings or {}
        connection.executemany(
            f"INSERT INTO sections (rowid, {COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    rowid,
                    stem.text(section.title),
                    stem.text(titles[section.chapter_id]),
                    stem.text(body),
                    body,
                    stem.text(" ; ".join(asked.get(section.id, ())), synonyms=True),
                )
                for rowid, (section, body) in enumerate(zip(course.sections, bodies, strict=True))
            ),
        )
        _pad(connection, len(course.sections))
        connection.commit()
        vocabulary = Vocabulary(
            (
                word
                for section, body in zip(course.sections, bodies, strict=True)
                for text in (section.title, body, *asked.get(section.id, ()))
                for word in meaningful(text, synonyms=False)
            ),
            known=french_words(),
            commands=(
                word
                for section in course.sections
                for word in meaningful(to_code_text(section.body), synonyms=False)
            ),
        )
        return cls(connection, course, vocabulary, semantic)

    def terms(self, query: str) -> list[str]:
        """The question's stems, each word the course never uses corrected to a course word."""
        terms: list[str] = []
        attempts = 0
        with self._lock:
            for word in query_words(query):
                term = self._stem(word)
                found = [term]
                if term not in self._stems and attempts < MAX_CORRECTIONS:
                    attempts += 1
                    fixed = self._vocabulary.correct(word)
                    # A corrected English word is then translated like a typed one.
                    parts = list(meaningful(fixed)) if fixed else self._vocabulary.split(word)
                    found = [self._stem(part) for part in parts] or found
                terms.extend(term for term in found if term not in terms)
        return terms

    def search(self, query: str, limit: int = 3, mode: Mode = "fused") -> list[Hit]:
        """The best sections for ``query``: blocking (the model may load), call off the loop."""
        terms = self.terms(query)
        if not terms:
            raise BadInput("content.search_empty")
        if self.semantic is None:
            mode = "lexical"
        # The semantic side reads the question itself, not only its stems.
        text = " ".join(fold(query).split()) if mode != "lexical" else ""
        return list(self._cached(tuple(terms), text, min(max(limit, 1), MAX_LIMIT), mode))

    def forget(self) -> None:
        """Drop cached answers: for benchmarks that must time the work, not the cache."""
        self._cached.cache_clear()

    def _lexical(self, terms: list[str], limit: int) -> dict[int, float]:
        """Title-boosted bm25 of the best matching sections (higher is better)."""
        with self._lock:
            rows = self._db.execute(
                SEARCH_SQL, (fts_query(terms), len(self._sections), max(limit, RERANK_POOL))
            ).fetchall()
        return {
            rowid: -rank * (1 + TITLE_BOOST * self._title_coverage(rowid, terms))
            for rowid, rank in rows
        }

    def _search(self, key: tuple[str, ...], text: str, limit: int, mode: Mode) -> tuple[Hit, ...]:
        terms = list(key)
        lexical = self._lexical(terms, limit) if mode != "semantic" else {}
        meaning: Meaning | None = None
        if mode != "lexical" and self.semantic is not None:
            meaning = self.semantic.meaning(text)
        if meaning is None:
            if mode == "semantic":
                lexical = self._lexical(terms, limit)  # no model: words rather than nothing
            scored = sorted(((score, rowid) for rowid, score in lexical.items()), reverse=True)
        else:
            top = max(lexical.values(), default=0.0) or 1.0
            fused = SEMANTIC_WEIGHT * meaning.scores.clip(min=0.0)
            for rowid, score in lexical.items():
                fused[rowid] += score / top
            order = fused.argsort()[::-1][:limit]
            scored = [(float(fused[rowid]), int(rowid)) for rowid in order]
        scored = scored[:limit]
        with self._lock:
            found = dict(
                self._db.execute(
                    SNIPPET_SQL, (snippet_query(terms), json.dumps([r for _, r in scored]))
                ).fetchall()
            )
        hits: list[Hit] = []
        for score, rowid in scored:
            section = self._sections[rowid]
            raw = found.get(rowid, "")
            if meaning is not None and MATCH_START not in raw:
                # No word of the question is here: show the passage that matched by meaning.
                raw = self.semantic.passage(int(meaning.best[rowid])) if self.semantic else ""
                raw = _shorten(raw)
            snippet, snippet_text = _snippet(raw)
            hits.append(
                Hit(
                    section_id=section.id,
                    chapter_id=section.chapter_id,
                    title=section.title,
                    chapter_title=self._chapter_titles[section.chapter_id],
                    snippet=snippet,
                    snippet_text=snippet_text,
                    score=score,
                )
            )
        return tuple(hits)

    def _title_coverage(self, rowid: int, terms: list[str]) -> float:
        """How well title and question name each other: 1.0 when they say the same thing.

        bm25 saturates on short titles, so "c'est quoi un conteneur ?" would otherwise rank
        "Qu'est-ce qu'un conteneur ?" no higher than any title that merely mentions containers;
        and the question's side keeps "image et conteneur" on the title naming both.
        """
        stems = self._title_stems[rowid]
        if not stems or not terms:
            return 0.0
        named = sum(1 for word in stems if word in terms) / len(stems)
        covered = sum(1 for term in terms if term in stems) / len(terms)
        return (named + covered) / 2
