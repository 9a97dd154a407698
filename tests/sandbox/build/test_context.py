"""The build context from a workspace: the folder chosen, .dockerignore applied, the Dockerfile
found (inside or outside the context), and a tar that is the same for the same files."""

from __future__ import annotations

import io
import tarfile

import pytest

from moussaillon.config import Settings
from moussaillon.sandbox.build.context import (
    OUTSIDE_DOCKERFILE,
    context_tar,
    locate_dockerfile,
    normalize_dir,
    select_context,
)
from moussaillon.sandbox.build.errors import ContextError, DockerfileError
from moussaillon.sandbox.build.inputs import read_build
from moussaillon.sandbox.parser import parse
from moussaillon.sandbox.requests import BuildRequest

WORKSPACE = {
    "Dockerfile": b"FROM alpine\nCOPY . /app\n",
    ".dockerignore": b"*.md\n!README.md\nsecret/\nDockerfile\n",
    "README.md": b"# app\n",
    "NOTES.md": b"private\n",
    "app.js": b"console.log(1)\n",
    "secret/key": b"x",
    "c/Dockerfile": b"FROM gcc AS build\n",
    "c/prime.c": b"int main(){}\n",
    "c/.dockerignore": b"*.o\n",
    "c/prime.o": b"\x7fELF",
    "docker/Dockerfile.prod": b"FROM alpine\n",
}


def test_the_root_context_applies_its_dockerignore_but_keeps_the_build_files() -> None:
    files = select_context(WORKSPACE)
    assert sorted(files) == [
        ".dockerignore",  # the engine drops it only when it names itself
        "README.md",  # no Dockerfile: ignored, so the build never sees it (as with Docker)
        "app.js",
        "c/.dockerignore",
        "c/Dockerfile",
        "c/prime.c",
        "c/prime.o",  # c/.dockerignore only counts when c is the context
        "docker/Dockerfile.prod",
    ]


def test_a_subfolder_is_a_context_of_its_own() -> None:
    files = select_context(WORKSPACE, "./c/")
    assert files == {
        "Dockerfile": b"FROM gcc AS build\n",
        "prime.c": b"int main(){}\n",
        ".dockerignore": b"*.o\n",
    }


def test_an_ignored_dockerfile_is_still_built_but_never_copied() -> None:
    workspace = {"Dockerfile.dev": b"FROM alpine\n", ".dockerignore": b"Dockerfile*\n", "a": b""}
    assert sorted(select_context(workspace)) == [".dockerignore", "a"]
    assert locate_dockerfile(workspace, ".", "Dockerfile.dev") == (
        OUTSIDE_DOCKERFILE,
        b"FROM alpine\n",
    )


@pytest.mark.parametrize(
    ("workspace", "folder", "key"),
    [
        ({}, ".", "empty"),
        (WORKSPACE, "nope", "missing"),
        (WORKSPACE, "app.js", "not_dir"),
        (WORKSPACE, "../etc", "invalid"),
        (WORKSPACE, "/etc", "invalid"),
        (WORKSPACE, "c/../..", "invalid"),
    ],
)
def test_unknown_or_empty_contexts_are_refused(
    workspace: dict[str, bytes], folder: str, key: str
) -> None:
    with pytest.raises(ContextError) as caught:
        select_context(workspace, folder)
    assert caught.value.key == f"sandbox.build.context.{key}"
    assert caught.value.message("fr") != caught.value.message("en")


@pytest.mark.parametrize(
    ("context", "file", "path"),
    [
        (".", None, "Dockerfile"),
        ("c", None, "c/Dockerfile"),
        ("./c/", None, "c/Dockerfile"),
        (".", "docker/Dockerfile.prod", "docker/Dockerfile.prod"),
        ("c", "c/Dockerfile", "c/Dockerfile"),  # -f is relative to the workspace root
        ("c", "docker/Dockerfile.prod", "docker/Dockerfile.prod"),  # outside the context
        ("c", "./Dockerfile", "Dockerfile"),
    ],
)
def test_the_dockerfile_is_found_from_the_workspace_root(
    context: str, file: str | None, path: str
) -> None:
    found, data = locate_dockerfile(WORKSPACE, context, file)
    assert found == OUTSIDE_DOCKERFILE  # the rendered one always travels apart
    assert data == WORKSPACE[path]


