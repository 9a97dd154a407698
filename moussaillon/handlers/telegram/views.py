"""Messages and keyboards of the course reader; pure functions of the services' data."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from moussaillon.content.model import Chapter, Course
from moussaillon.content.search import Hit
from moussaillon.content.service import SectionPage
from moussaillon.core.i18n import number, t, t_count
from moussaillon.handlers.telegram import callbacks

View = tuple[str, InlineKeyboardMarkup]


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def languages() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button("🇫🇷 Français", callbacks.lang("fr")),
                _button("🇬🇧 English", callbacks.lang("en")),
            ]
        ]
    )


def table_of_contents(course: Course, read: set[str], lang: str) -> View:
    rows = []
    for chapter in course.chapters:
        done = sum(1 for s in chapter.sections if s.id in read)
        mark = "✅" if done == len(chapter.sections) else f"{done}/{len(chapter.sections)}"
        rows.append(
            [_button(f"{chapter.number}. {chapter.title} · {mark}", callbacks.chapter(chapter.id))]
        )
    done = len(read & {s.id for s in course.sections})
    progress = t_count(
        "tg.toc_read", done, lang, read=number(done, lang), total=number(len(course.sections), lang)
    )
    text = t("tg.toc_title", lang, title=escape(course.title), read=progress)
    return text, InlineKeyboardMarkup(rows)


def chapter_menu(chapter: Chapter, read: set[str], lang: str) -> View:
    rows = [
        [_button(f"{'✅ ' if s.id in read else ''}{s.number}. {s.title}", callbacks.section(s.id))]
        for s in chapter.sections
    ]
    rows.append([_button(t("tg.btn_toc", lang), callbacks.toc())])
    text = t_count(
        "tg.chapter_title",
        len(chapter.sections),
        lang,
        number=chapter.number,
        title=escape(chapter.title),
        count=len(chapter.sections),
    )
    return text, InlineKeyboardMarkup(rows)


def section_page(page: SectionPage, lang: str) -> View:
    header = t(
        "tg.section_header",
        lang,
        number=page.chapter.number,
        chapter=escape(page.chapter.title),
        index=page.index,
        count=page.count,
        title=escape(page.section.title),
    )
    if page.parts > 1:
        header += " " + t("tg.part", lang, part=page.part + 1, parts=page.parts)
    text = f"{header}\n\n{page.html}" if page.html else header

    row = []
    if page.part > 0:
        row.append(_button(t("tg.btn_back_part", lang), callbacks.section(page.section.id)))
    elif page.previous is not None:
        row.append(_button(t("tg.btn_previous", lang), callbacks.section(page.previous.id)))
    row.append(_button(t("tg.btn_chapter", lang), callbacks.chapter(page.chapter.id)))
    if page.part + 1 < page.parts:
        row.append(
            _button(t("tg.btn_more", lang), callbacks.section(page.section.id, page.part + 1))
        )
    elif page.next is not None:
        row.append(_button(t("tg.btn_next", lang), callbacks.section(page.next.id)))
    return text, InlineKeyboardMarkup([row])


def search_results(
    query: str, hits: list[Hit], lang: str, *, english: bool = False
) -> View | tuple[str, None]:
    shown = escape(query if len(query) <= 60 else query[:57] + "…")
    if not hits:
        return t("tg.search_nothing", lang, query=shown), None
    lines = [t("tg.search_results", lang, query=shown)]
    if english:
        lines.append(f"<i>{escape(t('content.search_in_french', lang))}</i>")
    for rank, hit in enumerate(hits, 1):
        lines.append(
            f"\n{rank}. <b>{escape(hit.title)}</b> · <i>{escape(hit.chapter_title)}</i>"
            f"\n{hit.snippet}"
        )
    buttons = [
        [_button(f"{n}. {hit.title}", callbacks.open_section(hit.section_id))]
        for n, hit in enumerate(hits, 1)
    ]
    return "\n".join(lines), InlineKeyboardMarkup(buttons)
