"""Reading and searching the course: public, no token needed."""

from typing import Annotated

from fastapi import APIRouter, Query

from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import ServicesDep
from moussaillon.handlers.rest.schemas import (
    ChapterOut,
    CourseOut,
    SearchHitOut,
    SearchOut,
    SectionOut,
    SectionRef,
)

router = APIRouter(tags=["course"])


@router.get("/course")
async def course_tree(services: ServicesDep) -> CourseOut:
    course = services.course.course
    return CourseOut(
        title=course.title,
        author=course.author,
        chapters=[
            ChapterOut(
                id=c.id,
                number=c.number,
                title=c.title,
                sections=[SectionRef(id=s.id, title=s.title) for s in c.sections],
            )
            for c in course.chapters
        ],
    )


@router.get("/sections/{section_id}", responses={404: {"description": "Unknown section"}})
async def section(section_id: str, services: ServicesDep) -> SectionOut:
    page = services.course.page(section_id)
    ref = lambda s: SectionRef(id=s.id, title=s.title) if s else None  # noqa: E731
    return SectionOut(
        id=page.section.id,
        title=page.section.title,
        chapter_id=page.chapter.id,
        chapter_title=page.chapter.title,
        markdown=page.section.body,
        html=services.course.html(page.section.id),
        previous=ref(page.previous),
        next=ref(page.next),
    )


@router.get("/search", responses={422: {"description": "Empty or invalid query"}})
async def search(
    services: ServicesDep,
    q: Annotated[
        str, Query(max_length=10_000, description="Words or a question, in French or English")
    ],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SearchOut:
    hits = await services.course.search(q, limit=limit)
    return SearchOut(
        query=q,
        hits=[
            SearchHitOut(
                section_id=h.section_id,
                title=h.title,
                chapter_id=h.chapter_id,
                chapter_title=h.chapter_title,
                snippet=h.snippet_text,
                score=h.score,
            )
            for h in hits
        ],
        note=t("content.search_in_french", "en") if services.course.in_english(q) else None,
    )
