"""``moussaillon quiz check`` as an author runs it, on the bundled bank."""

import subprocess
import sys


def test_quiz_check_passes_on_the_bundled_bank():
    run = subprocess.run(
        [sys.executable, "-m", "moussaillon", "quiz", "check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "147 questions, no problem" in run.stdout
    assert "docker:" in run.stdout
