"""``--filter name=`` patterns: docker's semantics (exact, or a Go regexp found in the name),
in linear time, bounded and checked before anything is matched."""

from __future__ import annotations

import time

import pytest

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.executor.common import MAX_FILTER_PATTERN, name_matcher
from moussaillon.sandbox.requests import Filter


def matcher(*patterns: str, key: str = "name"):  # type: ignore[no-untyped-def]
    return name_matcher([Filter(key=key, value=p) for p in patterns], key)


@pytest.mark.parametrize(
    ("patterns", "name", "matches"),
    [
        ((), "anything", True),
        (("web",), "web", True),
        (("web",), "my-web-1", True),  # a search, not a full match, like Go's MatchString
        (("^web$",), "my-web", False),
        (("^web", "db$"), "my-db", True),  # any pattern may match
        (("w.b",), "wab", True),
        (("(?i)WEB",), "web", True),
        (("[[:digit:]]+$",), "web12", True),
        (("web",), "db", False),
    ],
)
def test_patterns_follow_docker(patterns: tuple[str, ...], name: str, matches: bool) -> None:
    assert matcher(*patterns)(name) is matches


def test_catastrophic_patterns_run_in_linear_time() -> None:
    long_name = "a" * 100_000 + "!"
    started = time.monotonic()
    expected = {"(a+)+$": False, "(a*)*b": False, "^(a|aa)+$": False, "(.*a){20}!": True}
    assert {p: matcher(p)(long_name) for p in expected} == expected
    assert time.monotonic() - started < 1.0


def test_filters_of_other_keys_are_left_alone() -> None:
    assert name_matcher([Filter(key="label", value="(")], "name")("web")


@pytest.mark.parametrize("pattern", ["(web", "[x", "a**", "x{2000}{2000}", "\\"])
def test_an_invalid_pattern_is_a_clear_error(pattern: str) -> None:
    with pytest.raises(CommandSyntaxError) as caught:
        matcher(pattern)
    assert caught.value.key == "sandbox.filter.bad_pattern"
    english, french = caught.value.message("en"), caught.value.message("fr")
    assert pattern in english and "not a valid regular expression" in english
    assert "expression régulière" in french


def test_a_long_pattern_is_refused_before_it_is_compiled() -> None:
    assert matcher("a" * MAX_FILTER_PATTERN)("a" * MAX_FILTER_PATTERN)
    with pytest.raises(CommandSyntaxError) as caught:
        matcher("(" * (MAX_FILTER_PATTERN + 1), key="id")
    assert caught.value.key == "sandbox.filter.pattern_too_long"
    assert f"at most {MAX_FILTER_PATTERN}" in caught.value.message("en")
    assert "id=" in caught.value.message("fr")
