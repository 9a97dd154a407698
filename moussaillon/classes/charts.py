"""Pictures of progress: a PNG for Telegram (matplotlib, imported only when drawn), its caption,
and the class chart of the dashboard (plain HTML, so it reflows on a phone and its numbers are
the legend of the table's chapter columns).

Telegram shows a photo about 330 px wide on a phone: the PNG is laid out 600 px wide with text
of 22 px and more (12 px once shown), labels written over their bars (full width, never
squeezed into a margin), and saved at 1.5x (900 px) to stay sharp on dense screens.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

from moussaillon.classes.progress import StudentProgress
from moussaillon.core.i18n import number, percent, t, t_count

WIDTH = 600  # layout pixels; the file is SCALE times larger
SCALE = 1.5
PAD = 16
ROW = 44  # one bar with its label written over it
GAP = 14
HEAD = 40  # a section's heading line
TITLE = 52

INK, MUTED, TRACK = "#10233f", "#5b6b7f", "#e7edf3"
READ, RIGHT, WRONG, STEPS, LABS = "#8ec0ea", "#86d4a5", "#f3b1aa", "#c9b3ec", "#f6cf86"


def student_caption(p: StudentProgress, lang: str) -> str:
    """The line sent with the photo: the three figures of the picture, in words."""
    sections = t_count(
        "classes.caption_sections",
        p.sections_read,
        lang,
        read=number(p.sections_read, lang),
        total=number(p.sections_total, lang),
    )
    quiz = (
        t_count(
            "classes.caption_quiz",
            p.quiz_correct,
            lang,
            correct=number(p.quiz_correct, lang),
            answers=number(p.quiz_answers, lang),
            pct=percent(p.quiz_correct, p.quiz_answers, lang),
        )
        if p.quiz_answers
        else t("classes.caption_quiz_none", lang)
    )
    labs = t_count(
        "classes.caption_labs",
        p.labs_done,
        lang,
        done=number(p.labs_done, lang),
        total=number(p.labs_total, lang),
    )
    steps = t_count(
        "classes.caption_steps",
        p.steps_done,
        lang,
        done=number(p.steps_done, lang),
        total=number(p.steps_total, lang),
    )
    return t("classes.caption", lang, sections=sections, quiz=quiz, labs=labs, steps=steps)


# -- the student's PNG --------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    parts: tuple[tuple[float, str], ...]  # (share of the width, colour), left to right


@dataclass(frozen=True)
class Block:
    heading: str
    bars: tuple[Bar, ...]


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _share(done: int, total: int) -> float:
    return min(1.0, done / total) if total else 0.0


def blocks(p: StudentProgress, lang: str) -> list[Block]:
    """What the picture shows, apart from drawing: sections, quiz, labs."""
    chapters = tuple(
        Bar(f"{i}. {_short(c.title)}", f"{c.read}/{c.total}", ((_share(c.read, c.total), READ),))
        for i, c in enumerate(p.chapters, start=1)
    )
    if p.quiz_answers:
        right, wrong = p.quiz_correct, p.quiz_answers - p.quiz_correct
        label = " · ".join(
            [
                t_count("classes.png_right", right, lang, n=number(right, lang)),
                t_count("classes.png_wrong", wrong, lang, n=number(wrong, lang)),
            ]
        )
        share = _share(right, p.quiz_answers)
        quiz = Bar(
            label, percent(right, p.quiz_answers, lang), ((share, RIGHT), (1 - share, WRONG))
        )
        quiz_head = t_count(
            "classes.png_quiz",
            right,
            lang,
            correct=number(right, lang),
            answers=number(p.quiz_answers, lang),
        )
    else:
        quiz = Bar(t("classes.png_quiz_none", lang), "", ())
        quiz_head = t("classes.png_quiz_head", lang)
    labs = (
        Bar(
            t("classes.png_labs", lang),
            f"{p.labs_done}/{p.labs_total}",
            ((_share(p.labs_done, p.labs_total), LABS),),
        ),
        Bar(
            t("classes.png_steps", lang),
            f"{p.steps_done}/{p.steps_total}",
            ((_share(p.steps_done, p.steps_total), STEPS),),
        ),
    )
    return [
        Block(
            t(
                "classes.png_sections",
                lang,
                read=number(p.sections_read, lang),
                total=number(p.sections_total, lang),
            ),
            chapters,
        ),
        Block(quiz_head, (quiz,)),
        Block(t("classes.png_labs_head", lang), labs),
    ]


def _height(parts: list[Block]) -> int:
    return PAD + TITLE + sum(HEAD + ROW * len(b.bars) + GAP for b in parts) + PAD - GAP


def _pt(px: float) -> float:
    return px * 0.72  # laid out at 100 dpi: 1 px is 0.72 pt


def _draw_bar(axes, bar: Bar, top: float) -> None:
    from matplotlib.patches import FancyBboxPatch

    left, width, height = PAD, WIDTH - 2 * PAD, ROW - 8
    box = "round,pad=0,rounding_size=6"
    axes.add_patch(FancyBboxPatch((left, top), width, height, boxstyle=box, color=TRACK, lw=0))
    x: float = left
    for share, colour in bar.parts:
        if share > 0:
            axes.add_patch(
                FancyBboxPatch((x, top), width * share, height, boxstyle=box, color=colour, lw=0)
            )
            x += width * share
    middle = top + height / 2
    axes.text(left + 12, middle, bar.label, fontsize=_pt(22), color=INK, va="center_baseline")
    axes.text(
        left + width - 12,
        middle,
        bar.value,
        fontsize=_pt(22),
        color=INK,
        va="center_baseline",
        ha="right",
        fontweight="bold",
    )


def _layout(parts: list[Block], lang: str) -> Iterator[tuple[str, object, float]]:
    """What to draw where: ("title" | "heading" | "bar", content, top in px)."""
    y = PAD
    yield "title", t("classes.png_title", lang), y
    y += TITLE
    for block in parts:
        yield "heading", block.heading, y
        y += HEAD
        for bar in block.bars:
            yield "bar", bar, y
            y += ROW
        y += GAP


def student_png(progress: StudentProgress, lang: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    parts = blocks(progress, lang)
    height = _height(parts)
    figure = Figure(figsize=(WIDTH / 100, height / 100), dpi=100, facecolor="white")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, WIDTH)
    axes.set_ylim(height, 0)
    axes.axis("off")
    for kind, content, top in _layout(parts, lang):
        if kind == "title":
            axes.text(
                PAD,
                top + TITLE / 2 - 6,
                str(content),
                fontsize=_pt(30),
                color=INK,
                fontweight="bold",
                va="center_baseline",
            )
        elif kind == "heading":
            axes.text(
                PAD,
                top + HEAD / 2,
                str(content),
                fontsize=_pt(23),
                color=MUTED,
                fontweight="bold",
                va="center_baseline",
            )
        else:
            _draw_bar(axes, content, top)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100 * SCALE)
    return buffer.getvalue()


# -- the class chart of the dashboard -----------------------------------------------------


def class_chart(rows: list[StudentProgress], lang: str) -> str:
    """One line per chapter, numbered as the table's columns: the class's mean share read."""
    if not rows:
        return ""
    items = []
    for i, chapter in enumerate(rows[0].chapters, start=1):
        shares = [
            r.chapters[i - 1].read / r.chapters[i - 1].total
            for r in rows
            if r.chapters[i - 1].total
        ]
        mean = sum(shares) / len(shares) if shares else 0.0
        share = round(100 * mean)
        items.append(
            f'<li><span class="num">{i}</span><span class="label">{escape(chapter.title)}</span>'
            f'<span class="track"><span class="bar" data-chapter="{escape(chapter.chapter_id)}"'
            f' style="width:{share}%"></span></span>'
            f'<span class="pct">{percent(share, 100, lang)}</span></li>'
        )
    return f'<ol id="class-chart" class="chart">{"".join(items)}</ol>'
