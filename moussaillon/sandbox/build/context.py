"""Stand-in for df's build context selection and tar (df's real version replaces it)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping

from moussaillon.sandbox.build.dockerignore import DockerIgnore
from moussaillon.sandbox.errors import SandboxRefused


class ContextError(SandboxRefused):
    pass


def select_context(workspace: Mapping[str, bytes], context_dir: str = ".") -> dict[str, bytes]:
    base = context_dir.strip("/")
    base = "" if base in ("", ".") else base + "/"
    files = {p.removeprefix(base): d for p, d in workspace.items() if p.startswith(base)}
    if not files:
        raise ContextError("sandbox.build.standin.no_context", context=context_dir)
    ignore = DockerIgnore.parse(files.get(".dockerignore", b"").decode("utf-8", "replace"))
    return {
        p: d
        for p, d in files.items()
        if p in ("Dockerfile", ".dockerignore") or not ignore.excludes(p)
    }


def context_tar(files: Mapping[str, bytes], *, dockerfile_name: str, dockerfile_text: str) -> bytes:
    buffer = io.BytesIO()
    entries = {**files, dockerfile_name: dockerfile_text.encode()}
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        dirs: set[str] = set()
        for path in sorted(entries):
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                folder = "/".join(parts[:i])
                if folder not in dirs:
                    dirs.add(folder)
                    info = tarfile.TarInfo(folder)
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
            data = entries[path]
            info = tarfile.TarInfo(path)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


OUTSIDE_DOCKERFILE = ".moussaillon.Dockerfile"


def locate_dockerfile(
    workspace: Mapping[str, bytes], context_dir: str = ".", file: str | None = None
) -> tuple[str, bytes]:
    folder = context_dir.strip("/").removeprefix("./") or "."
    path = (file or (f"{folder}/Dockerfile" if folder != "." else "Dockerfile")).removeprefix("./")
    data = workspace.get(path)
    if data is None:
        raise ContextError("sandbox.build.standin.no_dockerfile", path=path)
    if folder == ".":
        return path, data
    if path.startswith(folder + "/"):
        return path[len(folder) + 1 :], data
    return OUTSIDE_DOCKERFILE, data
