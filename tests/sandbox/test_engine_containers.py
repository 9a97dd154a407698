"""Container commands end to end on the real engine, through the service."""

from __future__ import annotations

import asyncio
import re

import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker


async def test_foreground_run_prints_output_and_rm_removes(
    service: SandboxService, clean_user_id: int
) -> None:
    result = await ok(service, clean_user_id, "docker run --rm alpine echo hello sandbox")
    assert result.output.strip() == "hello sandbox"
    assert result.verdict == "ran"
    listing = await ok(service, clean_user_id, "docker ps -a -q")
    assert listing.output == ""


async def test_exit_code_and_kept_container_without_rm(
    service: SandboxService, clean_user_id: int
) -> None:
    result = await service.run_command(
        clean_user_id, "docker run --name three alpine sh -c 'exit 3'"
    )
    assert result.exit_code == 3 and not result.refused
    listing = await ok(service, clean_user_id, "docker ps -a")
    header, row = listing.output.splitlines()
    assert header.split() == [
        "CONTAINER",
        "ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ]
    assert re.match(r"^[0-9a-f]{12}   alpine ", row)
    assert "\"sh -c 'exit 3'\"" in row
    assert re.search(r"Exited \(3\) .*ago", row) and row.endswith("three")
    assert "m-u" not in listing.output


async def test_detached_run_lifecycle(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    started = await ok(service, uid, "docker run -d --name web -p 8080:80 nginx")
    assert re.fullmatch(r"[0-9a-f]{64}", started.output)
    ip = (await ok(service, uid, "docker inspect -f '{{.NetworkSettings.IPAddress}}' web")).output
    ip = ip.strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", ip)
    assert any(f"alpine/curl http://{ip}:80" in note for note in started.notes), started.notes

    conflict = await service.run_command(uid, "docker run -d --name web nginx")
    assert conflict.exit_code == 125
    assert conflict.output.startswith(
        'docker: Error response from daemon: Conflict. The container name "/web" is already in use'
    )

    ps = await ok(service, uid, "docker ps")
    assert "0.0.0.0:8080->80/tcp" in ps.output and re.search(r"Up .*web$", ps.output)
    port = await ok(service, uid, "docker port web")
    assert port.output == "80/tcp -> 0.0.0.0:8080" and port.notes

    fetched = await ok(service, uid, f"docker run --rm alpine/curl -s http://{ip}")
    assert "Welcome to nginx" in fetched.output
    logs = await ok(service, uid, "docker logs --tail 1 web")
    assert len(logs.output.strip().splitlines()) == 1

    executed = await service.run_command(
        uid, "docker exec -e GREETING=salut -w /tmp web sh -c 'echo $GREETING $(pwd); exit 4'"
    )
    assert executed.exit_code == 4 and executed.output.strip() == "salut /tmp"

    top = await ok(service, uid, "docker top web")
    assert top.output.splitlines()[0].split()[:3] == ["UID", "PID", "PPID"]
    stats = await ok(service, uid, "docker stats --no-stream")
    assert "/ 64MiB" in stats.output and stats.output.splitlines()[1].split()[1] == "web"

    for line, state in (
        ("docker pause web", "Paused"),
        ("docker unpause web", "Up"),
        ("docker stop web", "Exited"),
        ("docker start web", "Up"),
        ("docker restart web", "Up"),
        ("docker kill web", "Exited"),
    ):
        done = await ok(service, uid, line)
        assert done.output == "web"
        status = await ok(service, uid, "docker ps -a --format '{{.Status}}'")
        assert state in status.output, (line, status.output)

    await ok(service, uid, "docker rename web site")
    names = await ok(service, uid, "docker ps -a --format '{{.Names}}'")
    assert names.output == "site"
    inspected = await ok(service, uid, "docker inspect -f '{{.Name}} {{.State.Status}}' site")
    assert inspected.output.strip() == "/site exited"
    removed = await ok(service, uid, "docker rm site")
    assert removed.output == "site"


async def test_unknown_container_reads_like_docker(
    service: SandboxService, clean_user_id: int
) -> None:
    result = await service.run_command(clean_user_id, "docker logs ghost")
    assert result.exit_code == 1 and not result.refused
    assert result.output == "Error response from daemon: No such container: ghost"
    unknown_image = await service.run_command(clean_user_id, "docker inspect ghost")
    assert unknown_image.exit_code == 1 and "No such object: ghost" in unknown_image.output


async def test_ps_filters_format_and_prune(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name up --label tier=web alpine sleep 30")
    await ok(service, uid, "docker run --name done alpine true")
    running = await ok(service, uid, "docker ps --format '{{.Names}}'")
    assert running.output == "up"
    exited = await ok(service, uid, "docker ps -a --filter status=exited --format '{{.Names}}'")
    assert exited.output == "done"
    labelled = await ok(service, uid, "docker ps -a -q --filter label=tier=web")
    assert re.fullmatch(r"[0-9a-f]{12}", labelled.output)
    latest = await ok(service, uid, "docker ps -l --format '{{.Names}}'")
    assert latest.output == "done"
    table = await ok(service, uid, "docker ps -a --format 'table {{.Names}}\t{{.Image}}'")
    lines = table.output.splitlines()
    assert lines[0].split() == ["NAMES", "IMAGE"] and len(lines) == 3
    waited = await ok(service, uid, "docker wait done")
    assert waited.output == "0"
    pruned = await ok(service, uid, "docker container prune -f")
    assert (
        pruned.output.startswith("Deleted Containers:") and "Total reclaimed space" in pruned.output
    )
    await ok(service, uid, "docker rm -f up")


async def test_detached_rm_and_log_flags(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --rm --name brief alpine sh -c 'echo bye; sleep 1'")
    await ok(service, uid, "docker run --name talker alpine sh -c 'echo one; echo two'")
    logs = await ok(service, uid, "docker logs -t -f talker")
    stamped = logs.output.strip().splitlines()
    assert len(stamped) == 2 and re.match(r"\d{4}-\d\d-\d\dT", stamped[0])
    assert stamped[1].endswith(" two") and logs.notes
    waited = await service.run_command(uid, "docker wait brief")
    assert waited.output in ("0", "Error response from daemon: No such container: brief")
    for _ in range(50):
        names = await ok(service, uid, "docker ps -a --format '{{.Names}}'")
        if names.output == "talker":
            break
        await asyncio.sleep(0.1)
    assert names.output == "talker"


async def test_dit_keeps_a_shell_alive_for_exec(
    service: SandboxService, clean_user_id: int
) -> None:
    await ok(service, clean_user_id, "docker run -dit --name shell alpine")
    await asyncio.sleep(0.5)
    alive = await ok(service, clean_user_id, "docker exec shell echo alive")
    assert alive.output.strip() == "alive"
    state = await ok(service, clean_user_id, "docker ps --format '{{.Names}} {{.State}}'")
    assert state.output == "shell running"
