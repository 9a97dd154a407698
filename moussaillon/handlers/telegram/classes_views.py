"""Pure text builders for the classes commands (no I/O, easy to read in tests)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape as _escape

from telegram import BotCommand

from moussaillon.classes.broadcasts import BroadcastMessage, BroadcastReport
from moussaillon.classes.progress import StudentProgress, bar
from moussaillon.classes.roles import Role, required_role
from moussaillon.classes.service import ClassInfo, Member
from moussaillon.content.render import truncate_telegram
from moussaillon.core.clock import local
from moussaillon.core.i18n import number, percent, t, t_count
from moussaillon.handlers.telegram.labs_views import correction_parts
from moussaillon.labs.model import LabSet


def escape(text: str) -> str:
    return _escape(text, quote=False)


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def broadcast(message: BroadcastMessage, labs: LabSet) -> str:
    """A broadcast as its recipient reads it; a correction as the lab page shows it."""
    name, lang = escape(message.class_name), message.language
    if message.kind == "correction":
        lab = labs.get(message.text)
        commands, explanation = correction_parts(lab.correction)
        body = t("classes.correction_broadcast", lang, name=name, title=escape(lab.title),
                 explanation=explanation, commands=commands)
    else:
        body = t("classes.announcement_broadcast", lang, name=name, text=escape(message.text))
    return truncate_telegram(body)


def member_line(member: Member) -> str:
    handle = f" @{escape(member.username)}" if member.username else ""
    name = escape(member.first_name) or str(member.user_id)
    return f"• {name}{handle} (<code>{member.user_id}</code>)"


def members(info: ClassInfo, people: list[Member], lang: str) -> str:
    lines = "\n".join(member_line(m) for m in people)
    return t_count("classes.members", len(people), lang, name=escape(info.name),
                   count=number(len(people), lang), lines=lines)


def when(stamp: str, tz: str) -> str:
    """A stored UTC stamp as the course's clock reads it (``settings.timezone``)."""
    return local(stamp, tz).strftime("%Y-%m-%d %H:%M")


def report_line(report: BroadcastReport, lang: str, tz: str) -> str:
    return t("classes.report_line", lang, **report.model_dump(
        include={"id", "kind", "sent", "blocked", "failed", "pending", "unknown"}),
        created_at=when(report.created_at, tz))


def reports(info: ClassInfo, items: list[BroadcastReport], lang: str, tz: str) -> str:
    if not items:
        return t("classes.no_broadcasts", lang, name=escape(info.name))
    head = t("classes.report_head", lang, name=escape(info.name))
    return "\n".join([head, *(report_line(r, lang, tz) for r in items)])


def quiz_text(p: StudentProgress, lang: str) -> str:
    if not p.quiz_answers:
        return t("classes.quiz_none", lang)
    return t("classes.quiz_score", lang, correct=p.quiz_correct, answers=p.quiz_answers,
             pct=percent(p.quiz_correct, p.quiz_answers, lang))


def progress(p: StudentProgress, lang: str) -> str:
    chapters = "\n".join(
        f"<code>{bar(c.read, c.total)}</code> {c.read}/{c.total} {escape(c.title)}"
        for c in p.chapters
    )
    return t("classes.progress_text", lang, chapters=chapters, quiz=quiz_text(p, lang),
             labs_done=p.labs_done, labs_total=p.labs_total, steps_done=p.steps_done,
             steps_total=p.steps_total, commands=p.sandbox_commands)


def stats(info: ClassInfo, rows: list[StudentProgress], lang: str, now: datetime) -> str:
    count = len(rows)
    total = rows[0].sections_total if rows else 0
    read = round(sum(r.sections_read for r in rows) / count, 1) if count else 0
    answers = sum(r.quiz_answers for r in rows)
    correct = sum(r.quiz_correct for r in rows)
    quiz = (t("classes.quiz_score", lang, correct=correct, answers=answers,
              pct=percent(correct, answers, lang)) if answers else t("classes.quiz_none", lang))
    week = (now - timedelta(days=7)).isoformat(timespec="seconds")
    active = sum(1 for r in rows if r.last_activity and r.last_activity >= week)
    students = t_count("classes.stats_students", count, lang, count=number(count, lang))
    sections = t_count("classes.stats_sections", read, lang, total=number(total, lang),
                       read=number(read, lang, 0 if float(read).is_integer() else 1))
    return t("classes.stats", lang, name=escape(info.name), students=students,
             sections=sections, quiz=quiz, labs=sum(r.labs_done for r in rows), active=active)


def tokens(rows: list[dict], lang: str, tz: str) -> str:
    active = [r for r in rows if not r["revoked_at"]]
    if not active:
        return t("classes.tokens_none", lang)
    lines = "\n".join(
        f"• <code>{r['id']}</code> {escape(r['label'] or '-')} · {when(r['created_at'], tz)}"
        + (" · 🎓" if r["instructor"] else "")
        for r in active
    )
    return t("classes.tokens_list", lang, lines=lines)


def menu(commands: Iterable[tuple[str, object, str]], lang: str, role: Role) -> list[BotCommand]:
    """The commands this role may run, described in ``lang``."""
    return [BotCommand(n, t(k, lang)) for n, _, k in commands if required_role(n) <= role]
