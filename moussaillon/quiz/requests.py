"""What a quiz command asks for, read from its words: a chapter (or the mix), a live game's bounds.

Bounds are checked here, before anything is created: a live game has 1 to ``MAX_QUESTIONS``
questions of ``SECONDS_RANGE`` seconds each, so no command can start a game that never ends or
one whose questions close before anyone can read them. Any word out of place means "show the
usage", never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

MIX = "mix"
MIX_WORDS = frozenset({"mix", "melange", "mélange", "tout", "all"})

DEFAULT_QUESTIONS = 10
MAX_QUESTIONS = 50
SECONDS_RANGE = (2, 600)


class LiveRequest(BaseModel):
    """A live game as an instructor asked for it, within bounds."""

    model_config = ConfigDict(frozen=True)

    chapter: str | None
    """None for the mix of every chapter."""
    count: int = Field(ge=1, le=MAX_QUESTIONS)
    seconds: int = Field(ge=SECONDS_RANGE[0], le=SECONDS_RANGE[1])


def parse_live(
    args: Sequence[str], chapters: Sequence[str], default_seconds: int
) -> LiveRequest | None:
    """``<chapter|mix> [questions] [seconds]``, or None when the usage is wrong."""
    if not args:
        return None
    word = args[0].casefold()
    if word not in chapters and word not in MIX_WORDS:
        return None
    try:
        count = int(args[1]) if len(args) > 1 else DEFAULT_QUESTIONS
        seconds = int(args[2]) if len(args) > 2 else default_seconds
        return LiveRequest(
            chapter=None if word in MIX_WORDS else word, count=count, seconds=seconds
        )
    except ValueError:  # not a number, or out of bounds (pydantic's ValidationError)
        return None
