"""Classes in Telegram: joining, instructors' commands, releases, broadcasts, progress, tokens.

Every command here goes through ``guarded``, which asks ``permissions.check`` (over
``roles.PERMISSIONS``) whether the user may run it and turns domain errors into the sentence the
user reads. An instructor's class commands return their answer, and ``guarded`` ends it with
the class the next command will act on (``current=True``): creating a class switches to it,
closing one falls back to the previous one, and nobody should have to guess.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.constants import ChatType

from moussaillon.bot.classes_runtime import instructor_menus
from moussaillon.classes.charts import student_caption, student_png
from moussaillon.classes.permissions import PermissionDenied
from moussaillon.classes.releases import parse_when
from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import t
from moussaillon.handlers.telegram import classes_views as views
from moussaillon.handlers.telegram import confirm
from moussaillon.handlers.telegram.context import (
    Context,
    authorise,
    chat_of,
    error_html,
    language,
    message_of,
    services,
    user_of,
)

if TYPE_CHECKING:
    from moussaillon.classes.hub import ClassesHub

log = logging.getLogger("moussaillon.telegram.classes")
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]  # what PTB registers
Answering = Callable[[Update, Context], Coroutine[Any, Any, str | None]]
"""A guarded handler: the HTML to reply, or None when it replied itself."""


def hub(context: Context) -> ClassesHub:
    return services(context).classes


def _rest(update: Update) -> str:
    """What follows the command, newlines kept (announcements are often several lines)."""
    text = message_of(update).text or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def current_line(update: Update, context: Context, *, none: bool = True) -> str | None:
    """One line naming the instructor's current class (``none``: say so when there is none)."""
    lang = await language(update, context)
    infos = [i for i in await hub(context).classes.of_instructor(user_of(update).id) if i.open]
    if not infos:
        return t("classes.current_none", lang) if none else None
    name = views.escape(infos[0].name)
    if len(infos) == 1:
        return t("classes.current", lang, name=name)
    return t("classes.current_of", lang, name=name, count=len(infos))


def guarded(action: str, *, current: bool = False) -> Callable[[Answering], Handler]:
    """Run the handler once ``permissions.check`` allows ``action``; a refusal, like any domain
    error, becomes the sentence the user reads. ``current``: the answer (or the error, when the
    instructor has an open class) ends with ``current_line``."""

    def wrap(handler: Answering) -> Handler:
        @functools.wraps(handler)
        async def run(update: Update, context: Context) -> None:
            lang = await language(update, context)
            try:
                authorise(update, context, action)
                text = await handler(update, context)
                line = await current_line(update, context) if current and text else None
            except MoussaillonError as exc:
                text = error_html(exc, lang)
                denied = isinstance(exc, PermissionDenied)
                line = await current_line(update, context, none=False) if current and not denied \
                    else None
            if text:
                await message_of(update).reply_html(f"{text}\n\n{line}" if line else text)

        run.action = action  # type: ignore[attr-defined]  # read by the permission walk
        return run

    return wrap


def _target(update: Update, context: Context) -> int | None:
    """A user id given as argument, or the author of the message replied to."""
    reply = message_of(update).reply_to_message
    if reply is not None and reply.from_user is not None:
        return reply.from_user.id
    args = context.args or []
    return int(args[0]) if args and args[0].lstrip("-").isdigit() else None


# -- students ----------------------------------------------------------------------------


async def join_with_code(update: Update, context: Context, code: str) -> None:
    lang = await language(update, context)
    try:
        info = await hub(context).classes.join(user_of(update).id, code)
    except MoussaillonError as exc:
        await message_of(update).reply_html(error_html(exc, lang))
        return
    name = views.escape(info.name)
    await message_of(update).reply_html(t("classes.joined", lang, name=name))


@guarded("rejoindre")
async def join_from_link(update: Update, context: Context) -> None:
    """``/start CODE``, from the deep link ``t.me/<bot>?start=CODE``: joining, like /rejoindre."""
    await join_with_code(update, context, (context.args or [""])[0])


@guarded("rejoindre")
async def rejoindre(update: Update, context: Context) -> None:
    if not context.args:
        await message_of(update).reply_html(
            t("classes.join_usage", await language(update, context)))
        return
    await join_with_code(update, context, context.args[0])