@pytest.mark.parametrize(
    ("context", "file", "key"),
    [
        ("docker", None, "dockerfile_missing"),
        (".", "Dockerfile.nope", "dockerfile_missing"),
        ("c", "prime.c", "dockerfile_missing"),  # relative to the root, not to the context
        (".", "../Dockerfile", "invalid"),
        (".", "/Dockerfile", "invalid"),
    ],
)
def test_a_missing_dockerfile_says_where_it_looked(
    context: str, file: str | None, key: str
) -> None:
    with pytest.raises(ContextError) as caught:
        locate_dockerfile(WORKSPACE, context, file)
    assert caught.value.key == f"sandbox.build.context.{key}"


@pytest.mark.parametrize(("typed", "clean"), [(".", "."), ("./", "."), ("", "."), ("a/b/", "a/b")])
def test_normalize_dir(typed: str, clean: str) -> None:
    assert normalize_dir(typed) == clean


def _members(data: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return tar.getmembers()


def test_the_tar_is_deterministic_and_carries_the_rendered_dockerfile() -> None:
    files = select_context(WORKSPACE, "c")
    one = context_tar(files, dockerfile_name="Dockerfile", dockerfile_text="FROM engine/gcc\n")
    two = context_tar(
        dict(reversed(list(files.items()))),
        dockerfile_name="Dockerfile",
        dockerfile_text="FROM engine/gcc\n",
    )
    assert one == two
    with tarfile.open(fileobj=io.BytesIO(one)) as tar:
        dockerfile = tar.extractfile("Dockerfile")
        assert dockerfile is not None and dockerfile.read() == b"FROM engine/gcc\n"
    for member in _members(one):
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (
            0,
            0,
            0,
            "",
            "",
        )
        assert member.mode == (0o755 if member.isdir() else 0o644)
    other = context_tar(files, dockerfile_name="Dockerfile", dockerfile_text="FROM other\n")
    assert other != one


def test_the_tar_holds_folders_before_their_files_and_the_outside_dockerfile() -> None:
    files = select_context(WORKSPACE)
    data = context_tar(files, dockerfile_name=OUTSIDE_DOCKERFILE, dockerfile_text="FROM x\n")
    names = [(m.name, m.isdir()) for m in _members(data)]
    folders = [name for name, is_dir in names if is_dir]
    assert folders == ["c", "docker"]
    assert (OUTSIDE_DOCKERFILE, False) in names
    assert ("Dockerfile", False) not in names  # ignored by the student's .dockerignore
    ignore = {m.name: m for m in _members(data)}[".dockerignore"]
    with tarfile.open(fileobj=io.BytesIO(data)) as opened:
        handle = opened.extractfile(ignore)
        assert handle is not None
        # The student's patterns, then the rendered Dockerfile, which the engine then drops.
        assert handle.read() == WORKSPACE[".dockerignore"] + OUTSIDE_DOCKERFILE.encode() + b"\n"
    positions = {name: i for i, (name, _) in enumerate(names)}
    assert positions["c"] < positions["c/prime.c"]


def _request(line: str) -> BuildRequest:
    request = parse(line)
    assert isinstance(request, BuildRequest)
    return request


def test_read_build_checks_the_context_then_the_dockerfile_with_the_settings() -> None:
    settings = Settings(_env_file=None, build_max_instructions=3)  # type: ignore[call-arg]
    inputs = read_build(WORKSPACE, _request("docker build -t prime c"), settings)
    assert inputs.plan.bases() == ["gcc"]
    assert inputs.dockerfile_name == OUTSIDE_DOCKERFILE
    assert sorted(inputs.files) == [".dockerignore", "Dockerfile", "prime.c"]
    tar = inputs.tar(lambda ref: "engine/" + ref)
    with tarfile.open(fileobj=io.BytesIO(tar)) as opened:
        rendered = opened.extractfile(OUTSIDE_DOCKERFILE)
        assert rendered is not None and rendered.read() == b"FROM engine/gcc AS build\n"
        own = opened.extractfile("Dockerfile")  # what a COPY . . copies: the student's words
        assert own is not None and own.read() == b"FROM gcc AS build\n"
    outside = read_build(WORKSPACE, _request("docker build -f docker/Dockerfile.prod c"), settings)
    assert outside.dockerfile_name == OUTSIDE_DOCKERFILE
    with pytest.raises(ContextError, match="missing"):
        read_build(WORKSPACE, _request("docker build nope"), settings)
    too_long = {"Dockerfile": b"FROM alpine\nRUN a\nRUN b\nRUN c\n"}
    with pytest.raises(DockerfileError, match="too_many_instructions"):
        read_build(too_long, _request("docker build ."), settings)
    with pytest.raises(DockerfileError, match="target"):
        read_build(WORKSPACE, _request("docker build --target nope c"), settings)
