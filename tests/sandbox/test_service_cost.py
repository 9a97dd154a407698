"""What a command costs before it runs: always a token, engine work only once the checks pass.

The engine calls are counted on the wire: the service gets a real aiodocker client whose HTTP
session reports every request it sends to the real engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import aiohttp
import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service

pytestmark = pytest.mark.docker

SOCKET = "/var/run/docker.sock"


class Wire:
    def __init__(self) -> None:
        self.requests: list[str] = []

    async def on_request(self, session: object, context: object, params: object) -> None:
        self.requests.append(f"{params.method} {params.url.path}")  # type: ignore[attr-defined]


@pytest.fixture
async def wire() -> AsyncIterator[tuple[aiodocker.Docker, Wire]]:
    seen = Wire()
    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(seen.on_request)
    connector = aiohttp.UnixConnector(SOCKET)
    session = aiohttp.ClientSession(connector=connector, trace_configs=[trace])
    docker = aiodocker.Docker(url="unix://localhost", connector=connector, session=session)
    try:
        await docker.version()  # the API version is negotiated before anything is counted
        seen.requests.clear()
        yield docker, seen
    finally:
        await docker.close()
        await session.close()


def counted_service(
    docker: aiodocker.Docker, images: dict[str, str], path: Path, **limits: object
) -> SandboxService:
    service, _ = make_service(docker, images, path, **limits)
    return service


async def test_refusals_are_rate_limited_like_any_command(
    wire: tuple[aiodocker.Docker, Wire],
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    docker, _ = wire
    service = counted_service(
        docker, standin_images, tmp_path, sandbox_burst=3, sandbox_commands_per_minute=1
    )
    try:
        verdicts = [
            (await service.run_command(clean_user_id, "docker run --privileged alpine", "en"))
            for _ in range(5)
        ]
        assert [r.verdict for r in verdicts] == ["refused"] * 3 + ["rate_limited"] * 2
        assert verdicts[-1].retry_after and verdicts[-1].retry_after > 1
        # typos and help spend tokens too: a second student loops on them
        other = clean_user_id + 1
        lines = ["docker run --no-such-flag alpine", "rm -rf /", "docker help", "docker ps"]
        results = [await service.run_command(other, line, "en") for line in lines]
        assert [r.verdict for r in results] == ["refused", "refused", "ran", "rate_limited"]
    finally:
        await service.close()
        service.store.close()


async def test_a_refusal_does_no_engine_work(
    wire: tuple[aiodocker.Docker, Wire],
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    docker, seen = wire
    service = counted_service(docker, standin_images, tmp_path, sandbox_burst=50)
    uid = clean_user_id
    try:
        for line in [
            "docker run --privileged alpine",
            "docker run --privileged myapp:v1",  # off the allowlist: was looked up first
            "docker run --cap-add NET_ADMIN notallowed:2",
            "docker tag notallowed:2 mine:v1 --no-such-flag",
            "docker run -v /:/host alpine",
            "docker build --network host .",
            "docker build -t app:1 https://example.com/app.git",
            "docker run --no-such-flag alpine",
        ]:
            result = await service.run_command(uid, line, "en")
            assert result.refused or result.exit_code == 125, (
                line,
                result,
            )  # 125: docker's usage error
        assert seen.requests == []
        # passing every pure check, an image off the allowlist costs one lookup of the
        # student's own tag, then is refused
        off = await service.run_command(uid, "docker run --rm notallowed:2 true", "en")
        assert off.refused and "notallowed:2" in (off.reason or "")
        assert len(seen.requests) == 1
        assert seen.requests[0].endswith(f"/images/m-u{uid}/notallowed:2/json"), seen.requests
        ran = await service.run_command(uid, "docker ps", "en")
        assert ran.exit_code == 0 and len(seen.requests) > 1  # the counter sees real work
    finally:
        await service.close()
        service.store.close()
