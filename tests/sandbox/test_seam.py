"""The sandbox's seams: one module on aiodocker's private API, no import cycles dodged inside
functions, and every command heard once by the observers the service was given."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox import CommandResult
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service

PACKAGE = Path(__file__).resolve().parents[2] / "moussaillon"
PRIVATE_CALL = re.compile(r"\._query_json|\._query\(")
# render_format's import belongs to the template engine's own rework (another branch).
LOCAL_IMPORTS_LEFT = {("executor/common.py", "render_format")}


def test_only_the_engine_module_calls_aiodockers_private_api() -> None:
    callers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if PRIVATE_CALL.search(path.read_text(encoding="utf-8"))
    )
    assert callers == ["sandbox/engine.py"]


def _local_imports(path: Path) -> list[tuple[str, int]]:
    """(function, line) of every import of a moussaillon module inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            names = []
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            if any(name.startswith("moussaillon") for name in names):
                found.append((node.name, inner.lineno))
    return found


def test_the_sandbox_imports_its_own_modules_at_the_top() -> None:
    sandbox = PACKAGE / "sandbox"
    local = [
        (str(path.relative_to(sandbox)), function, line)
        for path in sorted(sandbox.rglob("*.py"))
        for function, line in _local_imports(path)
        if (str(path.relative_to(sandbox)), function) not in LOCAL_IMPORTS_LEFT
    ]
    assert local == []


class Recorder:
    def __init__(self) -> None:
        self.heard: list[tuple[int, str, CommandResult]] = []

    def on_command(self, user_id: int, action: str, result: CommandResult) -> None:
        self.heard.append((user_id, action, result))


class Broken:
    def on_command(self, user_id: int, action: str, result: CommandResult) -> None:
        raise RuntimeError("an observer's own bug")


@pytest.mark.docker
async def test_observers_hear_every_command_once_and_never_its_arguments(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    recorder = Recorder()
    plain, store = make_service(
        docker, standin_images, tmp_path, sandbox_burst=4, sandbox_commands_per_minute=1
    )
    # the failing observer comes first: it must not silence the other
    service = SandboxService(plain.settings, store, docker, observers=[Broken(), recorder])
    lines = [
        "docker run --rm -e PASSWORD=s3cret alpine echo hi",
        "docker run --privileged alpine true",
        "docker run --no-such-flag alpine",
        "ls -la",
        "docker ps",
    ]
    try:
        results = [await service.run_command(clean_user_id, line, "en") for line in lines]
    finally:
        await service.close()
        store.close()
    assert [r.verdict for r in results] == ["ran", "refused", "refused", "refused", "rate_limited"]
    assert results[0].output == "hi\n"
    assert [(user, action) for user, action, _ in recorder.heard] == [
        (clean_user_id, "docker run"),
        (clean_user_id, "docker run"),
        (clean_user_id, "docker run"),
        (clean_user_id, "other"),
        (clean_user_id, "docker ps"),
    ]
    assert all(heard is given for (_, _, heard), given in zip(recorder.heard, results, strict=True))
    assert "s3cret" not in repr(recorder.heard)
