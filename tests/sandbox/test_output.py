"""Docker's own formats, checked against what the docker CLI prints for the same values."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.executor.common import demux
from moussaillon.sandbox.output import (
    bytes_size,
    ellipsis,
    human_duration,
    human_size,
    keep_tail,
    quoted_command,
    table,
)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.4, "Less than a second"),
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "About a minute"),
        (119, "About a minute"),
        (120, "2 minutes"),
        (59 * 60, "59 minutes"),
        (3600, "About an hour"),
        (5 * 3600, "5 hours"),
        (47 * 3600, "47 hours"),
        (3 * 86400, "3 days"),
        (15 * 86400, "2 weeks"),
        (90 * 86400, "3 months"),
        (800 * 86400, "2 years"),
    ],
)
def test_human_duration_matches_go_units(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected


def test_sizes_use_docker_units() -> None:
    assert human_size(7_050_000) == "7.05MB"
    assert human_size(1_234) == "1.23kB"
    assert human_size(100) == "100B"
    assert bytes_size(128 * 1024 * 1024) == "128MiB"
    assert bytes_size(1536 * 1024) == "1.5MiB"


def test_command_column_is_quoted_and_cut_at_20() -> None:
    assert ellipsis("short", 20) == "short"
    assert quoted_command("nginx -g 'daemon off;'") == '"nginx -g \'daemon of…"'
    assert quoted_command('echo "hi"') == '"echo \\"hi\\""'


def test_table_pads_like_tabwriter() -> None:
    text = table(["CONTAINER ID", "NAMES"], [["0123456789ab", "web"], ["ba9876543210", "db"]])
    assert text.splitlines() == [
        "CONTAINER ID   NAMES",
        "0123456789ab   web",
        "ba9876543210   db",
    ]
    # minimum column width is 10 even for short cells
    assert table(["A", "B"], [["x", "y"]]).splitlines()[1] == "x         y"


def test_keep_tail_keeps_the_end_from_a_line_start() -> None:
    data = b"".join(f"line {i}\n".encode() for i in range(1000))
    tail, cut = keep_tail(data, 100)
    assert cut and len(tail) <= 100
    assert tail.endswith(b"line 999\n") and tail.startswith(b"line ")
    assert keep_tail(b"short", 100) == (b"short", False)


def test_demux_joins_both_streams_in_order() -> None:
    frame = lambda kind, data: bytes([kind, 0, 0, 0]) + len(data).to_bytes(4, "big") + data  # noqa: E731
    raw = frame(1, b"out\n") + frame(2, b"err\n") + frame(1, b"again\n")
    assert demux(raw) == b"out\nerr\nagain\n"
