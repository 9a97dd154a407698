"""Parts a developer's machine may lack (gVisor, Chromium): their tests say how to add them.

On a developer's machine a missing part skips its tests with the one command that adds it; under
CI (``CI=true``, as ``.ci/run`` runs) it fails them, so a green CI run means every part ran.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(part: str, enable: str) -> NoReturn:
    """Skip (fail under CI) the test that needs ``part``; ``enable`` is the command adding it."""
    message = f"{part}; to run these tests: {enable}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: every part must run)", pytrace=False)
    pytest.skip(message)


def kernel_lacks(part: str) -> NoReturn:
    """Skip, under CI too, a test needing a kernel feature this machine's kernel was built
    without: no package adds it, so failing would only say which kernel CI got. ``-rs`` lists
    it, and the closing notes say what was then left untested."""
    pytest.skip(f"{part}: this machine's kernel lacks it (no package can add it)")
