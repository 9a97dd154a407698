"""/docker and messages starting with "docker ": the student's real commands; /reset, /sandbox."""

from __future__ import annotations

import time
from html import escape
from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ChatType

from moussaillon.bot.live_message import LiveMessage
from moussaillon.content.questions import looks_like_question
from moussaillon.core.clock import local
from moussaillon.core.i18n import t, t_count
from moussaillon.handlers.telegram import (
    confirm,
    labs_views,
    questions,
    sandbox_replies,
    shell,
    workspace,
)
from moussaillon.handlers.telegram.context import (
    Context,
    chat_of,
    language,
    message_of,
    services,
    user_of,
)

if TYPE_CHECKING:
    from moussaillon.sandbox.service import SandboxService


async def docker_command(update: Update, context: Context) -> None:
    text = message_of(update).text or ""
    parts = text.split(maxsplit=1)
    rest = parts[1] if len(parts) > 1 else ""
    if not rest.strip():
        await message_of(update).reply_html(t("tg.docker_usage", await language(update, context)))
        return
    line = rest if rest.lstrip().lower().startswith("docker") else f"docker {rest}"
    if looks_like_question(line):
        await questions.answer(update, context, line)
        return
    await run(update, context, line)


async def _sandbox(update: Update, context: Context, lang: str) -> SandboxService | None:
    """This server's sandbox; if it has none, the student is told so."""
    sandbox = services(context).sandbox
    if sandbox is None:
        await message_of(update).reply_html(t("tg.docker_disabled", lang))
    return sandbox


async def run(update: Update, context: Context, line: str) -> None:
    """One answer per command: a command that streams (a build) shows its output live in that
    answer (``LiveMessage``), which ends as the result, like any other command's."""
    lang = await language(update, context)
    svc = services(context)
    message = message_of(update)
    sandbox = await _sandbox(update, context, lang)
    if sandbox is None:
        return
    if sandbox.wants_shell(line):
        await shell.open_shell(update, context, line)
        return

    async def on_wait(position: int) -> None:
        await message.reply_html(t("tg.docker_queued", lang, position=position))

    await context.bot.send_chat_action(message.chat_id, "typing")
    running = f"<i>{t('tg.docker_running', lang)}</i>"
    async with LiveMessage(message, status_html=running) as live:
        result = await svc.practice.run(
            user_of(update).id, line, lang, on_wait=on_wait, on_output=live.feed
        )
        if result.refused:
            refusal = f"⛔ {escape(result.reason or '')}"
            if result.verdict == "rate_limited":
                if not sandbox_replies.first_refusal_of_burst(
                    context.user_data, result.retry_after or 0.0, time.monotonic()
                ):
                    return
                refusal += f"\n<i>{t('tg.docker_quiet', lang)}</i>"
            await live.finish(refusal)
            return
        # While a lab step is open, its check sits under the answer (labs decide which step).
        step = await svc.labs.open_step(user_of(update).id)
        keyboard = labs_views.verify_keyboard(step, lang) if step is not None else None
        await live.finish(
            sandbox_replies.result_html(result, lang),
            reply_markup=keyboard,
            document=sandbox_replies.log_file(result),
            filename=sandbox_replies.log_filename(line),
        )


async def reset(update: Update, context: Context) -> None:
    """Asks first (``confirm``): what it removes does not come back. The student's files are
    another thing (their work, kept): ``/reset fichiers`` erases those."""
    if context.args and context.args[0].lower() in workspace.RESET_WORDS:
        await workspace.reset_files(update, context)
        return
    lang = await language(update, context)
    sandbox = await _sandbox(update, context, lang)
    if sandbox is None:
        return
    user_id = user_of(update).id

    async def wipe(update: Update, context: Context) -> str:
        count = await sandbox.reset(user_id)
        return t_count("tg.reset_done", count, lang, count=count)

    keyboard = confirm.ask(context, wipe, t("tg.reset_yes", lang), lang)
    question = t("tg.reset_confirm", lang, minutes=confirm.ttl_minutes())
    question += "\n" + t("workspace.tg.reset_keeps_files", lang)
    await message_of(update).reply_html(question, reply_markup=keyboard)


async def status(update: Update, context: Context) -> None:
    lang = await language(update, context)
    sandbox = await _sandbox(update, context, lang)
    if sandbox is None:
        return
    report = await sandbox.status(user_of(update).id, lang)
    names = ", ".join(f"<code>{escape(n)}</code>" for n in report.names) or "—"
    text = t(
        "tg.sandbox_status",
        lang,
        containers=report.containers,
        max_containers=report.max_containers,
        running=report.running,
        names=names,
        volumes=report.volumes,
        max_volumes=report.max_volumes,
        networks=report.networks,
        max_networks=report.max_networks,
    )
    if report.commands_left is not None:
        text += "\n" + t("tg.sandbox_commands_left", lang, count=report.commands_left)
    if report.expires_at is not None:
        at = local(report.expires_at, services(context).settings.timezone).strftime("%H:%M")
        text += "\n" + t("tg.sandbox_expires", lang, at=at)
    await message_of(update).reply_html(text)


async def token(update: Update, context: Context) -> None:
    lang = await language(update, context)
    if chat_of(update).type != ChatType.PRIVATE:
        await message_of(update).reply_html(t("tg.only_private", lang))
        return
    svc = services(context)
    secret = await svc.tokens.create(user_of(update).id, label="telegram")
    url = escape(svc.settings.public_base_url)
    await message_of(update).reply_html(t("tg.token_created", lang, token=secret, url=url))
