"""Compose through the endpoint: Debian's ``docker-compose`` 1.29 (docker-py) against the real
engine, its project in the student's scope, service names resolving between its containers,
and nothing left once it is down.

The Compose v2 plugin (``docker compose``) is not in Debian's archive and cannot be installed
offline here; v1 talks the same Engine API with docker-py, so it is the client these tests run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.config import Settings
from tests.optional import missing
from tests.sandbox.conftest import debian_images, docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import CLI_TIMEOUT_S, Endpoint, open_endpoint

PROJECT = """\
version: "3.8"
services:
  web:
    image: nginx
    ports:
      - "8080:80"
    volumes:
      - data:/data
    depends_on:
      - db
  db:
    image: alpine
    command: ["sleep", "600"]
    volumes:
      - data:/var/lib/db
volumes:
  data:
"""

# The LAMP lab's services without its build (the lab's own file has a top-level ``name:`` and a
# ``build:``, which Compose v1 does not read, and builds are the images area's): its images.
LAMP = """\
version: "3.8"
services:
  db:
    image: mariadb:11
    environment:
      MARIADB_DATABASE: carnet
      MARIADB_USER: carnet
      MARIADB_PASSWORD: s3cr3t
      MARIADB_RANDOM_ROOT_PASSWORD: "yes"
    volumes:
      - donnees:/var/lib/mysql
  web:
    image: php:8.2-apache
    ports:
      - "8080:80"
    depends_on:
      - db
volumes:
  donnees:
"""
# MariaDB needs the real limits (its redo log alone outgrows the fast tests' 16 MB tmpfs).
REAL_LIMITS = {
    name: Settings.model_fields[name].default
    for name in ("sandbox_memory_mb", "sandbox_tmpfs_mb", "sandbox_cpus", "sandbox_pids")
}


async def compose(
    endpoint: Endpoint, certs: Path, project: Path, *args: str, api: str | None = None
) -> tuple[int, str, str]:
    """``docker-compose -p <folder name> …`` in ``project``, on the endpoint, in a fresh
    environment: requests would take ``REQUESTS_CA_BUNDLE`` over the student's CA."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(endpoint.tmp),
        "DOCKER_HOST": f"tcp://127.0.0.1:{endpoint.server.port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
    }
    if api is not None:
        env["COMPOSE_API_VERSION"] = api
    proc = await asyncio.create_subprocess_exec(
        "docker-compose",
        "--no-ansi",
        "-p",
        project.name,
        *args,
        cwd=project,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(CLI_TIMEOUT_S):
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
async def long_endpoint(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
) -> AsyncIterator[Endpoint]:
    """Services run longer than the other tests' 6 s run limit."""
    if shutil.which("docker-compose") is None:
        missing("docker-compose (Compose v1)", "sudo apt-get install docker-compose")
    async with open_endpoint(docker, standin_images, tmp_path, sandbox_timeout_s=120) as opened:
        yield opened


async def test_up_ps_logs_down_in_the_students_scope(
    long_endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
    tmp_path: Path,
) -> None:
    endpoint = long_endpoint
    alice, bob = make_user_id(), make_user_id()
    project = tmp_path / "shop"
    project.mkdir()
    (project / "docker-compose.yml").write_text(PROJECT)
    certs, bob_certs = await endpoint.student(alice), await endpoint.student(bob)

    code, _, err = await compose(endpoint, certs, project, "up", "-d")
    assert code == 0, err
    assert 'Creating network "shop_default"' in err and "Creating shop_web_1" in err
    code, out, err = await compose(endpoint, certs, project, "ps", api="1.38")
    assert code == 0, err  # an older client's API is served
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert set(rows) == {"shop_db_1", "shop_web_1"}
    assert "Up" in rows["shop_web_1"] and "0.0.0.0:8080->80/tcp" in rows["shop_web_1"]
    chat = await endpoint.service.run_command(alice, "docker ps --format {{.Names}}")
    assert sorted(chat.output.split()) == ["shop_db_1", "shop_web_1"]  # the chat's own objects

    fetch = "nslookup db >/dev/null && wget -qO- http://web"  # service names, as compose gives
    code, out, err = await endpoint.cli(
        certs, "run", "--rm", "--network", "shop_default", "alpine", "sh", "-c", fetch
    )
    assert code == 0 and "<html" in out.lower(), out + err
    # httpd writes its access line after the answer: under load it reaches the log a moment later
    for _ in range(20):
        code, out, err = await compose(endpoint, certs, project, "logs", "--no-color", "web")
        if code != 0 or "url:/" in out:
            break
        await asyncio.sleep(0.5)
    assert code == 0 and "web_1  | " in out and "url:/" in out, out + err

    code, _, err = await compose(endpoint, certs, project, "up", "-d")  # again: nothing to do
    assert code == 0 and "shop_web_1 is up-to-date" in err, err

    code, out, err = await compose(endpoint, bob_certs, project, "ps")  # another student
    assert code == 0 and "shop_" not in out, out + err
    code, _, err = await compose(endpoint, bob_certs, project, "down", "-v")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "ps", "-q")
    assert code == 0 and len(out.split()) == 2, err  # alice's project untouched

    code, _, err = await compose(endpoint, certs, project, "down", "-v")
    assert code == 0, err
    assert "Removing network shop_default" in err and "Removing volume shop_data" in err
    code, out, err = await endpoint.cli(certs, "ps", "-a", "-q")
    assert (code, out) == (0, ""), err
    code, out, err = await endpoint.cli(certs, "network", "ls", "--format", "{{.Name}}")
    assert (code, out) == (0, "bridge\nhost\nnone\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q")
    assert (code, out) == (0, ""), err
    keepers = await endpoint.service.engine.get(
        "containers/json",
        params={"all": "1", "filters": endpoint.service.context(alice).scope.filters()},
    )
    assert keepers == []  # the volume's keeper went with it


