"""Images and system commands on the real engine: only allowlisted images and own tags."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiodocker
import pytest

from moussaillon.config import Settings
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import make_service, ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker


async def test_create_docker_reaches_the_engine() -> None:
    docker = create_docker(Settings())
    try:
        version = await docker.version()
        assert version["ApiVersion"]
    finally:
        await docker.close()
    assert docker.connector.closed


async def test_images_pull_and_history(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    images = await ok(service, uid, "docker images")
    lines = images.output.splitlines()
    assert lines[0].split() == ["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"]
    repos = {line.split()[0] for line in lines[1:]}
    assert {"alpine", "nginx", "alpine/curl"} <= repos and "throwaway" not in repos
    pulled = await ok(service, uid, "docker pull alpine")
    assert pulled.output.splitlines() == [
        "Using default tag: latest",
        "latest: Pulling from library/alpine",
        "Status: Image is up to date for alpine:latest",
        "docker.io/library/alpine:latest",
    ]
    other = await ok(service, uid, "docker pull containous/whoami:latest")
    assert other.output.splitlines()[0] == "latest: Pulling from containous/whoami"
    history = await ok(service, uid, "docker history alpine")
    assert history.output.splitlines()[0].split()[:3] == ["IMAGE", "CREATED", "CREATED"]
    inspected = json.loads((await ok(service, uid, "docker image inspect nginx")).output)[0]
    assert "nginx:latest" in inspected["RepoTags"] and inspected["GraphDriver"]["Data"] is None
    refused = await service.run_command(uid, "docker pull ubuntu", "en")
    assert refused.refused and "alpine" in (refused.reason or "")
    missing = await service.run_command(uid, "docker run --rm ubuntu true", "en")
    assert missing.refused


async def test_own_tags(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    try:
        await ok(service, uid, "docker tag alpine myapp:v1")
        assert await docker._query_json(f"images/m-u{uid}/myapp:v1/json")
        listed = await ok(service, uid, "docker images myapp")
        assert re.match(r"myapp\s+v1\s+[0-9a-f]{12}", listed.output.splitlines()[1])
        ran = await ok(service, uid, "docker run --rm myapp:v1 echo from my tag")
        assert ran.output.strip() == "from my tag"
        other = await ok(service, uid + 1, "docker images --format '{{.Repository}}'")
        assert "myapp" not in other.output.split()
        course = await service.run_command(uid, "docker rmi alpine", "en")
        assert course.exit_code == 1 and "own tags" in course.output
        assert (await ok(service, uid, "docker rmi myapp:v1")).output == "Untagged: myapp:v1"
    finally:
        await service.reset(uid)
    images = await docker._query_json("images/json")
    assert not any(t.startswith(f"m-u{uid}/") for i in images for t in i.get("RepoTags") or [])


async def test_version_info_and_system_prune(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    version = await ok(service, uid, "docker version")
    assert "Server:\n Engine:" in version.output and "API version" in version.output
    short = await ok(service, uid, "docker version --format '{{.Server.Version}}'")
    assert re.match(r"\d+\.\d+", short.output)
    await ok(service, uid, "docker run --name gone alpine true")
    await ok(service, uid, "docker network create spare")
    info = await ok(service, uid, "docker info")
    assert " Containers: 1" in info.output and "Stopped: 1" in info.output
    assert "Docker Root Dir" not in info.output and "/var/lib/docker" not in info.output
    assert "Total Memory: 64MiB" in info.output
    pruned = await ok(service, uid, "docker system prune -f")
    assert "Deleted Containers:" in pruned.output and "spare" in pruned.output
    assert (await ok(service, uid, "docker ps -aq")).output == ""


async def test_quotas(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    uid = clean_user_id
    service, store = make_service(
        docker,
        standin_images,
        tmp_path,
        sandbox_max_containers=2,
        sandbox_max_networks=1,
        sandbox_max_volumes=1,
    )
    try:
        for i in range(2):
            await ok(service, uid, f"docker run --name c{i} alpine true")
        over = await service.run_command(uid, "docker run --name extra alpine true", "en")
        assert over.refused and "2" in (over.reason or "")
        await ok(service, uid, "docker network create n0")
        assert (await service.run_command(uid, "docker network create more", "en")).refused
        await ok(service, uid, "docker volume create v0")
        assert (await service.run_command(uid, "docker volume create more", "en")).refused
        auto = await service.run_command(uid, "docker run -v more:/x alpine true", "en")
        assert auto.refused
        status = await service.status(uid, "en")
        assert (status.containers, status.networks, status.volumes) == (2, 1, 1)
        await ok(service, uid, "docker rm c0")
        await ok(service, uid, "docker run --rm alpine true")
    finally:
        await service.close()
        store.close()


async def test_allowlisted_but_absent_image_reads_like_docker(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, clean_user_id: int
) -> None:
    images = {**standin_images, "ghost": "moussaillon-absent-image:latest"}
    service, store = make_service(docker, images, tmp_path)
    try:
        result = await service.run_command(clean_user_id, "docker run --rm ghost", "en")
        assert result.exit_code == 125 and not result.refused
        assert result.output.startswith("Unable to find image 'ghost:latest' locally\ndocker: ")
        pulled = await service.run_command(clean_user_id, "docker pull ghost", "en")
        assert pulled.exit_code == 1 and "not available" in pulled.output
    finally:
        await service.close()
        store.close()
