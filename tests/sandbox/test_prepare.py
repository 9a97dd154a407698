"""The offline stand-ins: built from busybox, and each one does its image's job on the engine."""

from __future__ import annotations

import asyncio
import io
import os
import tarfile
from collections.abc import Iterator

import aiodocker
import pytest

from moussaillon.config import DEFAULT_IMAGES
from moussaillon.sandbox import labels
from moussaillon.sandbox.debian_images import IMAGES
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.prepare import (
    RECIPES,
    Recipe,
    _import,
    ensure_images,
    prepare_offline,
    revision,
    rootfs,
    split_ref,
)
from moussaillon.sandbox.standin_scripts import ALPINE_VERSION
from tests.sandbox.conftest import _connect, _in_own_loop, sandbox_labels

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def recipe_images() -> Iterator[dict[str, str]]:
    """This module's own build of every recipe, under private tags: the shared stand-ins may be
    rebuilt meanwhile from another checkout's recipe, these cannot."""
    tag = f"p{os.getpid()}"
    refs = {name: f"moussaillon-test/{name.replace('/', '-')}:{tag}" for name in RECIPES}

    async def build() -> None:
        client = await _connect()
        try:
            await prepare_offline(Engine(client), refs, force=True)
        finally:
            await client.close()

    async def remove() -> None:
        client = await _connect()
        try:
            for ref in refs.values():
                try:
                    await client.images.delete(ref, force=True)
                except aiodocker.DockerError as exc:
                    if exc.status != 404:
                        raise
        finally:
            await client.close()

    _in_own_loop(build)
    try:
        yield refs
    finally:
        _in_own_loop(remove)


async def run(
    docker: aiodocker.Docker,
    owner: str,
    image: str,
    cmd: list[str] | None = None,
    *,
    network: str | None = None,
    name: str | None = None,
    alias: str | None = None,
    detach: bool = False,
    env: list[str] | None = None,
    entrypoint: list[str] | None = None,
) -> tuple[int, str, aiodocker.containers.DockerContainer]:
    """Run a labelled container; unless detached, wait for it and return (exit, output)."""
    config: dict = {"Image": image, "Labels": sandbox_labels(owner, name or "")}
    if cmd is not None:
        config["Cmd"] = cmd
    if env is not None:
        config["Env"] = env
    if entrypoint is not None:
        config["Entrypoint"] = entrypoint
    if network:
        config["HostConfig"] = {"NetworkMode": network}
        config["NetworkingConfig"] = {
            "EndpointsConfig": {network: {"Aliases": [alias] if alias else []}}
        }
    async with asyncio.timeout(30):
        container = await docker.containers.run(config, name=name)
        if detach:
            return 0, "", container
        status = await container.wait()
        lines = await container.log(stdout=True, stderr=True)
        await container.delete(force=True)
    return status["StatusCode"], "".join(lines), container


async def fetch(docker: aiodocker.Docker, owner: str, image: str, args: list[str], network: str):
    """curl from a throwaway container, retrying while the server starts."""
    for _ in range(20):
        code, out, _c = await run(docker, owner, image, args, network=network)
        if code == 0:
            return code, out
        await asyncio.sleep(0.25)
    return code, out


async def labelled_network(docker: aiodocker.Docker, owner: str) -> str:
    name = f"{owner}-net"
    async with asyncio.timeout(30):
        await docker.networks.create({"Name": name, "Labels": sandbox_labels(owner, "net")})
    return name


def test_rootfs_holds_busybox_users_and_the_recipe_files() -> None:
    recipe = Recipe("t", "test", files={"/srv/hello.txt": ("hi\n", 0o600)})
    with tarfile.open(fileobj=io.BytesIO(rootfs(recipe, applets=["sh", "ls"]))) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert members["bin/busybox"].mode == 0o755 and members["bin/busybox"].size > 100_000
        assert members["bin/sh"].issym() and members["bin/sh"].linkname == "busybox"
        assert members["tmp"].mode == 0o1777
        assert members["home/moussaillon"].uid == 1000
        assert members["srv/hello.txt"].mode == 0o600
        passwd = tar.extractfile("etc/passwd").read().decode()  # type: ignore[union-attr]
        assert {line.split(":")[2] for line in passwd.splitlines()} == {"0", "1000", "65534"}
        assert b"stand-in" in tar.extractfile("etc/os-release").read()  # type: ignore[union-attr]


