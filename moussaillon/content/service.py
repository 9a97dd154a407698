"""The course as the bot and the API serve it: rendered once at start-up, then only looked up."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict

from moussaillon.content.model import Chapter, Course, Section
from moussaillon.content.render import split_telegram, to_html, to_telegram_html
from moussaillon.content.search import Hit, SearchIndex

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
    def __init__(self, course: Course) -> None:
        self.course = course
        self._pages: dict[str, list[str]] = {
            section.id: split_telegram(to_telegram_html(section.body), TELEGRAM_PAGE_LIMIT) or [""]
            for section in course.sections
        }
        self._html: dict[str, str] = {}

    @cached_property
    def index(self) -> SearchIndex:
        return SearchIndex.build(self.course)

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

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        return self.index.search(query, limit=limit)
