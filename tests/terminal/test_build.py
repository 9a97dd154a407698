"""``docker build`` from the student's own CLI: the classic builder through the chat's build.

The real CLI sends its folder as a tar to ``POST /build``; the endpoint reads it under the
build context's bound, the chat's checks and executor build it, and the CLI prints its usual
output in the student's names. Raw TLS clients check the body cap (a huge ``Content-Length``,
an endless chunked stream) and BuildKit's ``/session``.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.core.i18n import t
from moussaillon.sandbox.build import records
from moussaillon.sandbox.build.cgroups import ROOT, remove_caps
from moussaillon.sandbox.build.tar_context import ContextLimits
from moussaillon.workspace.limits import Limits
from tests.sandbox.build.support import CGROUP_PARENT
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint, open_endpoint

SMALL = """FROM alpine
RUN echo built > /built.txt
CMD ["cat", "/built.txt"]
"""


@pytest.fixture
async def builder(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
) -> AsyncIterator[Endpoint]:
    async with open_endpoint(
        docker, standin_images, tmp_path, build_cgroup_parent=CGROUP_PARENT, build_timeout_s=60
    ) as opened:
        try:
            yield opened
        finally:
            store = opened.service.store
            for owner in await records.owners(store):
                await records.purge_images(opened.service.engine, store, owner)
            remove_caps(ROOT, "1", CGROUP_PARENT, opened.service.settings.build_concurrency)


def folder(tmp: Path, name: str, files: dict[str, str]) -> Path:
    root = tmp / name
    root.mkdir()
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


async def cli_in(
    endpoint: Endpoint, certs: Path, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """The CLI run in ``cwd`` (a build's ``.``), with ``env`` added."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(endpoint.tmp),
        "DOCKER_CONFIG": str(endpoint.tmp / "docker-config"),
        "DOCKER_HOST": f"tcp://127.0.0.1:{endpoint.server.port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
        **(env or {}),
    }
    (endpoint.tmp / "docker-config").mkdir(exist_ok=True)
    proc = await asyncio.create_subprocess_exec(
        "docker",
        *args,
        cwd=cwd,
        env=base,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(180):
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


CLASSIC = {"DOCKER_BUILDKIT": "0"}


async def test_a_small_build_prints_like_the_cli_and_runs(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    root = folder(builder.tmp, "app", {"Dockerfile": SMALL})
    code, out, err = await cli_in(builder, certs, root, "build", "-t", "app", ".", env=CLASSIC)
    assert code == 0, (out, err)
    assert "Step 1/3 : FROM alpine\n" in out
    assert "Step 3/3 : CMD" in out
    assert "Successfully tagged app:latest" in out
    assert "m-u" not in out + err and "moussaillon" not in out + err
    code, out, err = await builder.cli(certs, "run", "--rm", "app")
    assert (code, out) == (0, "built\n"), err
    code, out, err = await builder.cli(certs, "images", "--format", "{{.Repository}}:{{.Tag}}")
    assert code == 0 and "app:latest" in out.split(), err
    journal = builder.service.store.read_sync(
        lambda db: [
            r["command"] for r in db["sandbox_commands"].rows_where("user_id = ?", [clean_user_id])
        ]
    )
    assert "api build" in journal


async def test_a_refused_dockerfile_prints_the_chats_reason(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    dockerfile = "FROM alpine\nRUN --mount=type=cache,target=/c echo hi\n"
    root = folder(builder.tmp, "mount", {"Dockerfile": dockerfile})
    code, out, err = await cli_in(builder, certs, root, "build", "-t", "m", ".", env=CLASSIC)
    assert code == 1, (out, err)
    assert "Error response from daemon: " in err
    assert "--mount" in err


async def test_a_failing_step_ends_with_the_engines_error(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    root = folder(builder.tmp, "fails", {"Dockerfile": "FROM alpine\nRUN exit 3\n"})
    code, out, err = await cli_in(builder, certs, root, "build", "-t", "f", ".", env=CLASSIC)
    assert code != 0, (out, err)
    assert "Step 2/2 : RUN exit 3" in out
    assert "returned a non-zero code: 3" in err
    assert "returned a non-zero code" not in out


async def test_refused_parameters_give_the_chats_reason(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    root = folder(builder.tmp, "net", {"Dockerfile": SMALL})
    code, _, err = await cli_in(
        builder, certs, root, "build", "--network", "host", "-t", "n", ".", env=CLASSIC
    )
    assert code == 1 and "Error response from daemon: " in err
    assert t("sandbox.build.policy.network", flag="--network") in err
    code, _, err = await cli_in(builder, certs, root, "build", "-m", "2g", ".", env=CLASSIC)
    assert code == 1 and t("sandbox.build.policy.limits", flag="--memory") in err


def test_the_context_cap_is_the_workspaces() -> None:
    from moussaillon.config import Settings

    settings = Settings()
    assert ContextLimits.from_settings(settings).max_archive == (
        Limits.from_settings(settings).max_archive
    )


async def _raw_open(
    endpoint: Endpoint, certs: Path
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    ctx = ssl.create_default_context(cafile=str(endpoint.certs.authority.ca_path))
    ctx.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    return await asyncio.open_connection(
        "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
    )


async def test_a_context_over_the_cap_is_refused_before_it_is_read(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    cap = builder.server.api.context_limits().max_archive
    started = time.monotonic()
    head = (
        "POST /v1.41/build?t=big HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-tar\r\nContent-Length: 1000000000\r\n\r\n"
    )
    answer = await builder.raw(head.encode(), certs)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 2
    # A chunked body: cut off once past the cap, while another request answers at once.
    reader, writer = await _raw_open(builder, certs)
    try:
        writer.write(
            b"POST /v1.41/build?t=big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"\0" * 65536
        sent = 0
        answered = b""
        cut_at = time.monotonic()
        while sent < 50 * cap and not answered:
            try:
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
            except (ConnectionError, ssl.SSLError):
                break
            sent += len(chunk)
            if sent > cap:
                code, _, err = await builder.cli(
                    certs, "version", "--format", "{{.Server.APIVersion}}"
                )
                assert code == 0, err
                try:
                    async with asyncio.timeout(0.2):
                        answered = await reader.read(65536)
                except TimeoutError:
                    pass
        if not answered:
            async with asyncio.timeout(5):
                answered = await reader.read(65536)
        assert answered.startswith(b"HTTP/1.1 413"), answered[:200]
        assert sent <= cap + 4 * len(chunk) + 1024 * 1024
        assert time.monotonic() - cut_at < 10
    finally:
        writer.close()


async def test_buildkit_is_refused_with_the_classic_hint(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    answer = await builder.raw(
        b"POST /v1.41/session HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", certs
    )
    assert answer.startswith(b"HTTP/1.1 400")
    assert "DOCKER_BUILDKIT=0 docker build" in answer.decode()
    answer = await builder.raw(
        b"POST /v1.41/build?version=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", certs
    )
    assert answer.startswith(b"HTTP/1.1 400") and b"DOCKER_BUILDKIT=0" in answer
