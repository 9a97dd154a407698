"""The course cut into short passages of prose: what the semantic model compares a question to.

A whole section averages a dozen ideas into one vector that matches none of them well; a
passage of a sentence or two keeps "un conteneur a son propre noyau ?" close to the one
sentence that answers it. Commands stay in: prose alone lost almost three points of fused
top-1 on the eval set. The passage that matched best is also the snippet shown when no word of
the question is in the section.
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel, ConfigDict

from moussaillon.content.lexicon import CONTROL
from moussaillon.content.model import Course
from moussaillon.content.render import to_plain_text

PASSAGE_CHARS = 120
MAX_PASSAGE_CHARS = 400
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


class Passage(BaseModel):
    model_config = ConfigDict(frozen=True)

    section: int  # index in course.sections
    text: str


def _plain(markdown: str) -> str:
    return " ".join(CONTROL.sub(" ", to_plain_text(markdown)).split())


def _cut(text: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return [piece[:MAX_PASSAGE_CHARS] for piece in pieces]


def course_passages(course: Course) -> list[Passage]:
    return [
        Passage(section=index, text=piece)
        for index, section in enumerate(course.sections)
        for piece in _cut(_plain(section.body))
    ]


def content_hash(
    course: Course, passages: list[Passage], asked: list[tuple[int, str]] | None = None
) -> str:
    """Changes whenever a title, a passage or a phrasing does: the key of the cached embeddings."""
    digest = hashlib.sha256()
    for index, text in asked or ():
        digest.update(f"Q\x00{index}\x00{text}\x00".encode())
    for section in course.sections:
        digest.update(f"T\x00{section.id}\x00{section.title}\x00".encode())
    for passage in passages:
        digest.update(f"P\x00{passage.section}\x00{passage.text}\x00".encode())
    return digest.hexdigest()
