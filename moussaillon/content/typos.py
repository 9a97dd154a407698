"""Typo tolerance on the course's own vocabulary, built once with the index.

A question word the course never uses ("conteneru", "imgaes", "suprimer") is replaced by the
closest course word within a small edit distance (1, or 2 for long words) that starts with the
same letter; at the same distance the more frequent word wins, then a command's word
("docker", "prune"). Candidates come from a symmetric-delete table (every word and its one-letter
deletions), so a lookup is a few dictionary probes instead of a scan of the vocabulary.

A word of everyday French is never a typo, even when the course does not use it: "stopper"
must not become « stopped », nor "virer" « vis ». Those words come from the French frequency
list that ``pyspellchecker`` ships (subtitles, ~130,000 words); the synonym table in
``lexicon`` maps the everyday ones to the course's terms. And a correction lands only on a
French word of the course or a word of its commands, never on stray English prose.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import Counter
from collections.abc import Iterable
from importlib import resources

MIN_LENGTH = 4
MAX_LENGTH = 24
LONG_WORD = 7
MIN_SPLIT = 3


def _deletes(word: str) -> set[str]:
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


@functools.cache
def french_words() -> frozenset[str]:
    """Known French words, folded; read once per process (0.3 s), immutable."""
    from moussaillon.content.lexicon import fold

    raw = resources.files("spellchecker").joinpath("resources", "fr.json.gz").read_bytes()
    table: dict[str, int] = json.loads(gzip.decompress(raw))
    # Most entries are plain ASCII: folding only the others halves the load time.
    return frozenset(
        folded
        for word in table
        if MIN_LENGTH <= len(word) <= MAX_LENGTH
        and (folded := word if word.isascii() else fold(word)).isalpha()
    )


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
    """``known``: everyday French, never taken for a typo; ``commands``: the words of the
    course's commands, preferred on a tie. Without ``known`` every course word is a target."""

    def __init__(
        self,
        words: Iterable[str],
        known: frozenset[str] = frozenset(),
        commands: Iterable[str] = (),
    ) -> None:
        self.counts = Counter(w for w in words if w.isalpha() and len(w) <= MAX_LENGTH)
        self.known = known
        self.commands = frozenset(commands)
        self._table: dict[str, set[str]] = {}
        for word in self.counts:
            if len(word) < MIN_LENGTH or not self._target(word):
                continue
            for key in {word} | _deletes(word):
                self._table.setdefault(key, set()).add(word)

    def _target(self, word: str) -> bool:
        return not self.known or word in self.known or word in self.commands

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def is_word(self, word: str) -> bool:
        """A word of the course or of everyday French: not a typo."""
        return word in self.counts or word in self.known

    def correct(self, word: str) -> str | None:
        """The course word closest to ``word``, or None when nothing is close enough.

        A known French word the course does not use may still become the course's own form of
        it, a French word that differs only in its last letters ("reduire" → « reduit »,
        "ecris" → « ecrit »): Snowball gives some irregular verbs a stem per form.
        """
        if not word.isalpha() or not MIN_LENGTH <= len(word) <= MAX_LENGTH or word in self.counts:
            return None
        inflection = word in self.known
        allowed = 2 if len(word) >= LONG_WORD else 1
        probes = {word} | _deletes(word)
        if allowed == 2:
            probes |= {deleted for probe in list(probes) for deleted in _deletes(probe)}
        candidates = {found for probe in probes for found in self._table.get(probe, ())}
        best: tuple[int, int, bool, str] | None = None
        for candidate in candidates:
            # Phones rarely get the first letter wrong; "cause" is not a typo of "pause".
            if abs(len(candidate) - len(word)) > allowed or candidate[0] != word[0]:
                continue
            if inflection and not self._same_word(word, candidate):
                continue
            gap = distance(word, candidate)
            if gap <= allowed:
                key = (gap, -self.counts[candidate], candidate not in self.commands, candidate)
                best = key if best is None or key < best else best
        return best[3] if best else None

    def _same_word(self, word: str, candidate: str) -> bool:
        """Another French form of ``word``: same beginning, only the ending differs."""
        shared = next(
            (i for i, (a, b) in enumerate(zip(word, candidate, strict=False)) if a != b),
            min(len(word), len(candidate)),
        )
        return candidate in self.known and shared >= max(MIN_LENGTH, len(word) - 2)

    def split(self, word: str) -> list[str]:
        """Two course words glued together ("paravirtualisation"), or [] when there are none."""
        if not word.isalpha() or len(word) > MAX_LENGTH or self.is_word(word):
            return []
        for cut in range(MIN_SPLIT, len(word) - MIN_SPLIT + 1):
            head, tail = word[:cut], word[cut:]
            if head in self.counts and tail in self.counts:
                return [head, tail]
        return []
