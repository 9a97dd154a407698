"""Messages and keyboards of the labs (TP); pure functions of the lab service's data."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from moussaillon.content.render import TELEGRAM_LIMIT, to_telegram_html, utf16_len, visible_text
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import callbacks
from moussaillon.labs.checks import CheckResult
from moussaillon.labs.model import Correction, Lab
from moussaillon.labs.service import LabStatus, LabView, OpenStep

View = tuple[str, InlineKeyboardMarkup]
MARKS = {"not_started": "▫️", "in_progress": "⏳", "done": "✅"}


def _html(markdown: str) -> str:
    """Lab files wrap prose at 100 columns; on a phone those breaks would cut sentences."""
    return to_telegram_html(markdown.strip(), reflow=True)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def lab_list(statuses: list[LabStatus], lang: str) -> View | tuple[str, None]:
    """Each lab once, as a button (mark, number, title, steps done); the text only sums up."""
    if not statuses:
        return t("labs.tg.empty", lang), None
    done = sum(1 for status in statuses if status.state == "done")
    text = "\n".join([t("labs.tg.list_title", lang, done=done, total=len(statuses)),
                      t("labs.tg.legend", lang)])
    rows = []
    for status in statuses:
        label = f"{MARKS[status.state]} {status.order}. {status.title}"
        if status.state == "in_progress":
            label += f" · {status.done}/{status.total}"
        rows.append([_button(label, callbacks.lab(status.lab_id, "open"))])
    return text, InlineKeyboardMarkup(rows)


def verify_keyboard(step: OpenStep, lang: str) -> InlineKeyboardMarkup:
    """Under a command's answer: check the lab step the student is on, right where they type."""
    text = t("labs.tg.btn_verify", lang, order=step.order, step=step.step)
    return InlineKeyboardMarkup([[_button(text, callbacks.lab(step.lab_id, "verify", step.step))]])


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


def file_list(files: list[str]) -> str:
    return ", ".join(f"<code>{escape(path)}</code>" for path in files)


def correction_block(correction: Correction, lang: str, order: int | None = None) -> str:
    commands, explanation = correction_parts(correction)
    block = f"{t('labs.tg.correction', lang)}\n<pre>{commands}</pre>\n\n{explanation}"
    if correction.files and order is not None:
        files = file_list(list(correction.files))
        block += "\n\n" + t("labs.tg.correction_files", lang, files=files, order=order)
    return block


def files_loaded(files: list[str], lang: str, *, correction: bool) -> str:
    key = "labs.tg.correction_loaded" if correction else "labs.tg.starter_loaded"
    return t(key, lang, files=file_list(files))


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
    about: bool | None = None,
    reading: bool = False,
) -> View:
    """The lab at one step, short enough to stay on a phone's screen: the step and what was
    asked (``extra``: a hint, a check verdict, the correction). The objective and the sandbox's
    limits come on a first look (step 1, nothing done) or when asked (``about``); ``sections``,
    the prerequisites found in the course (id, title), behind a button (``reading`` lists them).
    """
    step = t("labs.tg.step", lang, step=view.step, total=view.total)
    if view.step_done:
        step += t("labs.tg.step_done", lang)
    header = t("labs.tg.header", lang, order=lab.order, title=escape(lab.title))
    if about is None:
        about = view.step == 1 and not view.done_steps and not extra
    intro = []
    if about:
        intro += [
            f"{t('labs.tg.objective', lang)}\n{_html(lab.objective)}",
            f"<i>{t(f'labs.sandbox.{lab.sandbox}', lang)}</i>",
        ]
        if lab.limitations.strip():
            intro.append(f"{t('labs.tg.limitations', lang)}\n{_html(lab.limitations)}")
        if view.starter and not view.seeded and not view.kept:
            files = file_list(view.starter)
            intro.append(t("labs.tg.starter_note", lang, files=files, order=lab.order))
    current = [f"{step}\n{_html(view.instruction)}"]
    if view.seeded:
        current.append(t("labs.tg.seeded", lang, files=file_list(view.seeded)))
    if view.kept:
        current.append(t("labs.tg.kept", lang, files=file_list(view.kept), order=lab.order))
    if view.checkable and sandbox and not view.step_done:
        current.append(f"<i>{t('labs.tg.how_to_run', lang)}</i>")
    if view.finished:
        current.append(t("labs.tg.finished", lang))
    if reading and sections:
        current.append(t("labs.tg.prerequisites", lang))
    if extra:
        current.append(extra)
    text = "\n\n".join([header, *intro, *current])
    if not _fits(text):  # the step and what was asked come first
        text = "\n\n".join([header, *current])
    if not _fits(text) and extra:
        text = "\n\n".join([header, extra])
    if reading and sections:
        return text, _reading(lab, view, sections, lang)
    return text, _keyboard(lab, view, sections, lang, sandbox=sandbox)


def _reading(
    lab: Lab, view: LabView, sections: list[tuple[str, str]], lang: str
) -> InlineKeyboardMarkup:
    rows = [[_button(f"📖 {title}", callbacks.section(section_id))]
            for section_id, title in sections]
    rows.append([_button(t("labs.tg.btn_back", lang), callbacks.lab(lab.id, "go", view.step))])
    return InlineKeyboardMarkup(rows)


def _keyboard(
    lab: Lab, view: LabView, sections: list[tuple[str, str]], lang: str, *, sandbox: bool
) -> InlineKeyboardMarkup:
    """Three rows at most, three buttons each: act on the step, move, find out more."""

    def action(name: str, step: int = view.step) -> str:
        return callbacks.lab(lab.id, name, step)

    act = [_button(t("labs.tg.btn_hint", lang), action("hint"))]
    if not view.step_done:
        act.append(_button(t("labs.tg.btn_done", lang), action("done")))
    if view.checkable and sandbox:
        act.append(_button(t("labs.tg.btn_check", lang), action("check")))
    move = [_button(t("labs.tg.btn_correction", lang), action("fix"))]
    if view.step > 1:
        previous = view.step - 1
        move.insert(0, _button(t("labs.tg.btn_prev_step", lang, step=previous),
                               action("go", previous)))
    if view.step < view.total:
        following = view.step + 1
        move.append(_button(t("labs.tg.btn_next_step", lang, step=following),
                            action("go", following)))
    more = [_button(t("labs.tg.btn_about", lang), action("about"))]
    if sections:
        more.insert(0, _button(t("labs.tg.btn_read", lang, count=len(sections)), action("read")))
    more.append(_button(t("labs.tg.btn_list", lang), callbacks.lab_list()))
    return InlineKeyboardMarkup([act, move, more])
