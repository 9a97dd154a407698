"""What the chat adds around a sandbox result, kept apart from the handlers that send it.

- One refusal per burst: a student who fires ten commands past the rate limit reads one
  "retry in N s", not ten. The end of the quiet window lives in the student's PTB ``user_data``
  (the bot runtime's per-user state), never in a global.
- Tips for outputs that suggest what a chat cannot do (``hello-world`` ends with
  ``docker run -it …``, which the sandbox refuses).
- The name of the file a long output comes in: a build's is its log, as CI systems call it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from html import escape
from typing import TYPE_CHECKING, Any

from moussaillon.core.i18n import number, t

if TYPE_CHECKING:
    from moussaillon.sandbox import CommandResult

# What fits in one message around the <pre> block; the rest goes to a file.
INLINE_OUTPUT = 3500
QUIET_UNTIL = "sandbox.quiet_until"  # user_data key: monotonic time the burst's refusal covers

_INTERACTIVE_HINTS = ("docker run -it", "docker run -ti")
_BUILDS = (["build"], ["buildx"], ["image", "build"], ["builder", "build"])


def first_refusal_of_burst(
    user_data: MutableMapping[Any, Any] | None, retry_after: float, now: float
) -> bool:
    """True for the refusal to send (then the next ``retry_after`` seconds stay quiet); False
    for the ones that follow it in the same window. Without per-user data, always True."""
    if user_data is None:
        return True
    if now < user_data.get(QUIET_UNTIL, 0.0):
        return False
    user_data[QUIET_UNTIL] = now + max(retry_after, 1.0)
    return True


def tips(output: str, lang: str) -> list[str]:
    """HTML lines to show under an output, for advice in it the sandbox would refuse."""
    if any(hint in output for hint in _INTERACTIVE_HINTS):
        return [t("tg.docker_interactive_tip", lang)]
    return []


def log_filename(line: str) -> str:
    """``build.log`` for a ``docker build`` line (any of its spellings), else ``output.txt``."""
    words = line.lower().split()
    words = words[1:] if words[:1] == ["docker"] else words
    if words[:1] in _BUILDS or words[:2] in _BUILDS:
        return "build.log"
    return "output.txt"


def result_html(result: CommandResult, lang: str) -> str:
    """The answer to a command that ran: the output (its tail when long) as the CLI printed
    it, the sandbox's notes, tips, and the exit code when it is not 0."""
    output = result.output or ""
    shown = output if len(output) <= INLINE_OUTPUT else "…" + output[-INLINE_OUTPUT:]
    lines = [f"<pre>{escape(shown)}</pre>"] if shown.strip() else []
    lines += [f"<i>{escape(note)}</i>" for note in result.notes]
    lines += [f"💡 {tip}" for tip in tips(output, lang)]
    if result.exit_code not in (0, None):
        lines.append(f"<i>{t('tg.docker_exit', lang, code=result.exit_code)}</i>")
    if len(output) > INLINE_OUTPUT:
        lines.append(t("tg.docker_output_file", lang, size=number(len(output.encode()), lang)))
    return "\n".join(lines) or "✅"


def log_file(result: CommandResult) -> bytes | None:
    """The whole output, when the answer shows only its tail."""
    output = result.output or ""
    return output.encode() if len(output) > INLINE_OUTPUT else None
