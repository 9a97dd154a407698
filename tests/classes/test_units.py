"""Pure parts of classes: when-parsing, pacing windows, the permissions table, progress helpers."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from moussaillon.classes.pacing import BroadcastLimits, Pacer, Window
from moussaillon.classes.progress import bar
from moussaillon.classes.releases import parse_when
from moussaillon.classes.roles import PERMISSIONS, Role, allowed, required_role
from moussaillon.core.errors import BadInput

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # 23:00 in Paris, the eve of summer time


def test_parse_when_now_time_of_day_and_full_date():
    assert parse_when("", PARIS, NOW) == NOW
    assert parse_when("maintenant", PARIS, NOW) == NOW
    assert parse_when("23:30", PARIS, NOW) == datetime(2026, 3, 28, 22, 30, tzinfo=UTC)
    # 09:00 already passed today: tomorrow, after the switch to summer time (UTC+2)
    assert parse_when("09h00", PARIS, NOW) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert parse_when("2026-12-24 18:00", PARIS, NOW) == datetime(2026, 12, 24, 17, tzinfo=UTC)
    for bad in ("25:00", "demain", "2026-02-30 10:00", "12:5"):
        with pytest.raises(BadInput):
            parse_when(bad, PARIS, NOW)


def test_window_allows_limit_then_says_how_long_to_wait():
    window = Window(3, 1.0)
    for t in (0.0, 0.1, 0.2):
        assert window.wait(t) == 0
        window.add(t)
    assert window.wait(0.5) == pytest.approx(0.5)
    assert window.wait(1.01) == 0


def test_pacer_groups_have_a_per_minute_window_and_429_pauses():
    pacer = Pacer(BroadcastLimits(per_second=100, group_per_minute=2, margin=0))
    pacer.record(-5, now=0.0)
    assert pacer.chat_wait(-5, now=0.5) == pytest.approx(0.5)  # 1 per second per chat
    pacer.record(-5, now=1.0)
    assert pacer.chat_wait(-5, now=2.0) == pytest.approx(58.0)  # 2 per minute per group
    assert pacer.chat_wait(42, now=2.0) == 0
    pacer.pause(42, 3)
    assert pacer.global_wait() > 2.5


def test_permissions_table_drives_every_decision():
    assert required_role("cours") == Role.STUDENT  # unlisted: open to all
    assert allowed("progres", Role.STUDENT) and allowed("corriger", Role.INSTRUCTOR)
    assert not allowed("corriger", Role.STUDENT) and not allowed("classes.list", Role.STUDENT)
    assert {n for n, r in PERMISSIONS.items() if r == Role.STUDENT} >= {"rejoindre", "quitter"}


def test_bar_rounds_to_its_width():
    assert bar(0, 12) == "░" * 10
    assert bar(6, 12) == "█" * 5 + "░" * 5
    assert bar(0, 0) == "░" * 10


def test_clean_name_drops_quotes_around_the_name_and_keeps_those_inside():
    from moussaillon.classes.service import clean_name

    assert clean_name('"BTS SIO 2') == "BTS SIO 2"
    assert clean_name("  « Licence   pro »  ") == "Licence pro"
    assert clean_name("“L'équipe d'Anne”") == "L'équipe d'Anne"
    for empty in ('""', "« »", "   "):
        with pytest.raises(BadInput):
            clean_name(empty)
