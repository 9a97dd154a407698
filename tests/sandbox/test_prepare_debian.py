"""The Debian-based offline images: real programs from Debian's packages, run by students
through the sandbox service under its forced limits (read-only root, 128 MB, 0.5 CPU, 64 pids)."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import subprocess
import sys
import tarfile
from collections.abc import AsyncIterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.config import Settings
from moussaillon.sandbox import labels
from moussaillon.sandbox.debian_images import BASE_REF, DEBIAN, IMAGES, DebianImage
from moussaillon.sandbox.debian_prepare import (
    DebianPrepareError,
    _context,
    plan,
    prepare_debian,
)
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.netguard import probe_image
from moussaillon.sandbox.prepare import Recipe, _import, rootfs
from moussaillon.sandbox.progress_board import ProgressBoard
from moussaillon.sandbox.service import CommandResult, SandboxService
from tests.sandbox.engine_support import make_service, ok

# The sandbox's own defaults, not the quick ones of engine_support.FAST: these servers must run
# within the limits students get.
LIMITS = {
    name: Settings.model_fields[name].default
    for name in ("sandbox_memory_mb", "sandbox_tmpfs_mb", "sandbox_cpus", "sandbox_pids")
}

PRIME_C = b"""#include <stdio.h>
int main(void) {
    int found = 0;
    for (int n = 2; found < 10; n++) {
        int prime = 1;
        for (int d = 2; d * d <= n; d++) if (n % d == 0) { prime = 0; break; }
        if (prime) printf("%d%s", n, ++found < 10 ? " " : "\\n");
    }
    return 0;
}
"""


def test_plan_maps_every_course_tag_to_one_recipe() -> None:
    base, layered = plan({"debian:12": "debian:12", "gcc": "gcc", "node:20": "node:20"})
    assert base.image is DEBIAN and base.refs == ("debian:12",)
    assert [(p.image.key, p.refs) for p in layered] == [
        ("gcc", ("gcc:latest",)),
        ("node", ("node:20",)),
    ]
    assert plan({"alpine": "alpine:latest"})[1] == []


def test_recipes_install_little_and_leave_no_lists() -> None:
    for image in IMAGES.values():
        text = image.dockerfile("rev")
        assert text.startswith(f"FROM {BASE_REF}\n")
        assert '"org.opencontainers.image.revision"="rev"' in text
        if image.packages:
            assert "--no-install-recommends" in text and "rm -rf /var/lib/apt/lists/*" in text


def test_revision_follows_the_recipe_and_the_base_not_the_tags() -> None:
    gcc = IMAGES["gcc"]
    retagged = DebianImage(**{**gcc.__dict__, "tags": ("cc",)})
    changed = DebianImage(**{**gcc.__dict__, "packages": (*gcc.packages, "gdb")})
    assert gcc.revision("b1") == retagged.revision("b1")
    assert gcc.revision("b1") != changed.revision("b1")
    assert gcc.revision("b1") != gcc.revision("b2")


def test_context_keeps_modes_and_the_dockerfile() -> None:
    mariadb = IMAGES["mariadb"]
    with tarfile.open(fileobj=io.BytesIO(_context(mariadb, "rev"))) as tar:
        entry = tar.getmember("rootfs/usr/local/bin/docker-entrypoint.sh")
        assert entry.mode == 0o755 and entry.uid == 0 and entry.mtime == 0
        assert tar.getmember("rootfs/usr/local/bin").isdir()
        dockerfile = tar.extractfile("Dockerfile").read().decode()  # type: ignore[union-attr]
    assert 'VOLUME ["/var/lib/mysql"]' in dockerfile and "ENTRYPOINT" in dockerfile


def test_progress_board_writes_one_line_per_change_off_a_terminal() -> None:
    out = io.StringIO()
    board = ProgressBoard(out)
    board("gcc:latest", 0.0, "building")
    board("gcc:latest", 0.5, "building")
    board("gcc:latest", None, "Unpacking gcc-12")
    board("gcc:latest", 1.0, "built (180 MB)")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("gcc:latest") and "[" + "-" * 24 + "]" in lines[0]
    assert "[" + "#" * 24 + "]" in lines[1] and lines[1].endswith("built (180 MB)")


@pytest.fixture
async def service(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    debian_images: dict[str, str],
    tmp_path: Path,
) -> AsyncIterator[SandboxService]:
    images = {**standin_images, **debian_images}
    svc, store = make_service(docker, images, tmp_path, sandbox_timeout_s=60, **LIMITS)
    try:
        yield svc
    finally:
        await svc.close()
        store.close()


async def until_ok(service: SandboxService, uid: int, line: str, tries: int = 60) -> CommandResult:
    """Retry while a server starts (mariadb takes a while on half a CPU)."""
    for _ in range(tries):
        result = await service.run_command(uid, line, lang="en")
        if result.exit_code == 0 and not result.refused:
            return result
        await asyncio.sleep(1)
    raise AssertionError((line, result))


@pytest.mark.docker
async def test_images_are_labelled_and_built_on_one_base(
    docker: aiodocker.Docker, debian_images: dict[str, str]
) -> None:
    base = await docker.images.inspect(BASE_REF)
    base_layer = base["RootFS"]["Layers"][0]
    for name, ref in debian_images.items():
        image = await docker.images.inspect(ref)
        found = image["Config"]["Labels"]
        assert found[labels.STANDIN] == "1" and found[labels.STANDIN_KIND] == "debian", name
        assert found["org.opencontainers.image.description"], name
        assert image["RootFS"]["Layers"][0] == base_layer, name
        if name.startswith("debian"):
            assert image["Id"] == base["Id"], name


@pytest.mark.docker
async def test_debian_is_debian_12(service: SandboxService, clean_user_id: int) -> None:
    out = await ok(service, clean_user_id, "docker run --rm debian:12-slim cat /etc/debian_version")
    assert out.output.startswith("12.")
    slim = "find /usr/share/doc /usr/share/man /usr/share/locale /var/lib/apt/lists -type f"
    listed = await ok(service, clean_user_id, f"docker run --rm debian:stable-slim {slim}")
    assert listed.output == ""


@pytest.mark.docker
async def test_gcc_compiles_and_runs_a_c_program(
    service: SandboxService, clean_user_id: int
) -> None:
    version = await ok(service, clean_user_id, "docker run --rm gcc gcc --version")
    assert version.output.startswith("gcc (Debian 12.")
    source = base64.b64encode(PRIME_C).decode()
    # /tmp is noexec in the sandbox: a program is run from the student's volume (or an image).
    script = f"echo {source} | base64 -d > prime.c && gcc -O2 -o prime prime.c && ./prime"
    line = f"docker run --rm -v work:/src -w /src gcc:12 sh -c '{script}'"
    ran = await ok(service, clean_user_id, line)
    assert ran.output.strip() == "2 3 5 7 11 13 17 19 23 29"
    make = await ok(service, clean_user_id, "docker run --rm gcc make --version")
    assert make.output.startswith("GNU Make 4.")


@pytest.mark.docker
async def test_node_runs_scripts_and_has_npm(service: SandboxService, clean_user_id: int) -> None:
    ran = await ok(service, clean_user_id, "docker run --rm node:20 -e 'console.log(6 * 7)'")
    assert ran.output.strip() == "42"
    npm = await ok(service, clean_user_id, "docker run --rm node:lts npm --version")
    assert npm.output.strip().split(".")[0].isdigit()
    user = await ok(service, clean_user_id, "docker run --rm node id node")
    assert user.output.startswith("uid=1000(node) gid=1000(node)")


@pytest.mark.docker
async def test_php_apache_serves_a_php_page_to_another_container(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    page = base64.b64encode(b'<?php echo "sum=", 6 * 7, " php=", PHP_VERSION, "\\n";').decode()
    await ok(service, uid, "docker network create lamp")
    await ok(service, uid, "docker volume create site")
    await ok(
        service,
        uid,
        f"docker run --rm -v site:/var/www/html debian:12 sh -c "
        f"'echo {page} | base64 -d > /var/www/html/index.php'",
    )
    await ok(
        service, uid, "docker run -d --name web --network lamp -v site:/var/www/html php:8.2-apache"
    )
    got = await until_ok(service, uid, "docker run --rm --network lamp alpine/curl -sf http://web/")
    assert got.output.startswith("sum=42 php=8.2."), got.output
    logs = await ok(service, uid, "docker logs web")
    assert "resuming normal operations" in logs.output and '"GET / HTTP/1.1" 200' in logs.output
    modules = await ok(service, uid, "docker run --rm php:apache php -m")
    assert {"mysqli", "pdo_mysql"} <= set(modules.output.split())
    ext = await ok(service, uid, "docker run --rm php:apache docker-php-ext-install mysqli")
    assert "already part of this image" in ext.output


@pytest.mark.docker
async def test_mariadb_honours_its_variables_and_keeps_data_in_a_volume(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    env = "-e MARIADB_ROOT_PASSWORD=rootpw -e MARIADB_DATABASE=shop"
    env += " -e MARIADB_USER=ann -e MARIADB_PASSWORD=s3cret"
    await ok(service, uid, "docker network create lamp")
    await ok(service, uid, "docker volume create dbdata")
    run_db = "docker run -d --name db --network lamp -v dbdata:/var/lib/mysql"
    await ok(service, uid, f"{run_db} {env} mariadb:11")
    client = "docker run --rm --network lamp mariadb:11 mariadb -h db"
    await until_ok(
        service,
        uid,
        f"{client} -u ann -ps3cret shop -e 'CREATE TABLE t (n INT); INSERT INTO t VALUES (42)'",
    )
    root = await ok(service, uid, f"{client} -uroot -prootpw -N -e 'SELECT COUNT(*) FROM shop.t'")
    assert root.output.strip() == "1"
    denied = await service.run_command(uid, f"{client} -u ann -pwrong shop -e 'SELECT 1'", "en")
    assert denied.exit_code != 0 and "Access denied" in denied.output
    php = "docker run --rm --network lamp php:8.2-apache php -r"
    query = '$db = new mysqli("db", "ann", "s3cret", "shop");'
    query += ' echo $db->query("SELECT n FROM t")->fetch_row()[0];'
    from_php = await ok(service, uid, f"{php} '{query}'")
    assert from_php.output.strip() == "42"

    await ok(service, uid, "docker rm -f db")
    await ok(service, uid, f"{run_db} mariadb:latest")  # no variables: the volume is initialised
    again = await until_ok(service, uid, f"{client} -u ann -ps3cret -N shop -e 'SELECT n FROM t'")
    assert again.output.strip() == "42"


@pytest.mark.docker
async def test_mariadb_takes_the_mysql_spellings_and_an_empty_root_password(
    service: SandboxService, clean_user_id: int
) -> None:
    """No volume: the image's VOLUME becomes the sandbox's tmpfs, and the data fits in it."""
    uid = clean_user_id
    await ok(service, uid, "docker network create legacy")
    env = "-e MYSQL_ALLOW_EMPTY_PASSWORD=yes -e MYSQL_DATABASE=old_app"
    await ok(service, uid, f"docker run -d --name db --network legacy {env} mariadb")
    client = "docker run --rm --network legacy mariadb mariadb -h db -uroot -N"
    shown = await until_ok(service, uid, f"{client} -e 'SHOW DATABASES'")
    assert "old_app" in shown.output.split()


@pytest.mark.docker
async def test_mariadb_without_a_password_option_says_which_to_set(
    service: SandboxService, clean_user_id: int
) -> None:
    result = await service.run_command(clean_user_id, "docker run --rm mariadb:11", "en")
    assert result.exit_code == 1
    assert "MARIADB_ROOT_PASSWORD" in result.output and "uninitialized" in result.output


@pytest.mark.docker
async def test_a_changed_recipe_is_rebuilt_and_an_unchanged_one_left_alone(
    docker: aiodocker.Docker, debian_images: dict[str, str]
) -> None:
    ref = f"moussaillon-test/debian-probe:p{os.getpid()}"
    first, second = _probe(ref, "one\n"), _probe(ref, "two\n")
    engine = Engine(docker)
    try:
        assert await prepare_debian(engine, {ref: ref}, recipes=(DEBIAN, first)) == [ref]
        built = (await docker.images.inspect(ref))["Id"]
        assert await prepare_debian(engine, {ref: ref}, recipes=(DEBIAN, first)) == []
        assert (await docker.images.inspect(ref))["Id"] == built
        assert await prepare_debian(engine, {ref: ref}, recipes=(DEBIAN, second)) == [ref]
        rebuilt = await docker.images.inspect(ref)
        assert rebuilt["Id"] != built
        assert rebuilt["Config"]["Labels"]["org.opencontainers.image.revision"] == (
            second.revision(plan({}, (DEBIAN, second))[0].revision)
        )
        with pytest.raises(aiodocker.DockerError) as gone:
            await docker.images.inspect(built)
        assert gone.value.status == 404
    finally:
        await docker.images.delete(ref, force=True)


def _probe(ref: str, text: str) -> DebianImage:
    return DebianImage("probe", (ref,), "probe", "test", files={"/etc/probe.txt": (text, 0o644)})


def _cached(path: Path) -> list[Path]:
    return sorted(path.glob("moussaillon-debian-*.tar"))


@pytest.mark.docker
async def test_cache_dir_brings_back_images_the_engine_lost(
    docker: aiodocker.Docker, debian_images: dict[str, str], tmp_path: Path
) -> None:
    ref = f"moussaillon-test/debian-cached:p{os.getpid()}"
    recipes = (DEBIAN, _probe(ref, "cached\n"))
    engine = Engine(docker)
    try:
        assert await prepare_debian(engine, {ref: ref}, recipes=recipes, cache_dir=tmp_path) == [
            ref
        ]
        (cache,) = await asyncio.to_thread(_cached, tmp_path)
        built = (await docker.images.inspect(ref))["Id"]
        await docker.images.delete(ref, force=True)
        seen: list[str] = []
        done = await prepare_debian(
            engine,
            {ref: ref},
            recipes=recipes,
            cache_dir=tmp_path,
            progress=lambda _ref, _fraction, status: seen.append(status),
        )
        assert done == [] and "loading the cached images" in seen
        assert (await docker.images.inspect(ref))["Id"] == built
        assert await asyncio.to_thread(_cached, tmp_path) == [cache]
    finally:
        await docker.images.delete(ref, force=True)


@pytest.mark.docker
async def test_cli_prepare_offline_makes_the_allowlisted_bases_only(
    standin_images: dict[str, str], debian_images: dict[str, str], tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOUSSAILLON_")}
    env["MOUSSAILLON_DB_PATH"] = str(tmp_path / "moussaillon.db")
    env["MOUSSAILLON_SANDBOX_IMAGES"] = "alpine,debian:12,gcc,php:8.2-apache"
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "moussaillon", "sandbox", "prepare", "--offline"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    # Up to date unless another checkout's recipe rebuilt the shared images meanwhile.
    assert any(line.startswith("alpine:latest: stand-in ") for line in lines), run.stdout
    for ref in ("debian:12", "gcc:latest", "php:8.2-apache"):
        assert any(
            line.startswith(ref) and line.endswith(("up to date", "MB)")) for line in lines
        ), (ref, run.stdout)
    assert "node" not in run.stdout


@pytest.mark.docker
async def test_the_network_probe_never_picks_a_debian_image(
    docker: aiodocker.Docker, standin_images: dict[str, str], debian_images: dict[str, str]
) -> None:
    """The host check needs busybox's ``nc`` and ``ip``, which Debian's minbase lacks."""
    only_debian = Settings(_env_file=None, sandbox_images="gcc,debian:12,node")
    assert await probe_image(Engine(docker), only_debian) is None
    mixed = Settings(_env_file=None, sandbox_images="gcc,debian:12,nginx")
    assert await probe_image(Engine(docker), mixed) == standin_images["nginx"]


@pytest.mark.docker
async def test_a_real_image_under_a_tag_is_never_replaced(
    docker: aiodocker.Docker, debian_images: dict[str, str]
) -> None:
    real, free = (f"moussaillon-test/debian-{n}:p{os.getpid()}" for n in ("real", "free"))
    tar = rootfs(Recipe("real", "not ours"), applets=["sh"])
    engine = Engine(docker)
    await _import(engine, real, tar, ['CMD ["sh"]'])
    recipe = DebianImage("probe", (real, free), "probe", "test", files={"/p": ("p\n", 0o644)})
    try:
        real_id = (await docker.images.inspect(real))["Id"]
        wanted = {real: real, free: free}
        assert await prepare_debian(engine, wanted, recipes=(DEBIAN, recipe)) == [free]
        assert (await docker.images.inspect(real))["Id"] == real_id
        made = (await docker.images.inspect(free))["Config"]["Labels"]
        assert made[labels.STANDIN] == "1"
        assert await prepare_debian(engine, wanted, recipes=(DEBIAN, recipe)) == []
        assert await prepare_debian(engine, {real: real}, recipes=(DEBIAN, recipe)) == []
    finally:
        for ref in (real, free):
            await docker.images.delete(ref, force=True)


@pytest.mark.docker
async def test_a_failing_recipe_says_why_and_tags_nothing(
    docker: aiodocker.Docker, debian_images: dict[str, str]
) -> None:
    ref = f"moussaillon-test/debian-broken:p{os.getpid()}"
    broken = DebianImage("broken", (ref,), "broken", "test", packages=("no-such-package-here",))
    with pytest.raises(DebianPrepareError) as failed:
        await prepare_debian(Engine(docker), {ref: ref}, recipes=(DEBIAN, broken))
    assert "Unable to locate package no-such-package-here" in str(failed.value)
    with pytest.raises(aiodocker.DockerError) as gone:
        await docker.images.inspect(ref)
    assert gone.value.status == 404