@guarded("quitter")
async def quitter(update: Update, context: Context) -> None:
    lang = await language(update, context)
    info = await hub(context).classes.leave(user_of(update).id)
    key = "classes.left" if info else "classes.not_in_class"
    await message_of(update).reply_html(
        t(key, lang, name=views.escape(info.name) if info else ""))


@guarded("progres")
async def progres(update: Update, context: Context) -> None:
    lang = await language(update, context)
    progress = await hub(context).progress.student(user_of(update).id)
    await message_of(update).reply_html(views.progress(progress, lang))
    try:  # matplotlib is slow to import and to draw: off the event loop
        png = await asyncio.to_thread(student_png, progress, lang)
    except ImportError:  # matplotlib missing: the text above says it all
        log.warning("matplotlib is not installed: /progres sends no chart")
        return
    await message_of(update).reply_photo(png, caption=student_caption(progress, lang))


@guarded("tokens")
async def tokens(update: Update, context: Context) -> None:
    lang = await language(update, context)
    svc = services(context)
    user_id = user_of(update).id
    args = context.args or []
    if len(args) >= 2 and args[0].lower() in {"revoquer", "révoquer", "revoke"}:
        token_id = int(args[1]) if args[1].isdigit() else -1
        done = await svc.tokens.revoke(token_id, user_id=user_id)
        key = "classes.token_revoked" if done else "classes.token_unknown"
        await message_of(update).reply_html(t(key, lang, id=views.escape(args[1])))
        return
    rows = await svc.tokens.list(user_id)
    await message_of(update).reply_html(views.tokens(rows, lang, svc.settings.timezone))


# -- instructors -------------------------------------------------------------------------


@guarded("promouvoir")
async def promouvoir(update: Update, context: Context) -> None:
    lang = await language(update, context)
    target = _target(update, context)
    if target is None:
        await message_of(update).reply_html(t("classes.promote_usage", lang))
        return
    promoted = await hub(context).roles.promote(target, by=user_of(update).id)
    if promoted:
        await instructor_menus(context.bot, [target])
    key = "classes.promoted" if promoted else "classes.already_instructor"
    await message_of(update).reply_html(t(key, lang, user=f"<code>{target}</code>"))


@guarded("classe_creer", current=True)
async def classe_creer(update: Update, context: Context) -> str | None:
    lang = await language(update, context)
    info = await hub(context).classes.create(user_of(update).id, _rest(update))
    link = views.deep_link(context.bot.username, info.code)
    return t("classes.created", lang, name=views.escape(info.name), code=info.code, link=link)


@guarded("classe_renommer", current=True)
async def classe_renommer(update: Update, context: Context) -> str | None:
    classes = hub(context).classes
    me = user_of(update).id
    info = await classes.rename((await classes.current(me)).id, me, _rest(update))
    return t("classes.renamed", await language(update, context), name=views.escape(info.name))


@guarded("classe_fermer", current=True)
async def classe_fermer(update: Update, context: Context) -> str | None:
    """Asks first (``confirm``): closing is not undone, and its code stops working at once."""
    lang = await language(update, context)
    classes = hub(context).classes
    me = user_of(update).id
    info = await classes.current(me)

    async def close(update: Update, context: Context) -> str:
        authorise(update, context, "classe_fermer")
        closed = await classes.close(info.id, me)
        text = t("classes.closed", lang, name=views.escape(closed.name))
        return f"{text}\n\n{await current_line(update, context)}"

    keyboard = confirm.ask(context, close, t("classes.close_yes", lang), lang)
    question = t("classes.close_confirm", lang, name=views.escape(info.name),
                 minutes=confirm.ttl_minutes())
    await message_of(update).reply_html(question, reply_markup=keyboard)
    return None


@guarded("lier", current=True)
async def lier(update: Update, context: Context) -> str | None:
    lang = await language(update, context)
    chat = chat_of(update)
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return t("classes.link_only_group", lang)
    classes = hub(context).classes
    me = user_of(update).id
    info = await classes.current(me)
    await classes.link_group(info.id, me, chat.id, chat.title or "")
    return t("classes.linked", lang, name=views.escape(info.name))


@guarded("membres", current=True)
async def membres(update: Update, context: Context) -> str | None:
    classes = hub(context).classes
    info = await classes.current(user_of(update).id)
    text = views.members(info, await classes.members(info.id), await language(update, context))
    return text[:4000]


