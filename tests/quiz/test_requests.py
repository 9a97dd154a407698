"""``/quiz_live``'s words into a bounded request: anything out of place shows the usage."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from moussaillon.quiz.requests import DEFAULT_QUESTIONS, LiveRequest, parse_live

CHAPTERS = ["docker", "images"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["docker"], ("docker", DEFAULT_QUESTIONS, 20)),
        (["Docker", "3", "15"], ("docker", 3, 15)),
        (["mélange", "50", "600"], (None, 50, 600)),
        (["all", "1", "2"], (None, 1, 2)),
    ],
)
def test_good_words_make_a_request(words, expected):
    request = parse_live(words, CHAPTERS, 20)
    assert (request.chapter, request.count, request.seconds) == expected


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["nowhere"],
        ["docker", "many"],
        ["docker", "0"],
        ["docker", "51"],
        ["docker", "5", "1"],
        ["docker", "5", "601"],
        ["docker", "5", "2.5"],
        ["docker", "9" * 5000],
    ],
)
def test_anything_else_is_the_usage(words):
    assert parse_live(words, CHAPTERS, 20) is None


def test_a_request_cannot_be_built_out_of_bounds():
    with pytest.raises(ValidationError):
        LiveRequest(chapter=None, count=51, seconds=20)
    with pytest.raises(ValidationError):
        LiveRequest(chapter=None, count=5, seconds=1)
