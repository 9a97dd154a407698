"""The types hold: mypy passes with pyproject's settings, strict on the core and the sandbox."""

import subprocess
import sys
from pathlib import Path

import pytest
from mypy.main import define_options, process_options
from mypy.options import Options

ROOT = Path(__file__).resolve().parent.parent
STRICT = ("moussaillon.core.store", "moussaillon.sandbox.parser.values")
DEFAULT = ("moussaillon.quiz.bank", "moussaillon.handlers.telegram.context")


def test_mypy_finds_nothing() -> None:
    mypy = Path(sys.executable).parent / "mypy"
    done = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout


def _options(monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bool], Options]:
    monkeypatch.chdir(ROOT)
    _, _, strict_flags = define_options()
    _, options = process_options(["--config-file", str(ROOT / "pyproject.toml")])
    return dict(strict_flags), options


def test_core_and_sandbox_get_every_flag_of_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyproject lists the flags ``--strict`` means (``strict`` cannot be set per module): a mypy
    that adds one fails here instead of quietly checking less."""
    strict, options = _options(monkeypatch)
    for module in STRICT:
        effective = options.clone_for_module(module)
        missing = {flag for flag, value in strict.items() if getattr(effective, flag) != value}
        assert not missing, f"{module} is not checked with {sorted(missing)}"


def test_the_rest_is_not_made_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """``strict = true`` in an override would switch the global flags on for every module."""
    _, options = _options(monkeypatch)
    for module in DEFAULT:
        effective = options.clone_for_module(module)
        assert not effective.disallow_untyped_defs, module
        assert not effective.warn_return_any, module
