"""Pictures of progress: a PNG for Telegram (matplotlib, imported only when drawn) and an
inline SVG for the dashboard (no dependency, readable in the page's DOM)."""

from __future__ import annotations

import io
from html import escape

from moussaillon.classes.progress import StudentProgress


def student_png(progress: StudentProgress, title: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    labels = [c.title[:28] for c in progress.chapters]
    values = [100 * c.read / c.total if c.total else 0 for c in progress.chapters]
    figure = Figure(figsize=(7, 0.45 * len(labels) + 1.6), dpi=100)
    axes = figure.subplots()
    axes.barh(range(len(labels)), values, color="#2b7bb9")
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("%")
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def class_svg(rows: list[StudentProgress], width: int = 640) -> str:
    """One horizontal bar per chapter: the class's mean share of sections read."""
    if not rows:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    chapters = rows[0].chapters
    height = 22 * len(chapters) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="class-chart" width="{width}"'
             f' height="{height}" role="img">']
    for i, chapter in enumerate(chapters):
        shares = [r.chapters[i].read / r.chapters[i].total for r in rows if r.chapters[i].total]
        mean = sum(shares) / len(shares) if shares else 0.0
        y = 5 + 22 * i
        length = int((width - 260) * mean)
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="12">{escape(chapter.title[:34])}</text>'
            f'<rect class="bar" data-chapter="{escape(chapter.chapter_id)}" x="250" y="{y}"'
            f' width="{length}" height="16" fill="#2b7bb9"/>'
            f'<text x="{255 + length}" y="{y + 13}" font-size="11">{round(100 * mean)}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
