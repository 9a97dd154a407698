"""A missing optional part skips with its command on a developer's machine, fails under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
from tests.optional import missing

def test_needs_a_part():
    missing("the frobnicator is not installed", "sudo apt-get install frobnicator")
"""


@pytest.mark.parametrize(("ci", "verdict"), [("", "1 skipped"), ("true", "1 failed")])
def test_missing_part_skips_with_its_command_and_fails_under_ci(tmp_path, ci, verdict):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsf", "-p", "no:cacheprovider", str(probe)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verdict in run.stdout, run.stdout[-2000:]
    assert "to run these tests: sudo apt-get install frobnicator" in run.stdout
