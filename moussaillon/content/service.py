"""The course as the bot and the API serve it: rendered once at start-up, then only looked up."""

from __future__ import annotations

import asyncio
import threading
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from moussaillon.content.embeddings import EmbeddingCache
from moussaillon.content.model import Chapter, Course, Section
from moussaillon.content.phrasings import for_course
from moussaillon.content.questions import looks_english
from moussaillon.content.render import split_telegram, to_html, to_telegram_html
from moussaillon.content.search import Hit, SearchIndex
from moussaillon.content.semantic import SemanticIndex

# Telegram allows 4096 characters; the page header and footer need the rest.
TELEGRAM_PAGE_LIMIT = 3800


class SectionPage(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    section: Section
    chapter: Chapter
    part: int
    parts: int
    html: str
    index: int
    count: int
    previous: Section | None
    next: Section | None


class CourseService:
    def __init__(self, course: Course, *, embeddings: Path | str | None = None) -> None:
        """``embeddings``: the SQLite file caching the course's vectors; None: lexical only."""
        self.course = course
        self._embeddings = embeddings
        self._pages: dict[str, list[str]] = {
            section.id: split_telegram(to_telegram_html(section.body), TELEGRAM_PAGE_LIMIT) or [""]
            for section in course.sections
        }
        self._html: dict[str, str] = {}

    @cached_property
    def index(self) -> SearchIndex:
        phrasings = for_course(self.course)
        semantic = None
        if self._embeddings is not None:
            cache = EmbeddingCache(self._embeddings)
            semantic = SemanticIndex(self.course, cache, phrasings=phrasings)
        return SearchIndex.build(self.course, semantic, phrasings)

    def warm_up_in_background(self) -> threading.Thread | None:
        """Load the model and the course's vectors beside start-up, not in its way."""
        semantic = self.index.semantic
        if semantic is None:
            return None
        thread = threading.Thread(target=semantic.warm_up, name="search-warm-up", daemon=True)
        thread.start()
        return thread

    def page(self, section_id: str, part: int = 0) -> SectionPage:
        section = self.course.section(section_id)
        chapter = self.course.chapter(section.chapter_id)
        parts = self._pages[section.id]
        part = min(max(part, 0), len(parts) - 1)
        previous, following = self.course.neighbours(section.id)
        return SectionPage(
            section=section,
            chapter=chapter,
            part=part,
            parts=len(parts),
            html=parts[part],
            index=chapter.sections.index(section) + 1,
            count=len(chapter.sections),
            previous=previous,
            next=following,
        )

    def html(self, section_id: str) -> str:
        section = self.course.section(section_id)
        if section.id not in self._html:
            self._html[section.id] = to_html(section.body)
        return self._html[section.id]

    async def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The one ranking behind /chercher, free text and GET /search, off the event loop."""
        return await asyncio.to_thread(self.index.search, query, limit)

    @staticmethod
    def in_english(query: str) -> bool:
        """The answer then says the course is in French."""
        return looks_english(query)
