"""Embeddings of the course, kept in SQLite so that only the first start after a change pays.

Embedding every passage takes tens of seconds on a small server; loading them back takes
milliseconds. Rows are keyed by the model's id and the course's content hash: a new course
or a new model simply misses, and only the few newest sets per model are kept. The table is a
cache (rebuilt from the course at will), so it may live in its own file
(``MOUSSAILLON_SEARCH_CACHE_PATH``) and is created on first use rather than by a migration.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np

KEPT_PER_MODEL = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS search_embeddings (
    model TEXT NOT NULL,
    content TEXT NOT NULL,
    rows INTEGER NOT NULL,
    dim INTEGER NOT NULL,
    vectors BLOB NOT NULL,
    stored_at REAL NOT NULL,
    PRIMARY KEY (model, content)
)
"""


class EmbeddingCache:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(self.path), timeout=30)
        connection.execute("PRAGMA busy_timeout=30000")
        connection.execute(SCHEMA)
        return connection

    def load(self, model: str, content: str) -> np.ndarray | None:
        connection = self._connect()
        try:
            row = connection.execute(
                "SELECT rows, dim, vectors FROM search_embeddings WHERE model = ? AND content = ?",
                (model, content),
            ).fetchone()
        finally:
            connection.close()
        if row is None:
            return None
        rows, dim, blob = row
        if len(blob) != rows * dim * 4:
            return None
        return np.frombuffer(blob, dtype=np.float32).reshape(rows, dim)

    def store(self, model: str, content: str, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        connection = self._connect()
        try:
            with connection:
                connection.execute(
                    "INSERT OR REPLACE INTO search_embeddings VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        model,
                        content,
                        vectors.shape[0],
                        vectors.shape[1],
                        vectors.tobytes(),
                        time.time(),
                    ),
                )
                # A class switching between two decks keeps both; older sets go.
                connection.execute(
                    "DELETE FROM search_embeddings WHERE model = ? AND content NOT IN "
                    "(SELECT content FROM search_embeddings WHERE model = ? "
                    "ORDER BY stored_at DESC LIMIT ?)",
                    (model, model, KEPT_PER_MODEL),
                )
        finally:
            connection.close()
