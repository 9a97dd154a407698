"""Counts, numbers and times as a French (or English) reader expects them."""

from datetime import UTC, datetime

from moussaillon.core.clock import local
from moussaillon.core.i18n import number, ordinal, percent, plural, t_count


def test_french_takes_the_singular_below_two_english_only_for_one():
    assert [plural(n, "section", "sections") for n in (0, 1, 1.5, 2, 158)] == [
        "section",
        "section",
        "section",
        "sections",
        "sections",
    ]
    assert [plural(n, "section", "sections", "en") for n in (0, 1, 2)] == [
        "sections",
        "section",
        "sections",
    ]


def test_a_count_picks_the_catalogues_one_or_other_text():
    assert t_count("tg.reset_done", 1, "fr", count=1) == "🧹 Bac à sable vidé : 1 objet supprimé."
    assert t_count("tg.reset_done", 0, "fr", count=0) == "🧹 Bac à sable vidé : 0 objet supprimé."
    assert t_count("tg.reset_done", 3, "fr", count=3).endswith("3 objets supprimés.")
    assert t_count("tg.reset_done", 0, "en", count=0).endswith("0 objects removed.")


def test_numbers_use_the_decimal_comma_and_a_narrow_space_for_thousands_in_french():
    assert number(1.0, "fr", 1) == "1,0"
    assert number(12345, "fr") == "12\u202f345"
    assert number(1234567.25, "fr", 2) == "1\u202f234\u202f567,25"
    assert number(12345.5, "en", 1) == "12,345.5"


def test_percent_has_a_no_break_space_in_french():
    assert percent(3, 4, "fr") == "75\u00a0%"
    assert percent(3, 4, "en") == "75%"
    assert percent(0, 0, "fr") == "0\u00a0%"


def test_ordinals_say_1er_not_1e():
    assert [ordinal(n, "fr") for n in (1, 2, 10)] == ["1er", "2e", "10e"]
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "112th",
    ]


def test_times_are_shown_on_the_courses_clock():
    winter = datetime(2026, 1, 15, 13, 5, tzinfo=UTC)
    assert local(winter, "Europe/Paris").strftime("%H:%M") == "14:05"
    assert local("2026-07-01T13:05:00+00:00", "Europe/Paris").strftime("%H:%M") == "15:05"
    assert local("2026-07-01T13:05:00Z", "America/Montreal").strftime("%H:%M") == "09:05"
    assert local(datetime(2026, 7, 1, 13, 5), "Europe/Paris").hour == 15  # naive is UTC
