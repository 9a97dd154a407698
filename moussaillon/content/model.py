"""The course as every other area sees it: chapters of sections, each with a stable id.

Ids are slugs because they travel inside Telegram ``callback_data`` (64 bytes) and REST paths;
they are computed once by the importer (``deck.py``) so the same deck always yields the same ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from moussaillon.core.errors import NotFound

MAX_ID_LENGTH = 40


class Section(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    chapter_id: str
    number: int = Field(ge=1, description="1-based position inside its chapter")
    title: str
    body: str = Field(description="Markdown shown to students, instructor notes removed")
    notes: str = Field(default="", description="Instructor notes (Markdown), '' when none")
    images: list[str] = Field(default_factory=list)
    classes: list[str] = Field(default_factory=list)
    source: str = "<deck>"
    line: int = Field(default=1, ge=0, description="1-based line of the heading in `source`")


class Chapter(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    number: int = Field(ge=1)
    title: str
    sections: list[Section] = Field(default_factory=list)
    source: str = "<deck>"
    line: int = Field(default=1, ge=0)


class Course(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str
    subtitle: str = ""
    author: str = ""
    date: str = ""
    chapters: list[Chapter] = Field(default_factory=list)

    @cached_property
    def sections(self) -> list[Section]:
        """Every section in reading order, across chapters."""
        return [section for chapter in self.chapters for section in chapter.sections]

    @cached_property
    def _section_index(self) -> dict[str, int]:
        return {section.id: index for index, section in enumerate(self.sections)}

    @cached_property
    def _chapter_index(self) -> dict[str, Chapter]:
        return {chapter.id: chapter for chapter in self.chapters}

    def section(self, section_id: str) -> Section:
        index = self._section_index.get(section_id)
        if index is None:
            raise NotFound("content.section_not_found", id=section_id)
        return self.sections[index]

    def chapter(self, chapter_id: str) -> Chapter:
        chapter = self._chapter_index.get(chapter_id)
        if chapter is None:
            raise NotFound("content.chapter_not_found", id=chapter_id)
        return chapter

    def neighbours(self, section_id: str) -> tuple[Section | None, Section | None]:
        """Previous and next sections in reading order, crossing chapter boundaries."""
        self.section(section_id)
        index = self._section_index[section_id]
        previous = self.sections[index - 1] if index > 0 else None
        following = self.sections[index + 1] if index + 1 < len(self.sections) else None
        return previous, following

    def position(self, section_id: str) -> tuple[int, int]:
        """(1-based index of the section in its chapter, number of sections in that chapter)."""
        section = self.section(section_id)
        return section.number, len(self.chapter(section.chapter_id).sections)


def slugify(text: str, fallback: str = "section") -> str:
    """ASCII, lowercase, dash-separated, at most ``MAX_ID_LENGTH`` characters."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:MAX_ID_LENGTH].rstrip("-")
    return slug or fallback


class IdAllocator:
    """Hands out unique slugs in document order: ``intro``, ``intro-2``, ``intro-3`` …

    Explicit ids (``{#my-id}``) are reserved up front so an earlier automatic id never steals one.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._reserved = set(reserved)
        self._taken: set[str] = set()

    def explicit(self, wanted: str) -> str:
        if wanted not in self._taken:
            self._taken.add(wanted)
            return wanted
        return self._dedupe(wanted)

    def automatic(self, wanted: str) -> str:
        if wanted not in self._taken and wanted not in self._reserved:
            self._taken.add(wanted)
            return wanted
        return self._dedupe(wanted)

    def _dedupe(self, base: str) -> str:
        counter = 2
        while True:
            suffix = f"-{counter}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
            if candidate not in self._taken and candidate not in self._reserved:
                self._taken.add(candidate)
                return candidate
            counter += 1