def test_printenv_is_added_only_where_busybox_lacks_it() -> None:
    recipe = Recipe("t", "test")
    with tarfile.open(fileobj=io.BytesIO(rootfs(recipe, applets=["sh"]))) as tar:
        assert tar.getmember("usr/bin/printenv").mode == 0o755
    with tarfile.open(fileobj=io.BytesIO(rootfs(recipe, applets=["sh", "printenv"]))) as tar:
        assert "usr/bin/printenv" not in tar.getnames()
        assert tar.getmember("bin/printenv").linkname == "busybox"


def test_service_accounts_land_in_passwd_and_change_the_revision() -> None:
    plain = Recipe("t", "test")
    served = Recipe("t", "test", users=(("nginx", 101),))
    with tarfile.open(fileobj=io.BytesIO(rootfs(served, applets=["sh"]))) as tar:
        passwd = tar.extractfile("etc/passwd").read().decode()  # type: ignore[union-attr]
        group = tar.extractfile("etc/group").read().decode()  # type: ignore[union-attr]
    assert "\nnginx:x:101:101:" in passwd and "\nnginx:x:101:\n" in group
    assert revision(plain, applets=["sh"]) != revision(served, applets=["sh"])
    assert revision(plain, applets=["sh"]) != revision(plain, applets=["sh", "printenv"])


def test_split_ref_keeps_registry_ports() -> None:
    assert split_ref("containous/whoami:latest") == ("containous/whoami", "latest")
    assert split_ref("alpine") == ("alpine", "latest")
    assert split_ref("localhost:5000/app") == ("localhost:5000/app", "latest")


async def test_every_standin_is_labelled(docker, standin_images) -> None:
    assert await ensure_images(Engine(docker), standin_images) == []
    for ref in standin_images.values():
        image = await docker.images.inspect(ref)
        assert image["Config"]["Labels"][labels.STANDIN] == "1"
        assert image["Config"]["Labels"]["org.opencontainers.image.vendor"] == "Moussaillon"


async def test_hello_world_prints_its_greeting(docker, recipe_images, clean_owner) -> None:
    code, out, _ = await run(docker, clean_owner, recipe_images["hello-world"])
    assert code == 0
    assert "Hello from Docker!" in out and "stand-in" in out


@pytest.mark.parametrize("image", ["alpine", "busybox", "alpine/curl"])
async def test_shell_images_run_commands(docker, recipe_images, clean_owner, image) -> None:
    script = "echo $((6 * 7)); id -u moussaillon; cat /etc/hostname; ls /tmp && echo ok"
    code, out, _ = await run(docker, clean_owner, recipe_images[image], ["/bin/sh", "-c", script])
    assert code == 0, out
    lines = out.split()
    assert lines[:2] == ["42", "1000"] and lines[-1] == "ok"


@pytest.mark.parametrize("image", ["nginx", "httpd"])
async def test_debian_based_web_images_answer_to_bash(
    docker, recipe_images, clean_owner, image
) -> None:
    code, out, _ = await run(
        docker, clean_owner, recipe_images[image], ["bash", "-c", "echo $((2 + 3)) in $PWD"]
    )
    assert code == 0 and out.startswith("5 in /"), out


@pytest.mark.parametrize("image", ["alpine", "alpine/curl", "curlimages/curl"])
async def test_alpine_based_standins_name_their_release(
    docker, recipe_images, clean_owner, image
) -> None:
    script = ["cat", "/etc/alpine-release", "/etc/os-release"]
    code, out, _ = await run(docker, clean_owner, recipe_images[image], script, entrypoint=[])
    assert code == 0, out
    assert out.startswith(f"{ALPINE_VERSION}\n")
    assert 'NAME="Alpine Linux"\n' in out and "\nID=alpine\n" in out and "stand-in" in out


