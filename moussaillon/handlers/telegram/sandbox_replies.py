"""What the chat adds around a sandbox result, kept apart from the handlers that send it.

- One refusal per burst: a student who fires ten commands past the rate limit reads one
  "retry in N s", not ten. The end of the quiet window lives in the student's PTB ``user_data``
  (the bot runtime's per-user state), never in a global.
- Tips for outputs that suggest what a chat cannot do (``hello-world`` ends with
  ``docker run -it …``, which the sandbox refuses).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from moussaillon.core.i18n import t

QUIET_UNTIL = "sandbox.quiet_until"  # user_data key: monotonic time the burst's refusal covers

_INTERACTIVE_HINTS = ("docker run -it", "docker run -ti")


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
