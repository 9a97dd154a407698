"""``moussaillon sandbox run`` in a real subprocess against the real engine: its exit codes.

A script must tell the command's own failure from the sandbox's answer: the command's code
passes through; a time-out is 124 (as ``timeout``), a refusal 77, a syntax error 125 (as
docker), an unreachable engine 69.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker

ROOT = Path(__file__).resolve().parents[2]


def sandbox_run(
    user_id: int,
    *words: str,
    db: Path,
    images: dict[str, str],
    **env: str,
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "MOUSSAILLON_DB_PATH": str(db),
        "MOUSSAILLON_SANDBOX_IMAGES": ",".join(f"{k}={v}" for k, v in images.items()),
        "MOUSSAILLON_SANDBOX_TIMEOUT_S": "2",
        **env,
    }
    command = [sys.executable, "-m", "moussaillon", "sandbox", "run", "--user", str(user_id)]
    return subprocess.run(
        [*command, "--lang", "en", "--", *words],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=90,
    )


def test_exit_codes_of_sandbox_run(
    standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    def run(*words: str, **env: str) -> subprocess.CompletedProcess[str]:
        return sandbox_run(
            clean_user_id, *words, db=tmp_path / "m.db", images=standin_images, **env
        )

    own = run("docker", "run", "--rm", "--network", "none", "alpine", "sh", "-c", "exit 2")
    assert own.returncode == 2, own
    fine = run("docker", "run", "--rm", "--network", "none", "alpine", "echo", "hi")
    assert (fine.returncode, fine.stdout) == (0, "hi\n"), fine
    refused = run("docker", "run", "--privileged", "alpine")
    assert refused.returncode == 77 and "--privileged" in refused.stderr, refused
    syntax = run("docker", "run", "--no-such-flag", "alpine")
    assert syntax.returncode == 125, syntax
    context = run("docker", "build", "-t", "app", "../elsewhere")  # a build-context refusal
    assert context.returncode == 77 and "../elsewhere" in context.stderr, context
    slow = run("docker", "run", "--rm", "--network", "none", "alpine", "sleep", "60")
    assert slow.returncode == 124 and "2 s" in slow.stderr, slow
    away = run("docker", "ps", MOUSSAILLON_DOCKER_HOST=f"unix://{tmp_path}/no-engine.sock")
    assert away.returncode == 69, away