async def test_printenv_prints_one_variable_or_fails(docker, recipe_images, clean_owner) -> None:
    alpine = recipe_images["alpine"]
    code, out, _ = await run(
        docker, clean_owner, alpine, ["printenv", "COULEUR"], env=["COULEUR=bleu"]
    )
    assert (code, out) == (0, "bleu\n")
    code, out, _ = await run(docker, clean_owner, alpine, ["printenv", "ABSENTE"])
    assert (code, out) == (1, "")


async def test_nginx_standin_has_the_real_images_layout(docker, recipe_images, clean_owner) -> None:
    nginx = recipe_images["nginx"]
    config = (await docker.images.inspect(nginx))["Config"]
    assert config["Entrypoint"] == ["/docker-entrypoint.sh"]
    assert config["Cmd"] == ["nginx", "-g", "daemon off;"]
    assert any(pair.startswith("NGINX_VERSION=") for pair in config["Env"])
    assert "maintainer" in config["Labels"]
    code, out, _ = await run(docker, clean_owner, nginx, ["ls", "/usr/share/nginx/html"])
    assert (code, out) == (0, "50x.html\nindex.html\n")
    code, out, _ = await run(docker, clean_owner, nginx, ["nginx", "-v"])
    assert code == 0 and "nginx version: nginx/" in out
    code, out, _ = await run(docker, clean_owner, nginx, ["id", "nginx"])
    assert (code, out) == (0, "uid=101(nginx) gid=101(nginx) groups=101(nginx)\n")
    code, out, _ = await run(docker, clean_owner, nginx, ["cat", "/etc/nginx/conf.d/default.conf"])
    assert code == 0 and "/50x.html" in out and "/usr/share/nginx/html" in out


async def test_httpd_and_whoami_answer_their_flags(docker, recipe_images, clean_owner) -> None:
    httpd, whoami = recipe_images["httpd"], recipe_images["containous/whoami"]
    assert (await docker.images.inspect(httpd))["Config"]["Cmd"] == ["httpd-foreground"]
    code, out, _ = await run(docker, clean_owner, httpd, ["httpd", "-v"])
    assert code == 0 and out.startswith("Server version: Apache/2.4")
    assert (await docker.images.inspect(whoami))["Config"]["Entrypoint"] == ["/whoami"]
    code, out, _ = await run(docker, clean_owner, whoami, ["--help"])
    assert code == 0 and out.startswith("Usage of /whoami") and "-port" in out
    code, out, _ = await run(docker, clean_owner, whoami, ["--nope"])
    assert code == 2 and "flag provided but not defined" in out


async def test_alpine_says_apk_is_unavailable(docker, recipe_images, clean_owner) -> None:
    code, out, _ = await run(docker, clean_owner, recipe_images["alpine"], ["apk", "add", "curl"])
    assert code == 1 and "offline" in out


