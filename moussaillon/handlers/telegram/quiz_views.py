"""Quiz messages and keyboards: pure functions of the quiz services' results.

The live runner's announcements (``quiz/transport.py``) are rendered here by
``quiz_runtime.TelegramLiveTransport``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from moussaillon.content.model import Course
from moussaillon.core.errors import BadInput, NotFound
from moussaillon.core.i18n import number, ordinal, t, t_count
from moussaillon.handlers.telegram import callbacks
from moussaillon.quiz.bank import QUESTION_MAX, Question
from moussaillon.quiz.live_models import ClosedQuestion, FinalResults, RankLine
from moussaillon.quiz.requests import MIX
from moussaillon.quiz.scoring import RankChange
from moussaillon.quiz.solo import SoloAnswer

CALLBACK = re.compile(r"^qz:([a-z0-9-]{1,48})$")
CALLBACK_PATTERN = r"^qz:"
MESSAGE_BUDGET = 3800
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
SECTION_ARG_MAX = 48
OPEN_PERIOD_MIN = 5
OPEN_PERIOD_MAX = 600
# PTB's type for a quiz poll's correct options (Telegram allows 12; the bank, 10 at most).
OptionId = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
OPTION_IDS: tuple[OptionId, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)


def open_period(seconds: float) -> int | None:
    """Telegram's countdown when it can show one; the bot's own timer closes the poll anyway."""
    return int(seconds) if OPEN_PERIOD_MIN <= seconds <= OPEN_PERIOD_MAX else None


def correct_option_ids(index: int) -> list[OptionId]:
    """The poll's correct option as PTB types it; a bank question's index is always below 12."""
    return [OPTION_IDS[index]]


def chapter_callback(chapter: str | None) -> str:
    return f"qz:{chapter or MIX}"


def parse_chapter_callback(data: str | None) -> str | None:
    """The chapter of a ``qz:`` button (None for the mix); forged data is a stale button."""
    match = CALLBACK.match(data or "")
    if match is None:
        raise BadInput("tg.stale_button")
    return None if match.group(1) == MIX else match.group(1)


def chapter_keyboard(chapters: list[str], course: Course, lang: str) -> InlineKeyboardMarkup:
    """One button per chapter with questions, titled and numbered as ``/cours`` shows it."""
    rows = []
    for chapter_id in chapters:
        try:
            found = course.chapter(chapter_id)
            label = f"{found.number}. {found.title}"
        except NotFound:  # a bank served with another course: its chapter slug is all we have
            label = chapter_id
        rows.append([InlineKeyboardButton(label, callback_data=chapter_callback(chapter_id))])
    rows.append([InlineKeyboardButton(t("quiz.mix", lang), callback_data=chapter_callback(None))])
    return InlineKeyboardMarkup(rows)


def chapter_name(chapter: str | None, lang: str, course: Course) -> str:
    """The chapter's title in the course (its slug if the course lacks it), or the mix."""
    if chapter is None:
        return t("quiz.mix_name", lang)
    try:
        return course.chapter(chapter).title
    except NotFound:
        return chapter


def poll_question(question: Question, position: int, count: int) -> str:
    """The poll text, numbered when the number fits in Telegram's 300 characters."""
    numbered = f"{position + 1}/{count} · {question.question}"
    return numbered if len(numbered) <= QUESTION_MAX else question.question


def code_block(code: str) -> str:
    return f"<pre>{escape(code)}</pre>"


def section_button(question: Question, lang: str) -> InlineKeyboardMarkup | None:
    """A button opening the question's course section (the reader's own callback)."""
    if not question.section or len(question.section) > SECTION_ARG_MAX:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("quiz.open_section", lang), callback_data=callbacks.section(question.section)
                )
            ]
        ]
    )


def solo_feedback(result: SoloAnswer, lang: str) -> str:
    if result.status == "timeout":
        verdict = t("quiz.timeout", lang, answer=result.right_option)
    elif result.correct:
        verdict = t("quiz.correct", lang)
    else:
        verdict = t("quiz.wrong", lang, answer=result.right_option)
    explanation = t("quiz.explanation", lang, explanation=result.question.explanation)
    return f"{escape(verdict)}\n{escape(explanation)}"


