"""Offline stand-ins for the course's images, built from the host's busybox-static.

The teaching machines cannot reach a registry, yet the course's commands name ``alpine``,
``nginx``, ``containous/whoami`` … So we ``docker import`` a tiny root filesystem (one static
busybox plus its applet links) under those names, with small shell scripts playing each image's
part. Every stand-in says what it is (label ``moussaillon.standin=1``, ``/etc/os-release``) and
carries a recipe hash, so a changed recipe is rebuilt while an up-to-date one is left alone.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiodocker

from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.standin_scripts import (
    BASH,
    CURL,
    CURL_ENTRYPOINT,
    HELLO,
    HTTPD,
    HTTPD_FOREGROUND,
    HTTPD_INDEX,
    NGINX,
    NGINX_CONF,
    NGINX_ENTRYPOINT,
    NGINX_SITE,
    NOT_OFFLINE,
    PRINTENV,
    SERVE,
    WHOAMI,
    WHOAMI_CGI,
    alpine_release,
    error_page,
    page,
)

BUSYBOX = Path("/bin/busybox")
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
IMPORT_TIMEOUT_S = 120.0

PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    "moussaillon:x:1000:1000:Moussaillon student:/home/moussaillon:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
)
GROUP = "root:x:0:\nmoussaillon:x:1000:\nnobody:x:65534:\n"


@dataclass(frozen=True)
class Recipe:
    """What one stand-in adds to the shared root filesystem and how it starts."""

    title: str
    description: str
    files: Mapping[str, tuple[str, int]] = field(default_factory=dict)  # path -> (text, mode)
    cmd: tuple[str, ...] = ("/bin/sh",)  # empty: no CMD, the entrypoint runs alone
    entrypoint: tuple[str, ...] = ()
    expose: tuple[int, ...] = ()
    workdir: str = "/"
    env: tuple[str, ...] = ()  # KEY=value lines after PATH
    path: str = PATH_ENV
    users: tuple[tuple[str, int], ...] = ()  # service accounts the image runs as: (name, id)

    def changes(self, revision: str) -> list[str]:
        """Dockerfile lines for the import API, as ``docker import --change`` sends them."""
        image_labels = {
            labels.STANDIN: "1",
            "maintainer": "Moussaillon (offline stand-in)",
            "org.opencontainers.image.title": self.title,
            "org.opencontainers.image.description": self.description,
            "org.opencontainers.image.vendor": "Moussaillon",
            "org.opencontainers.image.version": "stand-in",
            "org.opencontainers.image.revision": revision,
        }
        lines = [f"ENV {self.path}", *(f"ENV {pair}" for pair in self.env)]
        lines.append(f"WORKDIR {self.workdir}")
        lines += [f"LABEL {json.dumps(k)}={json.dumps(v)}" for k, v in image_labels.items()]
        lines += [f"EXPOSE {port}" for port in self.expose]
        if self.entrypoint:
            lines.append(f"ENTRYPOINT {json.dumps(list(self.entrypoint))}")
        if self.cmd:
            lines.append(f"CMD {json.dumps(list(self.cmd))}")
        return lines


def _debian_web(files: Mapping[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """A Debian-based web server image's common part: the server script, a shell named bash."""
    return {"/usr/local/bin/serve": (SERVE, 0o755), "/bin/bash": (BASH, 0o755), **files}


def _curl(title: str) -> Recipe:
    return Recipe(
        title=title,
        description="curl stand-in: a script mapping common curl usage onto busybox wget",
        files={
            **alpine_release(title),
            "/usr/bin/curl": (CURL, 0o755),
            "/usr/local/bin/docker-entrypoint.sh": (CURL_ENTRYPOINT, 0o755),
        },
        entrypoint=("/usr/local/bin/docker-entrypoint.sh",),
        cmd=("curl", "--help"),
    )