async def test_web_servers_serve_and_curl_reaches_them_by_name(
    docker, recipe_images, clean_owner
) -> None:
    net = await labelled_network(docker, clean_owner)
    for image, alias in (("nginx", "web"), ("httpd", "apache"), ("containous/whoami", "who")):
        await run(docker, clean_owner, recipe_images[image], network=net, alias=alias, detach=True)
    named = ["-name", "bob", "-port", "8080"]
    whoami = recipe_images["containous/whoami"]
    await run(docker, clean_owner, whoami, named, network=net, alias="bob", detach=True)
    curl, curlimages = recipe_images["alpine/curl"], recipe_images["curlimages/curl"]

    code, out = await fetch(docker, clean_owner, curl, ["-s", "http://web"], net)
    assert code == 0 and "<h1>Welcome to nginx!</h1>" in out
    code, out = await fetch(docker, clean_owner, curl, ["-s", "http://web/50x.html"], net)
    assert code == 0 and "<h1>An error occurred.</h1>" in out
    code, out = await fetch(docker, clean_owner, curl, ["-s", "http://bob:8080"], net)
    assert code == 0 and out.startswith("Name: bob\nHostname: "), out

    code, out = await fetch(docker, clean_owner, curlimages, ["apache"], net)
    assert code == 0 and "It works!" in out

    args = ["-si", "-H", "X-Course: docker", "who"]
    code, out = await fetch(docker, clean_owner, curl, args, net)
    assert code == 0, out
    assert out.startswith("HTTP/1.1 200 OK")
    assert "\nHostname: " in out and "\nIP: 127.0.0.1" in out
    assert "\nGET / HTTP/1.1" in out and "\nX-Course: docker" in out and "\nHost: who" in out

    code, out, _ = await run(docker, clean_owner, curl, ["-sSf", "http://web/nope"], network=net)
    assert code == 22 and "404" in out
    args = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "web/nope"]
    code, out, _ = await run(docker, clean_owner, curlimages, args, network=net)
    assert (code, out) == (0, "404")
    code, out, _ = await run(docker, clean_owner, curl, ["-s", "nowhere"], network=net)
    assert code == 6 and out == ""
    code, out, _ = await run(docker, clean_owner, curl, ["nowhere"], network=net)
    assert code == 6 and "Could not resolve host: nowhere" in out
    code, out, _ = await run(docker, clean_owner, curl, ["wget", "-qO-", "web"], network=net)
    assert code == 0 and "nginx" in out


async def test_web_server_logs_requests_and_stops_promptly(
    docker, recipe_images, clean_owner
) -> None:
    net = await labelled_network(docker, clean_owner)
    *_, web = await run(
        docker, clean_owner, recipe_images["nginx"], network=net, alias="web", detach=True
    )
    await fetch(docker, clean_owner, recipe_images["curlimages/curl"], ["web/"], net)
    async with asyncio.timeout(5):
        await web.stop(t=10)
        status = await web.wait()
    assert status["StatusCode"] == 0
    assert "url:/" in "".join(await web.log(stdout=True, stderr=True))


async def test_prepare_skips_current_standins_and_rebuilds_on_force(
    docker, standin_images, clean_owner
) -> None:
    ref = f"moussaillon-test/alpine:{clean_owner}"
    wanted = {"alpine": ref, "no-such-image": f"moussaillon-test/none:{clean_owner}"}
    try:
        messages: list[str] = []
        assert await prepare_offline(Engine(docker), wanted, progress=messages.append) == [ref]
        assert any("no offline stand-in" in message for message in messages)
        assert await prepare_offline(Engine(docker), wanted) == []
        first = (await docker.images.inspect(ref))["Id"]
        assert await prepare_offline(Engine(docker), wanted, force=True) == [ref]
        assert await ensure_images(Engine(docker), wanted) == [wanted["no-such-image"]]
        second = (await docker.images.inspect(ref))["Id"]
        assert second != first
        with pytest.raises(aiodocker.DockerError) as gone:
            await docker.images.inspect(first)
        assert gone.value.status == 404
    finally:
        await docker.images.delete(ref, force=True)


async def test_prepare_never_replaces_a_real_image(docker, standin_images, clean_owner) -> None:
    ref = f"moussaillon-test/real:{clean_owner}"
    plain = Recipe("real", "not ours")
    tar = rootfs(plain, applets=["sh"])
    await _import(Engine(docker), ref, tar, ['CMD ["sh"]'])
    try:
        assert await prepare_offline(Engine(docker), {"alpine": ref}) == []
        assert await prepare_offline(Engine(docker), {"alpine": ref}, force=True) == []
        assert labels.STANDIN not in ((await docker.images.inspect(ref))["Config"]["Labels"] or {})
    finally:
        await docker.images.delete(ref, force=True)


def test_every_course_image_has_a_recipe() -> None:
    """A busybox stand-in, or a Debian-based image (test_prepare_debian.py) for the bases."""
    course_names = {pair.split("=")[0] for pair in DEFAULT_IMAGES.split(",")}
    debian = {tag for image in IMAGES.values() for tag in image.tags}
    assert course_names and course_names <= set(RECIPES) | debian
    assert debian <= course_names
