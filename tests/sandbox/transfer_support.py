"""A sandbox service with a real workspace beside it, for the cp and commit engine tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.sandbox.service import CommandResult, SandboxService
from moussaillon.workspace.service import WorkspaceService
from tests.sandbox.engine_support import FAST


@dataclass
class Bench:
    service: SandboxService
    workspace: WorkspaceService
    store: Store

    async def run(self, user_id: int, line: str) -> CommandResult:
        return await self.service.run_command(user_id, line, lang="en")

    async def ok(self, user_id: int, line: str) -> CommandResult:
        result = await self.run(user_id, line)
        assert result.exit_code == 0 and not result.refused, (line, result)
        return result


@pytest.fixture(name="bench")
async def bench_fixture(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[Bench]:
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        **{**FAST, "sandbox_max_images": 2},  # type: ignore[arg-type]
    )
    store = Store(tmp_path / "moussaillon.db", migrations())
    workspace = WorkspaceService(settings, store)
    service = SandboxService(settings, store, docker, files=workspace)
    try:
        yield Bench(service, workspace, store)
    finally:
        await service.close()
        store.close()