RECIPES: dict[str, Recipe] = {
    "alpine": Recipe(
        "alpine",
        "Alpine stand-in: busybox shell and tools, no package manager",
        files={**alpine_release("alpine"), "/sbin/apk": (NOT_OFFLINE.format(tool="apk"), 0o755)},
    ),
    "busybox": Recipe("busybox", "BusyBox stand-in", cmd=("sh",)),
    "hello-world": Recipe(
        "hello-world",
        "hello-world stand-in: prints a greeting and exits",
        files={"/hello": (HELLO, 0o755)},
        cmd=("/hello",),
    ),
    "nginx": Recipe(
        "nginx",
        "nginx stand-in: busybox httpd serving /usr/share/nginx/html on port 80",
        files=_debian_web(
            {
                "/usr/share/nginx/html/index.html": (page("Welcome to nginx!", "the nginx"), 0o644),
                "/usr/share/nginx/html/50x.html": (error_page("the nginx"), 0o644),
                "/etc/nginx/nginx.conf": (NGINX_CONF, 0o644),
                "/etc/nginx/conf.d/default.conf": (NGINX_SITE, 0o644),
                "/usr/sbin/nginx": (NGINX, 0o755),
                "/docker-entrypoint.sh": (NGINX_ENTRYPOINT, 0o755),
            }
        ),
        entrypoint=("/docker-entrypoint.sh",),
        cmd=("nginx", "-g", "daemon off;"),
        expose=(80,),
        env=("NGINX_VERSION=1.27.2",),
        users=(("nginx", 101),),
    ),
    "httpd": Recipe(
        "httpd",
        "Apache httpd stand-in: busybox httpd serving /usr/local/apache2/htdocs on port 80",
        files=_debian_web(
            {
                "/usr/local/apache2/htdocs/index.html": (HTTPD_INDEX, 0o644),
                "/usr/local/apache2/bin/httpd": (HTTPD, 0o755),
                "/usr/local/bin/httpd-foreground": (HTTPD_FOREGROUND, 0o755),
            }
        ),
        cmd=("httpd-foreground",),
        expose=(80,),
        workdir="/usr/local/apache2",
        path="PATH=/usr/local/apache2/bin:" + PATH_ENV.removeprefix("PATH="),
        users=(("www-data", 33),),
    ),
    "containous/whoami": Recipe(
        "containous/whoami",
        "whoami stand-in: answers with the container's hostname, IPs and the request headers",
        files={
            "/www/cgi-bin/index.cgi": (WHOAMI_CGI, 0o755),
            "/usr/local/bin/serve": (SERVE, 0o755),
            "/whoami": (WHOAMI, 0o755),
        },
        entrypoint=("/whoami",),
        cmd=(),
        expose=(80,),
    ),
    "alpine/curl": _curl("alpine/curl"),
    "curlimages/curl": _curl("curlimages/curl"),
}


def recipe_for(name: str, ref: str) -> Recipe | None:
    """Find the recipe by the course name, else by the repository part of the local ref."""
    return RECIPES.get(name) or RECIPES.get(split_ref(ref)[0])


def split_ref(ref: str) -> tuple[str, str]:
    repo, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag:
        return ref, "latest"
    return repo, tag


def _applets(busybox: Path) -> list[str]:
    listing = subprocess.run(
        [str(busybox), "--list"], check=True, capture_output=True, text=True
    ).stdout
    return sorted({line.strip() for line in listing.splitlines() if line.strip()} - {"busybox"})


def _find_busybox() -> tuple[Path, list[str]]:
    """The static busybox to copy in; it must be static since the image has no libc."""
    busybox = BUSYBOX if BUSYBOX.exists() else Path(shutil.which("busybox") or BUSYBOX)
    if not busybox.exists():
        raise FileNotFoundError("no busybox on this host: install busybox-static")
    return busybox, _applets(busybox)


def _add_dir(tar: tarfile.TarFile, path: str, mode: int = 0o755, uid: int = 0) -> None:
    info = tarfile.TarInfo(path.lstrip("/"))
    info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, mode, uid, uid
    tar.addfile(info)


