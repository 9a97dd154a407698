"""A refusal of the terminal endpoint, worded as the engine words its own."""

from __future__ import annotations


class ApiError(Exception):
    """A refusal as the engine words it: an HTTP status and ``{"message": …}``."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def daemon_status(text: str) -> int:
    lowered = text.lower()
    if "no such" in lowered or "not found" in lowered:
        return 404
    if "conflict" in lowered or "already in use" in lowered:
        return 409
    return 400
