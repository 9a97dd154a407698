"""Stand-in for compose-file's errors: one refusal type carrying the student's message."""

from moussaillon.sandbox.errors import SandboxRefused


class ComposeError(SandboxRefused):
    """The compose file cannot be used as written; the message names the key."""

    def __init__(self, reason: str) -> None:
        super().__init__("sandbox.compose_run.standin_error", reason=reason)
