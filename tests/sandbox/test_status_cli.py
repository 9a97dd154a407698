"""``moussaillon sandbox status`` as an operator runs it, on an engine other databases share."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.core.store import Store
from moussaillon.sandbox import labels, sessions
from tests.sandbox.conftest import sandbox_labels

pytestmark = pytest.mark.docker


async def test_status_counts_this_databases_students_only_in_good_english(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    clean_user_id: int,
    make_user_id,
    tmp_path: Path,
):
    ours, theirs = labels.owner_key(clean_user_id), labels.owner_key(make_user_id())
    store = Store(tmp_path / "moussaillon.db", migrations())
    try:
        await sessions.touch(store, clean_user_id)
    finally:
        store.close()
    for owner in (ours, theirs):  # theirs: another deployment's student on the same engine
        await docker.volumes.create({"Name": f"{owner}-status", "Labels": sandbox_labels(owner)})

    env = {k: v for k, v in os.environ.items() if not k.startswith("MOUSSAILLON_")}
    env["MOUSSAILLON_DB_PATH"] = str(tmp_path / "moussaillon.db")
    env["MOUSSAILLON_SANDBOX_IMAGES"] = ",".join(f"{k}={v}" for k, v in standin_images.items())
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "moussaillon", "sandbox", "status"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "0 containers, 0 networks, 1 volume of 1 student", run.stdout
    assert lines[1] == f"  {ours}: 1 object"
    assert theirs not in run.stdout
    assert any(line.startswith("not this database's") for line in lines), run.stdout
    assert lines[-1] == "images: all present"
