from __future__ import annotations

from pathlib import Path

import pytest

from moussaillon.content.deck import load_course
from moussaillon.content.model import Course

FIXTURES = Path(__file__).parent / "fixtures"


def line_of(path: Path, needle: str, occurrence: int = 1, exact: bool = False) -> int:
    """1-based line of the n-th line containing ``needle``, so tests name lines by content."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if (line == needle) if exact else (needle in line):
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found in {path}")


@pytest.fixture(scope="session")
def french_course() -> Course:
    return load_course(FIXTURES / "course").course
