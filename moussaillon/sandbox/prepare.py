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
from moussaillon.sandbox.standin_scripts import (
    CURL,
    CURL_ENTRYPOINT,
    HELLO,
    NOT_OFFLINE,
    SERVE,
    WHOAMI_CGI,
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
    cmd: tuple[str, ...] = ("/bin/sh",)
    entrypoint: tuple[str, ...] = ()
    expose: tuple[int, ...] = ()
    workdir: str = "/"

    def changes(self, revision: str) -> list[str]:
        """Dockerfile lines for the import API, as ``docker import --change`` sends them."""
        image_labels = {
            labels.STANDIN: "1",
            "org.opencontainers.image.title": self.title,
            "org.opencontainers.image.description": self.description,
            "org.opencontainers.image.vendor": "Moussaillon",
            "org.opencontainers.image.version": "stand-in",
            "org.opencontainers.image.revision": revision,
        }
        lines = [f"ENV {PATH_ENV}", f"WORKDIR {self.workdir}"]
        lines += [f"LABEL {json.dumps(k)}={json.dumps(v)}" for k, v in image_labels.items()]
        lines += [f"EXPOSE {port}" for port in self.expose]
        if self.entrypoint:
            lines.append(f"ENTRYPOINT {json.dumps(list(self.entrypoint))}")
        lines.append(f"CMD {json.dumps(list(self.cmd))}")
        return lines


BASH = '#!/bin/sh\n# The real image is Debian-based: busybox sh plays bash.\nexec /bin/sh "$@"\n'


def _web(title: str, description: str, root: str, body: str, workdir: str = "/") -> Recipe:
    """A Debian-based web server image: its document root, a shell named bash, port 80."""
    return Recipe(
        title=title,
        description=description,
        files={
            f"{root}/index.html": (body, 0o644),
            "/usr/local/bin/serve": (SERVE, 0o755),
            "/bin/bash": (BASH, 0o755),
        },
        cmd=("serve", root),
        expose=(80,),
        workdir=workdir,
    )


def _curl(title: str) -> Recipe:
    return Recipe(
        title=title,
        description="curl stand-in: a script mapping common curl usage onto busybox wget",
        files={
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
        files={"/sbin/apk": (NOT_OFFLINE.format(tool="apk"), 0o755)},
    ),
    "busybox": Recipe("busybox", "BusyBox stand-in", cmd=("sh",)),
    "hello-world": Recipe(
        "hello-world",
        "hello-world stand-in: prints a greeting and exits",
        files={"/hello": (HELLO, 0o755)},
        cmd=("/hello",),
    ),
    "nginx": _web(
        "nginx",
        "nginx stand-in: busybox httpd serving /usr/share/nginx/html on port 80",
        "/usr/share/nginx/html",
        page("Welcome to nginx!", "the nginx"),
    ),
    "httpd": _web(
        "httpd",
        "Apache httpd stand-in: busybox httpd serving /usr/local/apache2/htdocs on port 80",
        "/usr/local/apache2/htdocs",
        "<html><body><h1>It works!</h1>\n"
        "<p>(Moussaillon stand-in for the Apache httpd image.)</p></body></html>\n",
        workdir="/usr/local/apache2",
    ),
    "containous/whoami": Recipe(
        "containous/whoami",
        "whoami stand-in: answers with the container's hostname, IPs and the request headers",
        files={
            "/www/cgi-bin/index.cgi": (WHOAMI_CGI, 0o755),
            "/usr/local/bin/serve": (SERVE, 0o755),
        },
        cmd=("serve", "/www"),
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


def rootfs(recipe: Recipe, busybox: Path = BUSYBOX, applets: list[str] | None = None) -> bytes:
    """The image's whole filesystem as an uncompressed tar, built in memory (~1-2 MB)."""
    applets = applets if applets is not None else _applets(busybox)
    files = {
        "/etc/passwd": (PASSWD, 0o644),
        "/etc/group": (GROUP, 0o644),
        "/etc/os-release": (_os_release(recipe), 0o644),
        **recipe.files,
    }
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


def revision(recipe: Recipe, busybox: Path = BUSYBOX) -> str:
    """A short hash of everything that shapes the image: the recipe and the busybox binary."""
    digest = hashlib.sha256(repr(recipe).encode())
    digest.update(hashlib.sha256(busybox.read_bytes()).digest())
    digest.update(PASSWD.encode() + GROUP.encode())
    return digest.hexdigest()[:16]


async def _inspect(docker: aiodocker.Docker, ref: str) -> dict[str, Any] | None:
    try:
        async with asyncio.timeout(30):
            return await docker.images.inspect(ref)
    except aiodocker.DockerError as exc:
        if exc.status == 404:
            return None
        raise


def _image_labels(image: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = (image.get("Config") or {}).get("Labels") or {}
    return found


async def _import(docker: aiodocker.Docker, ref: str, tar: bytes, changes: list[str]) -> None:
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
        async with docker._query(
            f"images/create?{query}",
            "POST",
            data=tar,
            headers={"Content-Type": "application/x-tar"},
            timeout=None,
        ) as response:
            body = await response.text()
    for line in body.splitlines():
        if line.strip():
            message = json.loads(line)
            if "error" in message:
                raise aiodocker.DockerError(500, f"import of {ref} failed: {message['error']}")


async def prepare_offline(
    docker: aiodocker.Docker,
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
        rev = await asyncio.to_thread(revision, recipe, busybox)
        existing = await _inspect(docker, ref)
        if existing is not None:
            image_labels = _image_labels(existing)
            if image_labels.get(labels.STANDIN) != "1":
                say(f"{ref}: a real image is present, kept")
                continue
            if not force and image_labels.get("org.opencontainers.image.revision") == rev:
                say(f"{ref}: stand-in up to date")
                continue
        tar = await asyncio.to_thread(rootfs, recipe, busybox, applets)
        await _import(docker, ref, tar, recipe.changes(rev))
        if existing is not None and _image_labels(existing).get(labels.STANDIN) == "1":
            await _drop_dangling(docker, existing["Id"])
        built.append(ref)
        say(f"{ref}: stand-in built ({len(tar) // 1024} KiB)")
    return built


async def _drop_dangling(docker: aiodocker.Docker, image_id: str) -> None:
    """Remove the replaced stand-in if nothing uses it any more; otherwise leave it be."""
    try:
        async with asyncio.timeout(30):
            image = await docker.images.inspect(image_id)
            if not image.get("RepoTags"):
                await docker.images.delete(image_id, noprune=False)
    except aiodocker.DockerError:
        pass


async def ensure_images(docker: aiodocker.Docker, images: Mapping[str, str]) -> list[str]:
    """The allowlisted local refs the engine does not have (empty when all are there)."""
    missing = []
    for ref in images.values():
        if await _inspect(docker, ref) is None:
            missing.append(ref)
    return missing
