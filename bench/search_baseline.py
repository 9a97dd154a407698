"""The course search as it ranked before French stemming (frozen copy, for bench.search only).

The index is an in-memory SQLite FTS5 table built once at start-up. Queries run synchronously
on the event loop, so they stay cheap: one prepared statement, at most ``MAX_TERMS`` terms.

A question is reduced to its meaningful words: case and accents folded, elisions (``l'``,
``qu'``) and stop-words dropped, plurals and a few verb endings trimmed, each remaining stem
quoted (so no user input is ever FTS5 syntax) and searched as a prefix, all combined with OR:
bm25 then ranks sections matching more of the words, and matches in titles, higher.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
import unicodedata

from pydantic import BaseModel, ConfigDict

from moussaillon.content.model import Course, Section
from moussaillon.content.render import to_plain_text
from moussaillon.core.errors import BadInput

MAX_TERMS = 32
MAX_TERM_LENGTH = 40
MAX_LIMIT = 50
RERANK_POOL = 50
TITLE_WEIGHT, CHAPTER_WEIGHT, BODY_WEIGHT = 8.0, 3.0, 1.0
SNIPPET_TOKENS = 16
MATCH_START, MATCH_END = "\x02", "\x03"
PAD_TOKEN = "moussaillonpad"

STOP_WORDS = frozenset(
    """
    a au aux avec c ca ce ces cet cette comment d dans de des du elle elles en entre est et
    etre faire fait faut il ils j je l la le les leur leurs lui m ma me mes mon n ne nous on ou
    par pas peut peux plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
    se ses si son sont sur t ta te tes toi ton tous tout toute toutes tu un une vos votre vous
    y
    an and are can do does how i in is it of on or the to what when where which who why with
    """.split()
)
ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’‘`´]")
WORD = re.compile(r"[^\W_]+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
VERB_ENDINGS = ("ement", "er", "ez")

SEARCH_SQL = f"""
    SELECT rowid, bm25(sections, {TITLE_WEIGHT}, {CHAPTER_WEIGHT}, {BODY_WEIGHT}) AS score
    FROM sections WHERE sections MATCH ? AND rowid < ? ORDER BY score LIMIT ?
"""
# Snippets cost more than ranking: compute them only for the few rows returned, in one query.
SNIPPET_SQL = f"""
    SELECT rowid, snippet(sections, 2, char(2), char(3), '…', {SNIPPET_TOKENS})
    FROM sections WHERE sections MATCH ? AND rowid IN (SELECT value FROM json_each(?))
"""
CACHE_SIZE = 2048


class Hit(BaseModel):
    model_config = ConfigDict(frozen=True)

    section_id: str
    chapter_id: str
    title: str
    chapter_title: str
    snippet: str
    snippet_text: str
    score: float


def fold(text: str) -> str:
    """Lowercase without accents, the way the index's tokenizer sees words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """A light French stemmer: enough for prefix queries to meet singular and plural forms."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 5:
        word = word[:-2]
    elif word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    for ending in VERB_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            return word[: -len(ending)]
    return word


def query_terms(query: str) -> list[str]:
    """The meaningful stems of a question, in order, without duplicates."""
    text = ELISION.sub(" ", fold(CONTROL.sub(" ", query)))
    terms: list[str] = []
    for match in WORD.finditer(text):
        word = match.group(0)
        if word in STOP_WORDS:
            continue
        term = stem(word[:MAX_TERM_LENGTH])
        if term not in terms:
            terms.append(term)
            if len(terms) == MAX_TERMS:
                break
    return terms


def keywords(title: str) -> str:
    """A title as indexed: without stop-words, which would only dilute bm25's length norm."""
    text = ELISION.sub(" ", fold(CONTROL.sub(" ", title)))
    return " ".join(word for word in WORD.findall(text) if word not in STOP_WORDS)


def fts_query(terms: list[str]) -> str:
    """Quoted terms, prefix-matched when long enough to stay selective."""
    quoted = (
        '"' + term.replace('"', '""') + '"' + ("*" if len(term) >= 3 else "") for term in terms
    )
    return " OR ".join(quoted)


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


