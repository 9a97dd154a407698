"""Messages and keyboards of the labs (TP); pure functions of the lab service's data."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from moussaillon.content.render import TELEGRAM_LIMIT, to_telegram_html, utf16_len, visible_text
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import callbacks
from moussaillon.labs.checks import CheckResult
from moussaillon.labs.model import Correction, Lab
from moussaillon.labs.service import LabStatus, LabView

View = tuple[str, InlineKeyboardMarkup]
MARKS = {"not_started": "▫️", "in_progress": "⏳", "done": "✅"}


def _html(markdown: str) -> str:
    """Lab files wrap prose at 100 columns; on a phone those breaks would cut sentences."""
    return to_telegram_html(markdown.strip(), reflow=True)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def lab_list(statuses: list[LabStatus], lang: str) -> View | tuple[str, None]:
    if not statuses:
        return t("labs.tg.empty", lang), None
    done = sum(1 for status in statuses if status.state == "done")
    lines = [t("labs.tg.list_title", lang, done=done, total=len(statuses)), ""]
    rows = []
    for status in statuses:
        mark = MARKS[status.state]
        lines.append(f"{mark} {status.order}. {escape(status.title)} · <i>{status.label(lang)}</i>")
        rows.append(
            [
                _button(
                    f"{mark} {status.order}. {status.title}", callbacks.lab(status.lab_id, "open")
                )
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def hint_block(hint: str, lang: str) -> str:
    return f"{t('labs.tg.hint', lang)}\n{_html(hint)}"


def check_done_note(step: int, lang: str) -> str:
    return t("labs.tg.marked_done", lang, step=step)


def check_block(step: int, result: CheckResult, lang: str) -> str:
    if result.ok:
        return t("labs.tg.check_ok", lang, step=step)
    missing = "\n".join(f"• {escape(text)}" for text in result.missing)
    return f"{t('labs.tg.check_ko', lang, step=step)}\n{missing}"


def correction_parts(correction: Correction) -> tuple[str, str]:
    """(commands, explanation) as Telegram HTML: the lab page and the class broadcast both
    show a correction through this, so it reads the same wherever it arrives."""
    return escape("\n".join(correction.commands)), _html(correction.explanation)


def correction_block(correction: Correction, lang: str) -> str:
    commands, explanation = correction_parts(correction)
    return f"{t('labs.tg.correction', lang)}\n<pre>{commands}</pre>\n\n{explanation}"


def _fits(text: str) -> bool:
    return utf16_len(visible_text(text)) <= TELEGRAM_LIMIT


def lab_page(
    lab: Lab,
    view: LabView,
    sections: list[tuple[str, str]],
    lang: str,
    *,
    extra: str | None = None,
    sandbox: bool = True,
) -> View:
    """The lab at one step: ``sections`` are the prerequisites found in the course (id, title),
    ``extra`` a hint, a check verdict or the correction, shown under the step."""
    step = t("labs.tg.step", lang, step=view.step, total=view.total)
    if view.step_done:
        step += t("labs.tg.step_done", lang)
    intro = [
        t("labs.tg.header", lang, order=lab.order, title=escape(lab.title)),
        f"{t('labs.tg.objective', lang)}\n{_html(lab.objective)}",
        f"<i>{t(f'labs.sandbox.{lab.sandbox}', lang)}</i>",
    ]
    if lab.limitations.strip():
        intro.append(f"{t('labs.tg.limitations', lang)}\n{_html(lab.limitations)}")
    if sections:
        intro.append(t("labs.tg.prerequisites", lang))
    current = [f"{step}\n{_html(view.instruction)}"]
    if view.checkable and sandbox and not view.step_done:
        current.append(f"<i>{t('labs.tg.how_to_run', lang)}</i>")
    if view.finished:
        current.append(t("labs.tg.finished", lang))
    if extra:
        current.append(extra)
    text = "\n\n".join(intro + current)
    if not _fits(text):  # the step and what was asked come first; the intro is in /tp anyway
        text = "\n\n".join([intro[0], *current])
    if not _fits(text) and extra:
        text = "\n\n".join([intro[0], extra])
    return text, _keyboard(lab, view, sections, lang, sandbox=sandbox)


def _keyboard(
    lab: Lab, view: LabView, sections: list[tuple[str, str]], lang: str, *, sandbox: bool
) -> InlineKeyboardMarkup:
    def action(name: str, step: int = view.step) -> str:
        return callbacks.lab(lab.id, name, step)

    row = [_button(t("labs.tg.btn_hint", lang), action("hint"))]
    if not view.step_done:
        row.append(_button(t("labs.tg.btn_done", lang), action("done")))
    if view.checkable and sandbox:
        row.append(_button(t("labs.tg.btn_check", lang), action("check")))
    moves = []
    if view.step > 1:
        moves.append(_button(t("labs.tg.btn_previous", lang), action("go", view.step - 1)))
    if view.step < view.total:
        moves.append(_button(t("labs.tg.btn_next", lang), action("go", view.step + 1)))
    rows = [row, moves] if moves else [row]
    rows.append([_button(t("labs.tg.btn_correction", lang), action("fix"))])
    rows += [
        [_button(f"📖 {title}", callbacks.section(section_id))] for section_id, title in sections
    ]
    rows.append([_button(t("labs.tg.btn_list", lang), callbacks.lab_list())])
    return InlineKeyboardMarkup(rows)