def solo_finished(result: SoloAnswer, lang: str) -> str:
    lines = [t_count("quiz.finished", result.score, lang, score=result.score, count=result.count)]
    if result.pending_mistakes:
        pending = result.pending_mistakes
        lines.append(t_count("quiz.mistakes_pending", pending, lang, count=pending))
    return escape("\n".join(lines))


def _change(change: RankChange | None, lang: str) -> str:
    if change is None:
        return ""
    if change.delta is None:
        return " " + t("quiz.live.rank_new", lang)
    if change.delta > 0:
        return " " + t("quiz.live.rank_up", lang, delta=change.delta)
    if change.delta < 0:
        return " " + t("quiz.live.rank_down", lang, delta=-change.delta)
    return ""


def _line(line: RankLine, lang: str, suffix: str = "") -> str:
    medal = MEDALS.get(line.rank, "")
    points = number(line.points, lang)
    text = t("quiz.live.leaderboard_line", lang, rank=line.rank, name=line.name, points=points)
    return escape(f"{medal}{text}{suffix}")


def live_results(closed: ClosedQuestion, players: int, lang: str) -> str:
    """After a question: the answer, how many answered, the top 10 and everyone's move."""
    answer = closed.question.options[closed.question.correct_index]
    lines = [
        f"<b>{closed.position + 1}/{closed.count}</b> "
        + escape(t("quiz.live.answer", lang, answer=answer)),
        escape(
            t(
                "quiz.live.answered",
                lang,
                answered=closed.answered,
                players=players,
                right=closed.right,
            )
        ),
        "",
        f"<b>{escape(t('quiz.live.leaderboard_title', lang))}</b>",
    ]
    top = closed.leaderboard[:10]
    for line in top:
        lines.append(_line(line, lang, _change(closed.changes.get(line.user_id), lang)))
    shown = {line.user_id for line in top}
    others = [
        line
        for line in closed.leaderboard
        if line.user_id not in shown
        and closed.scored.get(line.user_id, None) is not None
        and closed.scored[line.user_id].answered
    ]
    if others:
        lines.append(escape(t("quiz.live.others_title", lang)))
        pieces: list[str] = []
        budget = MESSAGE_BUDGET - sum(len(line) + 1 for line in lines)
        for index, line in enumerate(others):
            piece = escape(
                t("quiz.live.others_line", lang, name=line.name, rank=ordinal(line.rank, lang))
                + _change(closed.changes.get(line.user_id), lang)
            )
            if budget - len(piece) - 2 < 60:
                pieces.append(escape(t("quiz.live.more", lang, count=len(others) - index)))
                break
            pieces.append(piece)
            budget -= len(piece) + 2
        lines.append(", ".join(pieces))
    return "\n".join(lines)


def podium(results: FinalResults, lang: str) -> str:
    if not results.ranking:
        return escape(t("quiz.live.no_players", lang))
    winners = ", ".join(line.name for line in results.podium if line.rank == 1)
    lines = [
        escape(t("quiz.live.finished", lang, winners=winners)),
        "",
        f"<b>{escape(t('quiz.live.podium_title', lang))}</b>",
    ]
    lines += [_line(line, lang) for line in results.podium]
    return "\n".join(lines)


def results_summary(results: FinalResults, lang: str, course: Course) -> str:
    title = t(
        "quiz.live.results_title",
        lang,
        chapter=chapter_name(results.chapter, lang, course),
        asked=results.asked,
        count=results.count,
    )
    lines = [f"<b>{escape(title)}</b>"]
    budget = MESSAGE_BUDGET - len(lines[0])
    for index, line in enumerate(results.ranking):
        text = _line(line, lang)
        if budget - len(text) < 60:
            lines.append(escape(t("quiz.live.more", lang, count=len(results.ranking) - index)))
            break
        lines.append(text)
        budget -= len(text) + 1
    if not results.ranking:
        lines.append(escape(t("quiz.live.no_players", lang)))
    return "\n".join(lines)


def private_result(results: FinalResults, line: RankLine, lang: str, course: Course) -> str:
    return escape(
        t(
            "quiz.live.private_result",
            lang,
            chapter=chapter_name(results.chapter, lang, course),
            points=number(line.points, lang),
            rank=ordinal(line.rank, lang),
            players=len(results.ranking),
        )
    )
