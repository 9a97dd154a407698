"""The class benchmark's bookkeeping: a daemon error must never be counted as a success."""

import pytest

from bench.class_lab import (
    LAB,
    NOT_RUN,
    OK,
    Tally,
    first_line,
    judge,
    limited_by_design,
    parse_sizes,
    subnet_sizes,
)
from bench.engine_probe import loopback_engine, owner_range

STEPS = {step.kind: step for step in LAB}
POOL_ERROR = (
    "Error response from daemon: could not find an available, non-overlapping IPv4 address "
    "pool among the defaults to assign to the network"
)


def test_judge_needs_the_exit_code_and_the_output_the_lab_expects():
    run = STEPS["run echo"]
    assert judge(run, "ran", 0, "hi\n") == OK
    assert judge(run, "ran", 0, "") == "wrong output"
    assert judge(run, "ran", 125, "docker: Error response from daemon: …") == "exit 125"
    assert judge(run, "rate_limited", None, "") == "rate_limited"
    assert judge(STEPS["network create 1"], "ran", 1, POOL_ERROR) == "exit 1"
    assert judge(STEPS["network create 1"], "ran", 0, "a" * 64 + "\n") == OK
    assert judge(STEPS["ps"], "ran", 0, "CONTAINER ID   IMAGE   NAMES\n") == "wrong output"


def test_tally_counts_failures_by_kind_and_what_never_ran():
    tally = Tally(expected=5)
    tally.add(STEPS["run echo"], OK, 900.0)
    tally.add(STEPS["network create 1"], "exit 1", 10.0, POOL_ERROR)
    tally.add(STEPS["network create 2"], "exit 1", 12.0, POOL_ERROR)
    assert tally.successes == 1 and tally.answered == 3
    assert tally.failures() == {"exit 1": 2, NOT_RUN: 2}
    (text, count), *_ = tally.examples("exit 1")
    assert count == 1 and "address pool" in text
    row = tally.rows(LAB[:2])
    assert (row[0].ok, row[0].ok_p50) == (1, 900.0)
    assert row[1].ok == 0 and row[1].ok_p50 != row[1].ok_p50  # no success: NaN, not 10 ms


def test_first_line_masks_ids_and_is_bounded():
    assert first_line("\n  No such container: 0123456789ab\nmore") == "No such container: <id>"
    assert len(first_line("x" * 1000)) == 160


def test_rate_limit_by_design():
    # the sandbox's defaults: 10/min, burst 5; the lab's 8 commands
    assert not limited_by_design(8, 3.0, 10, 5)
    assert limited_by_design(8, 2.0, 10, 5)
    assert not limited_by_design(5, 0.0, 10, 5)
    assert limited_by_design(6, 0.0, 10, 5)


def test_subnet_sizes_and_class_sizes():
    networks = [
        {"IPAM": {"Config": [{"Subnet": "172.18.0.0/16"}]}},
        {"IPAM": {"Config": [{"Subnet": "192.168.16.0/20"}, {"Subnet": "fd00::/64"}]}},
        {"IPAM": {"Config": []}},
    ]
    assert subnet_sizes(networks) == {"/16": 1, "/20": 1}
    assert parse_sizes("60,200,500") == [60, 200, 500]
    for bad in ("", "0", "60,6000", ",".join(["1"] * 11)):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_only_this_machines_engine_and_only_the_runs_owners():
    assert loopback_engine(None) and loopback_engine("unix:///var/run/docker.sock")
    assert loopback_engine("tcp://127.0.0.1:2375") and loopback_engine("tcp://[::1]:2376")
    for far in ("tcp://engine:2376", "tcp://127.0.0.1.example.com:2375", "ssh://host"):
        assert not loopback_engine(far)
    mine = owner_range(7_000_100_000, 60)
    assert mine("u7000100000") and mine("u7000100059")
    assert not any(map(mine, ("u7000100060", "u42", "ux", None, "7000100001")))
