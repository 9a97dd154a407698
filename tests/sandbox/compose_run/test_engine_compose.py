"""``docker compose`` on the real engine with the busybox stand-ins: names and labels as Compose
makes them, ``depends_on`` conditions, idempotent ``up``, ``down`` and the quotas, the project
in the student's scope like any ``docker run``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.reaper import list_stock
from moussaillon.sandbox.service import CommandResult, SandboxService
from tests.sandbox.build.support import Files, build_service

TWO = """\
name: duo
services:
  db:
    image: busybox
    command: ["sh", "-c", "mkdir -p /data && echo ready > /data/flag && sleep 600"]
    volumes:
      - data:/data
    healthcheck:
      test: ["CMD", "test", "-f", "/data/flag"]
      interval: 1s
      retries: 20
  web:
    image: busybox
    command: ["sleep", "600"]
    depends_on:
      db:
        condition: service_healthy
volumes:
  data:
"""


@pytest.fixture(name="compose")
async def compose_fixture(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[SandboxService, Files]]:
    svc, store, files = build_service(docker, standin_images, tmp_path, sandbox_timeout_s=20)
    try:
        yield svc, files
    finally:
        await svc.close()
        store.close()


async def run(svc: SandboxService, user_id: int, line: str) -> CommandResult:
    return await svc.run_command(user_id, line, lang="en")


async def test_up_ps_logs_exec_down_like_compose(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    files.put(clean_user_id, {"compose.yaml": TWO})
    up = await run(svc, clean_user_id, "docker compose up -d")
    assert up.exit_code == 0, up
    assert up.output.startswith("[+] Running 4/4"), up.output
    assert " ✔ Network duo_default" in up.output
    assert ' ✔ Volume "duo_data"' in up.output
    assert "Container duo-db-1   Healthy" in up.output
    assert "Container duo-web-1  Started" in up.output

    ps = await run(svc, clean_user_id, "docker compose ps")
    header = ps.output.splitlines()[0].split()
    assert header == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    assert "duo-db-1" in ps.output and "(healthy)" in ps.output
    docker_ps = await run(svc, clean_user_id, "docker ps --format '{{.Names}}'")
    assert sorted(docker_ps.output.split()) == ["duo-db-1", "duo-web-1"]

    again = await run(svc, clean_user_id, "docker compose up -d")
    assert again.exit_code == 0 and "Container duo-web-1  Running" in again.output, again

    resolved = await run(svc, clean_user_id, "docker compose exec web ping -c 1 db")
    assert "PING db (" in resolved.output, resolved  # the name resolves (no raw ICMP here)
    logs = await run(svc, clean_user_id, "docker compose exec db cat /data/flag")
    assert logs.output.strip() == "ready"

    labels = await run(
        svc,
        clean_user_id,
        "docker inspect -f '{{index .Config.Labels \"com.docker.compose.service\"}}' duo-web-1",
    )
    assert labels.output.strip() == "web"

    down = await run(svc, clean_user_id, "docker compose down")
    assert down.exit_code == 0, down
    lines = down.output.splitlines()
    assert lines[0] == "[+] Running 3/3"
    assert [line.split()[1] for line in lines[1:]] == ["Container", "Container", "Network"]
    assert (await run(svc, clean_user_id, "docker volume ls -q")).output.split() == ["duo_data"]
    nothing = await run(svc, clean_user_id, "docker compose down")
    assert nothing.exit_code == 0 and nothing.output == ""
    gone = await run(svc, clean_user_id, "docker compose down -v")
    assert gone.exit_code == 0 and 'Volume "duo_data"  Removed' in gone.output, gone
    assert (await run(svc, clean_user_id, "docker volume ls -q")).output == ""


async def test_a_project_over_the_quota_is_refused_before_anything_is_made(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    many = "services:\n" + "".join(
        f"  s{i}:\n    image: busybox\n    command: [sleep, '60']\n" for i in range(6)
    )
    files.put(clean_user_id, {"compose.yaml": many})
    refused = await run(svc, clean_user_id, "docker compose up -d")
    assert refused.refused and refused.reason, refused
    assert "6 more containers" in refused.reason and "Nothing was created" in refused.reason
    assert (await run(svc, clean_user_id, "docker ps -aq")).output == ""
    assert (await run(svc, clean_user_id, "docker network ls -q --filter name=app_")).output == ""


async def test_the_policy_sees_every_service(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    files.put(
        clean_user_id,
        {"compose.yaml": "services:\n  x:\n    image: nope:1\n  y:\n    image: busybox\n"},
    )
    refused = await run(svc, clean_user_id, "docker compose up -d")
    assert refused.refused and "nope:1" in (refused.reason or ""), refused
    assert (await run(svc, clean_user_id, "docker network ls -q --filter name=app_")).output == ""
    files.put(
        clean_user_id,
        {"compose.yaml": "services:\n  x:\n    image: busybox\n    volumes:\n      - /:/host\n"},
    )
    bind = await run(svc, clean_user_id, "docker compose up -d")
    assert bind.refused and "/" in (bind.reason or ""), bind


async def test_legacy_command_runs_with_a_note_and_run_rm(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    files.put(clean_user_id, {"compose.yaml": "services:\n  t:\n    image: busybox\n"})
    result = await run(svc, clean_user_id, "docker-compose run --rm t echo hello")
    assert result.exit_code == 0 and "hello" in result.output, result
    assert "docker-compose (v1) is retired" in result.notes[0]
    assert (await run(svc, clean_user_id, "docker ps -aq")).output == ""
    config = await run(svc, clean_user_id, "docker compose config")
    assert "services:" in config.output and "busybox" in config.output
    await run(svc, clean_user_id, "docker compose down")


async def test_compose_version_needs_no_project(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    files.put(clean_user_id, {})
    shown = await run(svc, clean_user_id, "docker compose version")
    assert shown.exit_code == 0 and shown.output.startswith("Docker Compose version v2."), shown
    short = await run(svc, clean_user_id, "docker compose version --short")
    assert short.output.strip() == shown.output.strip().removeprefix("Docker Compose version v")


async def test_reset_leaves_nothing_of_a_project(
    compose: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    svc, files = compose
    files.put(clean_user_id, {"compose.yaml": TWO})
    assert (await run(svc, clean_user_id, "docker compose up -d")).exit_code == 0
    owner = f"u{clean_user_id}"
    stock = await list_stock(Engine(docker), owner)
    assert len(stock.networks) == 1 and len(stock.volumes) == 1
    assert all(n["Labels"]["com.docker.compose.project"] == "duo" for n in stock.networks)
    assert await svc.reset(clean_user_id) >= 4
    left = await list_stock(Engine(docker), owner)
    assert not (left.containers or left.networks or left.volumes), left


CONDITIONS = """\
name: cond
services:
  init:
    image: busybox
    command: ["sh", "-c", "echo seeded"]
  sick:
    image: busybox
    command: ["sleep", "600"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 2
  app:
    image: busybox
    command: ["sh", "-c", "echo app up && sleep 600"]
    depends_on:
      init:
        condition: service_completed_successfully
"""


async def test_depends_on_conditions_and_logs(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    files.put(clean_user_id, {"compose.yaml": CONDITIONS})
    up = await run(svc, clean_user_id, "docker compose up -d app")
    assert up.exit_code == 0, up
    assert "Container cond-init-1  Exited" in up.output and "cond-app-1   Started" in up.output
    assert "cond-sick-1" not in up.output  # only app and what it depends on
    logs = await run(svc, clean_user_id, "docker compose logs")
    assert "app-1   | app up" in logs.output and "init-1  | seeded" in logs.output, logs
    waiting = (
        CONDITIONS
        + "  web:\n    image: busybox\n    depends_on:\n      sick:\n"
        + ("        condition: service_healthy\n")
    )
    files.put(clean_user_id, {"compose.yaml": waiting})
    failed = await run(svc, clean_user_id, "docker compose up -d web")
    assert failed.exit_code == 1
    assert "dependency failed to start: container cond-sick-1 is unhealthy" in failed.output
    assert " ✘ Container cond-sick-1" in failed.output
    files.put(
        clean_user_id,
        {"compose.yaml": "services:\n  r:\n    image: busybox\n    restart: always\n"},
    )
    refused = await run(svc, clean_user_id, "docker compose up -d")
    assert refused.refused and "always" in (refused.reason or ""), refused
    assert (await run(svc, clean_user_id, "docker compose -p cond down")).exit_code == 0


async def test_the_wait_for_a_healthy_dependency_is_heard_as_it_happens(
    compose: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    svc, files = compose
    files.put(clean_user_id, {"compose.yaml": TWO})
    heard: list[str] = []

    async def hear(chunk: str) -> None:
        heard.append(chunk)

    up = await svc.run_command(clean_user_id, "docker compose up -d", lang="en", on_output=hear)
    assert up.exit_code == 0, up
    assert heard == [" ⠿ Container duo-db-1  Waiting\n"]
    await run(svc, clean_user_id, "docker compose down -v")