def _add_file(tar: tarfile.TarFile, path: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(path.lstrip("/"))
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def _add_link(tar: tarfile.TarFile, path: str, target: str) -> None:
    info = tarfile.TarInfo(path.lstrip("/"))
    info.type, info.linkname, info.mode = tarfile.SYMTYPE, target, 0o777
    tar.addfile(info)


def _os_release(recipe: Recipe) -> str:
    return (
        'NAME="Moussaillon stand-in"\n'
        "ID=moussaillon-standin\n"
        f'PRETTY_NAME="Moussaillon stand-in for {recipe.title} (busybox, offline)"\n'
        f'DESCRIPTION="{recipe.description}"\n'
    )


def _base_files(recipe: Recipe, applets: list[str]) -> dict[str, tuple[str, int]]:
    """What every stand-in holds besides busybox, then the recipe's own files over it."""
    passwd = PASSWD + "".join(
        f"{name}:x:{uid}:{uid}:{name} user:/nonexistent:/bin/false\n" for name, uid in recipe.users
    )
    group = GROUP + "".join(f"{name}:x:{gid}:\n" for name, gid in recipe.users)
    files = {
        "/etc/passwd": (passwd, 0o644),
        "/etc/group": (group, 0o644),
        "/etc/os-release": (_os_release(recipe), 0o644),
    }
    if "printenv" not in applets:
        files["/usr/bin/printenv"] = (PRINTENV, 0o755)
    return {**files, **recipe.files}


def rootfs(recipe: Recipe, busybox: Path = BUSYBOX, applets: list[str] | None = None) -> bytes:
    """The image's whole filesystem as an uncompressed tar, built in memory (~1-2 MB)."""
    applets = applets if applets is not None else _applets(busybox)
    files = _base_files(recipe, applets)
    dirs = {"/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/usr/local", "/usr/local/bin"}
    dirs |= {"/etc", "/dev", "/proc", "/sys", "/var", "/var/www", "/run", "/mnt", "/srv"}
    for path in files:
        parent = str(Path(path).parent)
        while parent != "/":
            dirs.add(parent)
            parent = str(Path(parent).parent)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for directory in sorted(dirs):
            _add_dir(tar, directory)
        _add_dir(tar, "/tmp", 0o1777)
        _add_dir(tar, "/root", 0o700)
        _add_dir(tar, "/home")
        _add_dir(tar, "/home/moussaillon", 0o755, uid=1000)
        _add_file(tar, "/bin/busybox", busybox.read_bytes(), 0o755)
        for applet in applets:
            if f"/bin/{applet}" not in files:
                _add_link(tar, f"/bin/{applet}", "busybox")
        _add_link(tar, "/usr/bin/env", "/bin/busybox")
        for path, (text, mode) in sorted(files.items()):
            _add_file(tar, path, text.encode(), mode)
    return buffer.getvalue()


def revision(recipe: Recipe, busybox: Path = BUSYBOX, applets: list[str] | None = None) -> str:
    """A short hash of everything that shapes the image: the recipe, the files every stand-in
    gets, the busybox binary and its applets."""
    applets = applets if applets is not None else _applets(busybox)
    digest = hashlib.sha256(repr(recipe).encode())
    digest.update(repr(sorted(_base_files(recipe, applets).items())).encode())
    digest.update(hashlib.sha256(busybox.read_bytes()).digest())
    digest.update(" ".join(applets).encode())
    return digest.hexdigest()[:16]


async def _inspect(engine: Engine, ref: str) -> dict[str, Any] | None:
    try:
        async with asyncio.timeout(30):
            return await engine.client.images.inspect(ref)
    except aiodocker.DockerError as exc:
        if exc.status == 404:
            return None
        raise


def _image_labels(image: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = (image.get("Config") or {}).get("Labels") or {}
    return found


async def _import(engine: Engine, ref: str, tar: bytes, changes: list[str]) -> None:
    """POST /images/create?fromSrc=- (what ``docker import`` does; aiodocker only wraps load).

    ``changes`` is a repeated query parameter, which aiodocker's ``params`` cannot express, so
    the query string is built here.
    """
    repo, tag = split_ref(ref)
    query = urlencode(
        [("fromSrc", "-"), ("repo", repo), ("tag", tag), ("message", "Moussaillon stand-in")]
        + [("changes", line) for line in changes]
    )
    async with asyncio.timeout(IMPORT_TIMEOUT_S):
        async with engine.stream(
            f"images/create?{query}",
            "POST",
            data=tar,
            headers={"Content-Type": "application/x-tar"},
        ) as response:
            body = await response.text()
    for line in body.splitlines():
        if line.strip():
            message = json.loads(line)
            if "error" in message:
                raise aiodocker.DockerError(500, f"import of {ref} failed: {message['error']}")


async def prepare_offline(
    engine: Engine,
    images: Mapping[str, str] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> list[str]:
    """Build the stand-ins for ``images`` (course name -> local ref); return the refs built.

    An up-to-date stand-in is kept unless ``force``; an out-of-date one (its recipe or the
    host's busybox changed) is rebuilt. A real image already present is never replaced.
    """
    say = progress or (lambda _message: None)
    wanted = dict(images) if images is not None else {name: f"{name}:latest" for name in RECIPES}
    busybox, applets = await asyncio.to_thread(_find_busybox)
    built: list[str] = []
    for name, ref in wanted.items():
        recipe = recipe_for(name, ref)
        if recipe is None:
            say(f"{ref}: no offline stand-in for {name}, skipped")
            continue
        rev = await asyncio.to_thread(revision, recipe, busybox, applets)
        existing = await _inspect(engine, ref)
        if existing is not None:
            image_labels = _image_labels(existing)
            if image_labels.get(labels.STANDIN) != "1":
                say(f"{ref}: a real image is present, kept")
                continue
            if not force and image_labels.get("org.opencontainers.image.revision") == rev:
                say(f"{ref}: stand-in up to date")
                continue
        tar = await asyncio.to_thread(rootfs, recipe, busybox, applets)
        await _import(engine, ref, tar, recipe.changes(rev))
        if existing is not None and _image_labels(existing).get(labels.STANDIN) == "1":
            await _drop_dangling(engine, existing["Id"])
        built.append(ref)
        say(f"{ref}: stand-in built ({len(tar) // 1024} KiB)")
    return built


async def _drop_dangling(engine: Engine, image_id: str) -> None:
    """Remove the replaced stand-in if nothing uses it any more; otherwise leave it be."""
    try:
        async with asyncio.timeout(30):
            image = await engine.client.images.inspect(image_id)
            if not image.get("RepoTags"):
                await engine.client.images.delete(image_id, noprune=False)
    except aiodocker.DockerError:
        pass


async def ensure_images(engine: Engine, images: Mapping[str, str]) -> list[str]:
    """The allowlisted local refs the engine does not have (empty when all are there)."""
    missing = []
    for ref in images.values():
        if await _inspect(engine, ref) is None:
            missing.append(ref)
    return missing
