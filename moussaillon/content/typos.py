"""Typo tolerance on the course's own vocabulary, built once with the index.

A question word the course never uses ("conteneru", "imgaes", "suprimer") is replaced by the
closest course word within a small edit distance (1, or 2 for long words) that starts with the
same letter, the more frequent word winning ties. Candidates come from a symmetric-delete
table (every word and its one-letter deletions), so a lookup is a few dictionary probes
instead of a scan of the vocabulary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

MIN_LENGTH = 4
MAX_LENGTH = 24
LONG_WORD = 7
MIN_SPLIT = 3


def _deletes(word: str) -> set[str]:
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


def distance(left: str, right: str) -> int:
    """Optimal string alignment distance: a swap of two neighbours ("imgaes") counts as one."""
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, 1):
        current = [i] + [0] * len(right)
        for j, b in enumerate(right, 1):
            cost = 0 if a == b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == right[j - 2] and left[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    def __init__(self, words: Iterable[str]) -> None:
        self.counts = Counter(w for w in words if w.isalpha() and len(w) <= MAX_LENGTH)
        self._table: dict[str, set[str]] = {}
        for word in self.counts:
            if len(word) < MIN_LENGTH:
                continue
            for key in {word} | _deletes(word):
                self._table.setdefault(key, set()).add(word)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str | None:
        """The course word closest to ``word``, or None when nothing is close enough."""
        if not word.isalpha() or not MIN_LENGTH <= len(word) <= MAX_LENGTH or word in self.counts:
            return None
        allowed = 2 if len(word) >= LONG_WORD else 1
        probes = {word} | _deletes(word)
        if allowed == 2:
            probes |= {deleted for probe in list(probes) for deleted in _deletes(probe)}
        candidates = {found for probe in probes for found in self._table.get(probe, ())}
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            # Phones rarely get the first letter wrong; "cause" is not a typo of "pause".
            if abs(len(candidate) - len(word)) > allowed or candidate[0] != word[0]:
                continue
            gap = distance(word, candidate)
            if gap <= allowed:
                key = (gap, -self.counts[candidate], candidate)
                best = key if best is None or key < best else best
        return best[2] if best else None

    def split(self, word: str) -> list[str]:
        """Two course words glued together ("paravirtualisation"), or [] when there are none."""
        if not word.isalpha() or len(word) > MAX_LENGTH:
            return []
        for cut in range(MIN_SPLIT, len(word) - MIN_SPLIT + 1):
            head, tail = word[:cut], word[cut:]
            if head in self.counts and tail in self.counts:
                return [head, tail]
        return []
