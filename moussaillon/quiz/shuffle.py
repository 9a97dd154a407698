"""Per-student option order, stable across sessions.

The bank keeps the correct answer wherever its author put it; students must not learn "it is
always the second one", and two neighbours must not see the same order. The order is derived
from a hash of (seed, question id), so the same student sees the same order again (a resumed quiz
stays coherent) without storing it, and answers are mapped back to bank indexes before they are
recorded.
"""

from __future__ import annotations

import hashlib
import random

from pydantic import BaseModel, ConfigDict

from moussaillon.quiz.bank import Question


class ShuffledQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_id: str
    options: tuple[str, ...]
    mapping: tuple[int, ...]
    """``mapping[shown_index]`` is the bank index of the option shown at ``shown_index``."""
    correct_indexes: tuple[int, ...]

    @property
    def correct_index(self) -> int:
        """The shown position of the correct option (single-correct questions)."""
        return self.correct_indexes[0]

    def to_bank(self, shown_index: int) -> int:
        if not 0 <= shown_index < len(self.mapping):
            raise IndexError(f"option {shown_index} out of range for {self.question_id}")
        return self.mapping[shown_index]

    def to_shown(self, bank_index: int) -> int:
        return self.mapping.index(bank_index)

    def is_correct(self, shown_index: int) -> bool:
        return shown_index in self.correct_indexes


def _rng(seed: str, question_id: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}\x00{question_id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def shuffled(question: Question, seed: str) -> ShuffledQuestion:
    """The options of ``question`` in the order the student identified by ``seed`` sees them."""
    mapping = list(range(len(question.options)))
    _rng(seed, question.id).shuffle(mapping)
    shown_correct = tuple(sorted(mapping.index(index) for index in question.correct))
    return ShuffledQuestion(
        question_id=question.id,
        options=tuple(question.options[index] for index in mapping),
        mapping=tuple(mapping),
        correct_indexes=shown_correct,
    )