def _pad(connection: sqlite3.Connection, count: int) -> None:
    """Add as many never-returned rows as there are sections, of average length.

    FTS5's bm25 floors the IDF of a word found in more than half the rows to almost zero; in a
    Docker course "conteneur" and "image" are in most sections, so single-word questions would
    rank at random. Doubling the row count keeps every IDF positive without changing the
    average lengths bm25 normalises by.
    """
    if count == 0:
        return
    averages = connection.execute(
        "SELECT avg(length(title) - length(replace(title, ' ', '')) + 1),"
        " avg(length(chapter_title) - length(replace(chapter_title, ' ', '')) + 1),"
        " avg(length(body) - length(replace(body, ' ', '')) + 1) FROM sections"
    ).fetchone()
    filler = [" ".join([PAD_TOKEN] * max(1, round(average or 1))) for average in averages]
    connection.executemany(
        "INSERT INTO sections (rowid, title, chapter_title, body) VALUES (?, ?, ?, ?)",
        ((count + offset, *filler) for offset in range(count)),
    )


class SearchIndex:
    def __init__(self, connection: sqlite3.Connection, course: Course) -> None:
        self._db = connection
        # One connection, possibly reached from a thread pool (sync REST handlers).
        self._lock = threading.Lock()
        self._sections: list[Section] = course.sections
        self._chapter_titles = {chapter.id: chapter.title for chapter in course.chapters}
        self._title_stems = [
            [stem(word[:MAX_TERM_LENGTH]) for word in keywords(section.title).split()]
            for section in self._sections
        ]
        # The index never changes once built, and a class asks the same questions: answers
        # are cached by their reduced terms, so "Les conteneurs ?" and "conteneur" share one.
        self._cached = functools.lru_cache(maxsize=CACHE_SIZE)(self._search)

    @classmethod
    def build(cls, course: Course) -> SearchIndex:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute(
            "CREATE VIRTUAL TABLE sections USING fts5(title, chapter_title, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
        titles = {chapter.id: chapter.title for chapter in course.chapters}
        connection.executemany(
            "INSERT INTO sections (rowid, title, chapter_title, body) VALUES (?, ?, ?, ?)",
            (
                (
                    rowid,
                    keywords(section.title),
                    keywords(titles[section.chapter_id]),
                    CONTROL.sub(" ", to_plain_text(section.body)),
                )
                for rowid, section in enumerate(course.sections)
            ),
        )
        _pad(connection, len(course.sections))
        connection.commit()
        return cls(connection, course)

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        terms = query_terms(query)
        if not terms:
            raise BadInput("content.search_empty")
        return list(self._cached(tuple(terms), min(max(limit, 1), MAX_LIMIT)))

    def _search(self, key: tuple[str, ...], limit: int) -> tuple[Hit, ...]:
        terms = list(key)
        match = fts_query(terms)
        candidates = max(limit, RERANK_POOL)
        with self._lock:
            rows = self._db.execute(SEARCH_SQL, (match, len(self._sections), candidates)).fetchall()
        boosted = (
            (-rank * (1 + self._title_coverage(rowid, terms) ** 2), rowid) for rowid, rank in rows
        )
        scored = sorted(boosted, reverse=True)[:limit]
        with self._lock:
            found = dict(
                self._db.execute(
                    SNIPPET_SQL, (match, json.dumps([rowid for _, rowid in scored]))
                ).fetchall()
            )
        hits: list[Hit] = []
        for score, rowid in scored:
            section = self._sections[rowid]
            snippet, snippet_text = _snippet(found.get(rowid, ""))
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
        """Share of the title's words the question names: 1.0 when the title says it all.

        bm25 saturates on short titles, so "c'est quoi un conteneur ?" would otherwise rank
        "Qu'est-ce qu'un conteneur ?" no higher than any title that merely mentions containers.
        """
        stems = self._title_stems[rowid]
        if not stems:
            return 0.0
        covered = sum(
            1
            for word in stems
            if any(word.startswith(term) or term.startswith(word) for term in terms)
        )
        return covered / len(stems)