@guarded("retirer", current=True)
async def retirer(update: Update, context: Context) -> str | None:
    lang = await language(update, context)
    target = _target(update, context)
    if target is None:
        return t("classes.remove_usage", lang)
    classes = hub(context).classes
    me = user_of(update).id
    info = await classes.current(me)
    removed = await classes.remove_member(info.id, me, target)
    key = "classes.removed" if removed else "classes.not_member"
    return t(key, lang, user=f"<code>{target}</code>", name=views.escape(info.name))


@guarded("corriger", current=True)
async def corriger(update: Update, context: Context) -> str | None:
    lang = await language(update, context)
    h = hub(context)
    args = context.args or []
    if not args:  # the numbers /tp shows, which /corriger takes as well as the ids
        labs = "".join(f"\n<code>{lab.order}</code> {views.escape(lab.title)}" for lab in h.labs)
        return t("classes.release_usage", lang, labs=labs)
    lab = h.labs.find(args[0])
    when = parse_when(" ".join(args[1:]), h.tz, h.clock())
    info = await h.classes.current(user_of(update).id)
    release = await h.releases.schedule(info.id, lab.id, user_of(update).id, when)
    name, title = views.escape(info.name), views.escape(lab.title)
    if release.status == "released":
        return t("classes.released_now", lang, lab=title, name=name)
    local = datetime.fromisoformat(release.due_at).astimezone(h.tz)
    return t("classes.release_scheduled", lang, lab=title, name=name,
             when=local.strftime("%Y-%m-%d %H:%M") + f" ({h.settings.timezone})")


@guarded("annonce", current=True)
async def annonce(update: Update, context: Context) -> str | None:
    lang = await language(update, context)
    text = _rest(update)
    if not text:
        return t("classes.announce_usage", lang)
    h = hub(context)
    info = await h.classes.current(user_of(update).id)
    broadcast_id = await h.broadcasts.create(info.id, "announcement", text,
                                             user_of(update).id)
    report = await h.broadcasts.report(broadcast_id)
    return t("classes.announce_queued", lang, total=report.total)


@guarded("diffusions", current=True)
async def diffusions(update: Update, context: Context) -> str | None:
    h = hub(context)
    info = await h.classes.current(user_of(update).id)
    items = await h.broadcasts.recent(info.id)
    return views.reports(info, items, await language(update, context), h.settings.timezone)


@guarded("classe_stats", current=True)
async def classe_stats(update: Update, context: Context) -> str | None:
    h = hub(context)
    info = await h.classes.current(user_of(update).id)
    rows = await h.progress.of_class(info.id)
    return views.stats(info, rows, await language(update, context), h.clock())


@guarded("tableau", current=True)
async def tableau(update: Update, context: Context) -> str | None:
    lang = await language(update, context)
    h = hub(context)
    me = user_of(update).id
    info = await h.classes.current(me)
    if chat_of(update).type != ChatType.PRIVATE:  # a signed link is a secret
        return t("tg.only_private", lang)
    return t("classes.dashboard_link", lang, name=views.escape(info.name),
             ttl=round(h.settings.dashboard_link_ttl_min),
             url=views.escape(h.dashboard_url(info.id, me)))


COMMANDS: tuple[tuple[str, Handler, str], ...] = (
    ("rejoindre", rejoindre, "classes.cmd_rejoindre"),
    ("quitter", quitter, "classes.cmd_quitter"),
    ("progres", progres, "classes.cmd_progres"),
    ("tokens", tokens, "classes.cmd_tokens"),
    ("classe_creer", classe_creer, "classes.cmd_classe_creer"),
    ("classe_renommer", classe_renommer, "classes.cmd_classe_renommer"),
    ("classe_fermer", classe_fermer, "classes.cmd_classe_fermer"),
    ("lier", lier, "classes.cmd_lier"),
    ("membres", membres, "classes.cmd_membres"),
    ("retirer", retirer, "classes.cmd_retirer"),
    ("corriger", corriger, "classes.cmd_corriger"),
    ("annonce", annonce, "classes.cmd_annonce"),
    ("diffusions", diffusions, "classes.cmd_diffusions"),
    ("classe_stats", classe_stats, "classes.cmd_classe_stats"),
    ("tableau", tableau, "classes.cmd_tableau"),
    ("promouvoir", promouvoir, "classes.cmd_promouvoir"),
)