async def test_down_keeps_volumes_without_v(
    long_endpoint: Endpoint, clean_user_id: int, tmp_path: Path
) -> None:
    endpoint = long_endpoint
    project = tmp_path / "shop"
    project.mkdir()
    (project / "docker-compose.yml").write_text(PROJECT)
    certs = await endpoint.student(clean_user_id)
    code, _, err = await compose(endpoint, certs, project, "up", "-d", "db")
    assert code == 0, err
    code, _, err = await compose(endpoint, certs, project, "down")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "--format", "{{.Name}} {{.Labels}}")
    assert code == 0 and out.startswith("shop_data "), err
    assert "com.docker.compose.project=shop" in out and "moussaillon." not in out
    code, out, err = await endpoint.cli(
        certs, "volume", "ls", "-q", "--filter", "label=com.docker.compose.project=shop"
    )
    assert (code, out) == (0, "shop_data\n"), err
    code, _, err = await compose(endpoint, certs, project, "down", "-v")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q")
    assert (code, out) == (0, ""), err


async def test_api_versions_down_to_1_24_are_served(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    for version in ("1.24", "1.38"):
        answer = await endpoint.raw(
            f"GET /v{version}/networks HTTP/1.1\r\nHost: x\r\n\r\n".encode(), certs
        )
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
    old = await endpoint.raw(b"GET /v1.23/networks HTTP/1.1\r\nHost: x\r\n\r\n", certs)
    assert old.startswith(b"HTTP/1.1 400 ") and b"Minimum supported API version is 1.24" in old


@pytest.fixture
async def lamp_endpoint(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    debian_images: dict[str, str],  # noqa: F811 (fixture)
    tmp_path: Path,
) -> AsyncIterator[Endpoint]:
    if shutil.which("docker-compose") is None:
        missing("docker-compose (Compose v1)", "sudo apt-get install docker-compose")
    images = {**standin_images, **debian_images}
    async with open_endpoint(
        docker, images, tmp_path, sandbox_timeout_s=120, **REAL_LIMITS
    ) as opened:
        yield opened


async def test_the_lamp_labs_images_run_as_a_project(
    lamp_endpoint: Endpoint, clean_user_id: int, tmp_path: Path
) -> None:
    endpoint = lamp_endpoint
    project = tmp_path / "lamp"
    project.mkdir()
    (project / "docker-compose.yml").write_text(LAMP)
    certs = await endpoint.student(clean_user_id)
    code, _, err = await compose(endpoint, certs, project, "up", "-d")
    assert code == 0, err
    query = ("mariadb", "-h", "db", "-ucarnet", "-ps3cr3t", "carnet", "-e", "SELECT 40+2")
    for _ in range(30):  # the server takes a few seconds to accept connections
        code, out, err = await endpoint.cli(
            certs, "run", "--rm", "--network", "lamp_default", "mariadb:11", *query
        )
        if code == 0:
            break
        await asyncio.sleep(2)
    assert code == 0 and "42" in out, out + err
    code, out, err = await endpoint.cli(
        certs, "run", "--rm", "--network", "lamp_default", "alpine", "wget", "-qO-", "http://web/"
    )
    assert code == 0 and "<html>" in out, out + err  # Apache's page, reached by service name
    code, out, err = await compose(endpoint, certs, project, "ps")
    assert code == 0 and out.count(" Up ") == 2, out + err
    code, _, err = await compose(endpoint, certs, project, "down", "-v")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "ps", "-a", "-q")
    assert (code, out) == (0, ""), err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q")
    assert (code, out) == (0, ""), err


TWO_NETWORKS = """\
version: "3.8"
services:
  api:
    image: alpine
    command: ["sleep", "600"]
    networks:
      front: {}
      back:
        aliases: [backend-api]
  db:
    image: alpine
    command: ["sleep", "600"]
    networks: [back]
networks:
  front:
  back:
    internal: true
"""


async def test_a_service_on_two_networks_has_its_aliases_on_each(
    long_endpoint: Endpoint, clean_user_id: int, tmp_path: Path
) -> None:
    endpoint = long_endpoint
    project = tmp_path / "multi"
    project.mkdir()
    (project / "docker-compose.yml").write_text(TWO_NETWORKS)
    certs = await endpoint.student(clean_user_id)
    code, _, err = await compose(endpoint, certs, project, "up", "-d")
    assert code == 0, err
    lookups = (("multi_back", "api backend-api db"), ("multi_front", "api"))
    for network, names in lookups:
        script = " && ".join(f"nslookup {name} >/dev/null" for name in names.split())
        code, out, err = await endpoint.cli(
            certs, "run", "--rm", "--network", network, "alpine", "sh", "-c", script
        )
        assert code == 0, (network, out + err)
    code, out, err = await endpoint.cli(
        certs,
        "network",
        "ls",
        "--filter",
        "label=com.docker.compose.project=multi",
        "--format",
        "{{.Name}} {{.Internal}}",
    )
    assert (code, sorted(out.splitlines())) == (0, ["multi_back true", "multi_front false"]), err
    code, _, err = await compose(endpoint, certs, project, "up", "-d")  # nothing to recreate
    assert code == 0 and "multi_api_1 is up-to-date" in err, err
    code, _, err = await compose(endpoint, certs, project, "down")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "network", "ls", "--format", "{{.Name}}")
    assert (code, out) == (0, "bridge\nhost\nnone\n"), err
