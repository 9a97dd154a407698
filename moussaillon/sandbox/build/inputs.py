"""Stand-in for df's read_build (same names and signature); df's real version replaces it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from moussaillon.config import Settings
from moussaillon.sandbox.build.context import context_tar, locate_dockerfile, select_context
from moussaillon.sandbox.build.dockerfile import DockerfilePlan, check_dockerfile
from moussaillon.sandbox.requests import BuildRequest

__all__ = ["BuildInputs", "read_build"]


@dataclass(frozen=True)
class BuildInputs:
    plan: DockerfilePlan
    files: dict[str, bytes]
    dockerfile_name: str

    def tar(self, engine_ref: Callable[[str], str]) -> bytes:
        return context_tar(
            self.files,
            dockerfile_name=self.dockerfile_name,
            dockerfile_text=self.plan.render(engine_ref),
        )


def read_build(
    workspace: Mapping[str, bytes], request: BuildRequest, settings: Settings
) -> BuildInputs:
    files = select_context(workspace, request.context)
    name, data = locate_dockerfile(workspace, request.context, request.file)
    plan = check_dockerfile(data, build_args=request.build_args, target=request.target)
    return BuildInputs(plan=plan, files=files, dockerfile_name=name)
