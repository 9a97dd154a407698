"""Fixtures of the REST tests that drive a real browser."""

from __future__ import annotations

import shutil

import pytest

from tests.handlers.rest.browser import CHROMIUM_INSTALL
from tests.optional import missing


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """Debian's headless Chromium; when absent, a skip (a failure under CI) saying how to add it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        missing("Chromium is not installed (the browser tests need it)", CHROMIUM_INSTALL)
    return found
