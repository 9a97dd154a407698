"""Every lab's sandbox commands, typed into the real sandbox, make that step's check pass.

This is what keeps the lab files honest: a step that promises to be doable on the phone must be
doable with the commands of its correction, and its check must recognise the result.
"""

from __future__ import annotations

from pathlib import Path

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.labs.checks import evaluate, required_files
from moussaillon.labs.loader import load_labs
from moussaillon.labs.model import IP_OF
from moussaillon.labs.snapshot import snapshot
from moussaillon.sandbox.service import SandboxService

# The build labs need a workspace holding their files: test_build_labs.py walks them.
LABS = [
    lab
    for lab in load_labs()
    if any(step.sandbox_commands for step in lab.steps) and not lab.starter
]
FAST = {
    "sandbox_timeout_s": 25,
    "sandbox_stop_s": 1,
    "sandbox_commands_per_minute": 6000,
    "sandbox_burst": 1000,
}
ADDRESS = "docker inspect -f '{{{{.NetworkSettings.IPAddress}}}}' {name}"


async def with_addresses(service: SandboxService, owner_id: int, line: str) -> str:
    """``{ip:web}`` becomes web's IP, read as the student reads it (the step's check then sees
    the ``curl``, the last command, not this ``inspect``)."""
    for name in set(IP_OF.findall(line)):
        found = await service.run_command(owner_id, ADDRESS.format(name=name), lang="en")
        assert found.exit_code == 0 and found.output.strip(), (line, found)
        line = line.replace(f"{{ip:{name}}}", found.output.strip())
    return line


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
async def test_sandbox_commands_pass_their_checks(
    lab,
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        **FAST,  # type: ignore[arg-type]
    )
    store = Store(tmp_path / "walk.db", migrations())
    service = SandboxService(settings, store, docker)
    owner_id = clean_user_id
    try:
        for number, step in enumerate(lab.steps, start=1):
            output = last = ""
            for line in step.sandbox_commands:
                line = await with_addresses(service, owner_id, line)
                result = await service.run_command(owner_id, line, lang="en")
                assert not result.refused, (lab.id, number, line, result)
                output, last = result.output, line
            if step.check is None:
                continue
            state = await snapshot(
                service,
                owner_id,
                last_output=output,
                last_command=last,
                files=required_files(step.check),
            )
            verdict = evaluate(step.check, state, "en")
            assert verdict.ok, (lab.id, number, verdict.missing, output, state)
    finally:
        await service.close()
        store.close()
