"""The facade every transport calls: always a result, always journaled, limits applied."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiodocker
import pytest

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.i18n import t
from moussaillon.core.store import Store
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker


def journal(service: SandboxService, user_id: int) -> list[dict]:
    return service.store.read_sync(
        lambda db: list(
            db.query(
                "SELECT command, verb, verdict, exit_code, output_bytes FROM sandbox_commands "
                "WHERE user_id = ? ORDER BY id",
                [user_id],
            )
        )
    )


async def test_every_outcome_is_a_result_and_journaled(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    ran = await ok(service, uid, "docker run --rm alpine echo hi")
    refused = await service.run_command(uid, "docker run --privileged alpine true")
    syntax = await service.run_command(uid, "docker run --no-such-flag alpine")
    not_docker = await service.run_command(uid, "rm -rf /")
    daemon = await service.run_command(uid, "docker stop ghost")
    assert refused.refused and refused.reason and refused.exit_code is None
    # docker's own parser error answers as docker does; a line that is not docker is refused
    assert not syntax.refused and syntax.exit_code == 125 and not_docker.refused
    assert syntax.output.startswith("unknown flag: --no-such-flag")
    assert daemon.exit_code == 1 and not daemon.refused
    french = await service.run_command(uid, "docker run --privileged alpine true", lang="fr")
    english = await service.run_command(uid, "docker run --privileged alpine true", lang="en")
    assert french.reason != english.reason
    rows = journal(service, uid)
    assert [r["verdict"] for r in rows] == [
        "ran",
        "refused",
        "refused",
        "refused",
        "ran",
        "refused",
        "refused",
    ]
    assert rows[0] == {
        "command": "docker run --rm alpine echo hi",
        "verb": "container.run",
        "verdict": "ran",
        "exit_code": 0,
        "output_bytes": len(ran.output.encode()),
    }
    assert rows[4]["exit_code"] == 1
    assert ran.duration_ms >= 0


async def test_rate_limit_is_per_student(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    svc, store = make_service(
        docker, standin_images, tmp_path, sandbox_burst=2, sandbox_commands_per_minute=1
    )
    try:
        for _ in range(2):
            await ok(svc, clean_user_id, "docker ps")
        limited = await svc.run_command(clean_user_id, "docker ps", "en")
        assert limited.verdict == "rate_limited" and limited.refused
        assert limited.retry_after and limited.retry_after > 1
        other = await svc.run_command(clean_user_id + 1, "docker ps", "en")
        assert other.exit_code == 0
        status = await svc.status(clean_user_id, "en")
        assert status.commands_left == 0 and status.expires_at is not None
        assert journal(svc, clean_user_id)[-1]["verdict"] == "rate_limited"
    finally:
        await svc.close()
        store.close()


async def test_queue_reports_the_wait_and_commands_still_run(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    svc, store = make_service(docker, standin_images, tmp_path, sandbox_concurrency=1)
    positions: list[int] = []

    async def waiting(position: int) -> None:
        positions.append(position)

    try:
        slow = asyncio.create_task(
            svc.run_command(clean_user_id, "docker run --rm alpine sleep 1", "en")
        )
        await asyncio.sleep(0.2)
        quick = await svc.run_command(
            clean_user_id + 1, "docker run --rm alpine echo after", "en", on_wait=waiting
        )
        assert quick.output.strip() == "after" and positions
        assert (await slow).exit_code == 0
    finally:
        await svc.close()
        store.close()


async def test_status_and_reset(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web nginx")
    await ok(service, uid, "docker volume create data")
    await ok(service, uid, "docker network create lab")
    status = await service.status(uid, "en")
    assert status.names == ["web"] and status.running == 1
    assert (status.containers, status.volumes, status.networks) == (1, 1, 1)
    assert status.max_containers == service.settings.sandbox_max_containers
    removed = await service.reset(uid)
    assert removed >= 4  # web, the volume's keeper, data, lab (+ the default network)
    after = await service.status(uid, "en")
    assert (after.containers, after.volumes, after.networks) == (0, 0, 0)
    assert (await ok(service, uid, "docker ps -aq")).output == ""


async def test_concurrent_first_commands_share_one_default_network(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    lines = ["docker run --rm alpine true"] * 3 + ["docker run --rm -v data:/d alpine true"] * 2
    results = await asyncio.gather(*(service.run_command(clean_user_id, line) for line in lines))
    assert [r.exit_code for r in results] == [0] * 5, results
    networks = await docker._query_json("networks")
    assert [n["Name"] for n in networks].count(f"m-u{clean_user_id}-bridge") == 1
    status = await service.status(clean_user_id)
    assert status.volumes == 1


async def test_an_unreachable_engine_is_a_clear_refusal(tmp_path: Path) -> None:
    settings = Settings(docker_host=f"unix://{tmp_path}/no-such.sock")
    docker = create_docker(settings)
    store = Store(tmp_path / "moussaillon.db", migrations())
    svc = SandboxService(settings, store, docker)
    try:
        result = await svc.run_command(7, "docker ps", "en")
        assert result.refused and result.verdict == "error"
        assert result.reason == t("sandbox.engine.unavailable", "en")
        refused = await svc.run_command(7, "docker run --privileged alpine", "en")
        assert refused.verdict == "refused"
    finally:
        await svc.close()
        store.close()
        await docker.close()
