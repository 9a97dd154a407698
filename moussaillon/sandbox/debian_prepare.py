"""Build the Debian-based offline images: one debootstrap, then the engine's classic builder.

The base is a bookworm minbase made by debootstrap from Debian's mirror and imported once under
every ``debian`` tag. The other images are ``FROM`` it with ``RUN apt-get install`` on the
build's default network (which reaches the mirror where ``prepare`` runs), so they share the
base's layer on disk, as real images do, and build side by side. Measured against chroot+apt
into copies of the root filesystem, the builder is as fast and stores the base once instead of
once per image.

The engine's images are the cache: every image carries its recipe's hash, so an up-to-date one
is left alone and a changed recipe rebuilt. ``cache_dir`` adds ``docker save`` tarballs that a
CI machine can keep between runs (loaded when the engine lacks the images).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiodocker

from moussaillon.sandbox import labels
from moussaillon.sandbox.debian_images import (
    BASE_REF,
    DEBIAN,
    DEFAULT_MIRROR,
    IMAGES,
    SUITE,
    DebianImage,
)
from moussaillon.sandbox.debian_scripts import APT_CLEAN, DPKG_SLIM
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.prepare import _drop_dangling, _image_labels, _import, _inspect, split_ref

REVISION = "org.opencontainers.image.revision"
DEBOOTSTRAP_TIMEOUT_S = 900.0
BUILD_TIMEOUT_S = 1200.0
CACHE_TIMEOUT_S = 600.0
DEBOOTSTRAP_LINES = 456  # "I: …" lines of a bookworm minbase run, for the progress bar
REMOVED_FROM_BASE = (
    "var/cache/apt/archives",
    "var/lib/apt/lists",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
    "var/log",
)
PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")

# (ref, fraction done or None when unknown, what is happening)
Progress = Callable[[str, float | None, str], None]


class DebianPrepareError(RuntimeError):
    """Why an offline Debian image could not be made, for the operator's terminal."""


@dataclass(frozen=True)
class Planned:
    image: DebianImage
    refs: tuple[str, ...]  # the engine refs to tag (the course names' local refs)
    revision: str


def with_tag(name: str) -> str:
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def base_revision(base: DebianImage = DEBIAN) -> str:
    """What shapes the base: the suite, what is removed and added after debootstrap."""
    digest = hashlib.sha256(f"{SUITE} minbase".encode())
    digest.update(repr((REMOVED_FROM_BASE, DPKG_SLIM, APT_CLEAN)).encode())
    digest.update(repr(replace(base, tags=())).encode())
    return digest.hexdigest()[:16]


def plan(
    images: Mapping[str, str] | None, recipes: Sequence[DebianImage] = tuple(IMAGES.values())
) -> tuple[Planned, list[Planned]]:
    """(the base, the layered images) wanted by ``images`` (course name -> local ref); the base
    is always planned, since every other image is built on it."""
    named = {with_tag(tag): image for image in recipes for tag in image.tags}
    wanted = images if images is not None else {tag: tag for tag in named}
    refs: dict[str, list[str]] = {}
    for name, ref in wanted.items():
        image = named.get(with_tag(name))
        if image is not None:
            refs.setdefault(image.key, []).append(with_tag(ref))
    base = next((image for image in recipes if not (image.packages or image.files)), DEBIAN)
    base_rev = base_revision(base)
    base_plan = Planned(base, tuple(refs.get(base.key, ())), base_rev)
    layered = [
        Planned(image, tuple(refs[image.key]), image.revision(base_rev))
        for image in recipes
        if image.packages or image.files
        if image.key in refs and image is not base
    ]
    return base_plan, layered


async def prepare_debian(
    engine: Engine,
    images: Mapping[str, str] | None = None,
    *,
    recipes: Sequence[DebianImage] = tuple(IMAGES.values()),
    mirror: str | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
    jobs: int = 4,
) -> list[str]:
    """Make the Debian-based images ``images`` names (all of them by default); return the refs
    built or re-tagged. A real (non stand-in) image under one of those refs is never replaced."""
    say = progress or (lambda _ref, _fraction, _status: None)
    mirror = mirror or os.environ.get("DEBIAN_MIRROR") or DEFAULT_MIRROR
    base, layered = plan(images, recipes)
    everything = [base, *layered]
    cache = _cache_file(cache_dir, everything) if cache_dir else None
    stale = [p for p in everything if force or not await _current(engine, p, base_ref=True)]
    cached = cache is not None and await asyncio.to_thread(cache.exists)
    if stale and cache is not None and cached and not force:
        say(str(cache), None, "loading the cached images")
        await _load(engine, cache)
        stale = [p for p in everything if not await _current(engine, p, base_ref=True)]
    done: list[str] = []
    replaced_base = None
    if base in stale:
        replaced_base = await _build_base(engine, base, mirror, say)
        done.append(BASE_REF)
    done += await _tag_all(engine, base, BASE_REF, say)
    semaphore = asyncio.Semaphore(max(1, jobs))

    async def one(planned: Planned) -> list[str]:
        ours = [ref for ref in planned.refs if await _ours(engine, ref)]
        if planned not in stale:
            return await _tag_all(engine, planned, ours[0], say) if ours else []
        if not ours:
            for ref in planned.refs:
                say(ref, 1.0, "a real image is present, kept")
            return []
        async with semaphore:
            await _build_layered(engine, planned, ours[0], say)
        return [ours[0], *await _tag_all(engine, planned, ours[0], say, built=True)]

    for refs in await asyncio.gather(*(one(planned) for planned in layered)):
        done += refs
    if replaced_base is not None:  # only now: the images built on it held it until rebuilt
        await _drop_dangling(engine, replaced_base)
    if cache is not None and (done or not cached):
        say(str(cache), None, "saving the images")
        await _save(engine, cache, [BASE_REF, *(ref for p in layered for ref in p.refs)])
        say(str(cache), 1.0, "saved")
    return done


async def _current(engine: Engine, planned: Planned, *, base_ref: bool = False) -> bool:
    """Every ref of ``planned`` holds an image of this revision (a real image counts as kept)."""
    refs = list(planned.refs)
    if base_ref and not (planned.image.packages or planned.image.files):
        refs = [BASE_REF, *refs]
    for ref in refs:
        image = await _inspect(engine, ref)
        if image is None:
            return False
        found = _image_labels(image)
        if found.get(labels.STANDIN) == "1" and found.get(REVISION) != planned.revision:
            return False
    return True


async def _ours(engine: Engine, ref: str) -> bool:
    """Free for a stand-in: absent, or a stand-in already (never a real, pulled image)."""
    image = await _inspect(engine, ref)
    return image is None or _image_labels(image).get(labels.STANDIN) == "1"


async def _tag_all(
    engine: Engine, planned: Planned, source_ref: str, say: Progress, *, built: bool = False
) -> list[str]:
    """Point every ref at ``source_ref``'s image; a real image is left where it is."""
    source = await _inspect(engine, source_ref)
    if source is None:
        raise DebianPrepareError(f"{source_ref}: missing after its build")
    tagged: list[str] = []
    for ref in planned.refs:
        existing = await _inspect(engine, ref)
        if existing is not None and existing["Id"] == source["Id"]:
            if not built:
                say(ref, 1.0, "up to date")
            continue
        if existing is not None and _image_labels(existing).get(labels.STANDIN) != "1":
            say(ref, 1.0, "a real image is present, kept")
            continue
        repo, tag = split_ref(ref)
        async with asyncio.timeout(30):
            await engine.client.images.tag(source["Id"], repo, tag=tag)
        if existing is not None:
            await _drop_dangling(engine, existing["Id"])
        tagged.append(ref)
        say(ref, 1.0, f"ready ({_size(source)})")
    return tagged


def _size(image: Mapping[str, Any]) -> str:
    return f"{int(image.get('Size') or 0) / 1e6:.0f} MB"


# The base: debootstrap, slimmed, imported.


def _check_host() -> str:
    found = shutil.which("debootstrap") or next(
        (p for p in ("/usr/sbin/debootstrap", "/sbin/debootstrap") if Path(p).exists()), None
    )
    if found is None:
        raise DebianPrepareError("no debootstrap on this host: apt-get install debootstrap")
    if os.geteuid() != 0:
        raise DebianPrepareError("debootstrap needs root: run `sandbox prepare --offline` as root")
    return found


async def _build_base(engine: Engine, base: Planned, mirror: str, say: Progress) -> str | None:
    """The base imported under ``BASE_REF``; returns the id of the image it replaced."""
    debootstrap = await asyncio.to_thread(_check_host)
    root = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="moussaillon-debootstrap-"))
    ref = BASE_REF
    try:
        say(ref, 0.0, f"debootstrap {SUITE} from {mirror}")
        await _debootstrap(debootstrap, root, mirror, lambda f, s: say(ref, f * 0.9, s))
        await asyncio.to_thread(_slim, root)
        say(ref, 0.92, "importing")
        tar = await asyncio.to_thread(_tar_root, root)
        previous = await _inspect(engine, ref)
        await _import(engine, ref, tar, base.image.settings_lines(base.revision))
        say(ref, 1.0, f"imported ({len(tar) / 1e6:.0f} MB)")
        return str(previous["Id"]) if previous is not None else None
    finally:
        await asyncio.to_thread(_remove_root, root)


async def _debootstrap(
    debootstrap: str, root: Path, mirror: str, say: Callable[[float, str], None]
) -> None:
    process = await asyncio.create_subprocess_exec(
        debootstrap,
        "--variant=minbase",
        SUITE,
        str(root),
        mirror,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert process.stdout is not None
    tail: list[str] = []
    seen = 0
    try:
        async with asyncio.timeout(DEBOOTSTRAP_TIMEOUT_S):
            async for raw in process.stdout:
                line = raw.decode(errors="replace").rstrip()
                tail = [*tail[-29:], line]
                if line.startswith("I: "):
                    seen += 1
                    say(min(seen / DEBOOTSTRAP_LINES, 1.0), line[3:][:60])
            code = await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise DebianPrepareError(f"debootstrap took over {DEBOOTSTRAP_TIMEOUT_S:.0f} s") from None
    if code != 0:
        raise DebianPrepareError(f"debootstrap failed ({code}):\n" + "\n".join(tail))


def _slim(root: Path) -> None:
    """No package cache, lists, docs or logs in the layer; dpkg and apt told to keep it so."""
    for relative in REMOVED_FROM_BASE:
        target = root / relative
        if target.is_dir():
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
    for leftover in ("etc/resolv.conf", "etc/hostname"):
        (root / leftover).unlink(missing_ok=True)
    (root / "etc/hostname").write_text("localhost\n")
    (root / "etc/dpkg/dpkg.cfg.d/docker").write_text(DPKG_SLIM)
    (root / "etc/apt/apt.conf.d/docker-clean").write_text(APT_CLEAN)
    (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
    (root / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)


def _tar_root(root: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(str(root), arcname=".", recursive=True)
    return buffer.getvalue()


def _mounts_under(root: Path) -> list[str]:
    prefix = str(root.resolve()) + "/"
    with open("/proc/mounts") as mounts:
        points = [line.split()[1] for line in mounts]
    return sorted((p for p in points if p.startswith(prefix)), reverse=True)


def _remove_root(root: Path) -> None:
    """Remove the build root, never through a mount an interrupted debootstrap left behind."""
    for point in _mounts_under(root):
        os.system(f"umount -l '{point}' 2>/dev/null")
    if _mounts_under(root):
        raise DebianPrepareError(f"{root}: still mounted, left in place")
    shutil.rmtree(root, ignore_errors=True)


# The layered images: the engine's classic builder.


def _context(image: DebianImage, revision: str) -> bytes:
    """Dockerfile + rootfs/, deterministic (mtime 0, root-owned) so the builder's cache holds."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        entries: dict[str, tuple[bytes, int] | None] = {}
        for path, (text, mode) in image.files.items():
            parts = Path("rootfs" + path).parts
            for depth in range(1, len(parts)):
                entries.setdefault("/".join(parts[:depth]), None)
            entries["/".join(parts)] = (text.encode(), mode)
        entries["Dockerfile"] = (image.dockerfile(revision).encode(), 0o644)
        for name, content in sorted(entries.items()):
            info = tarfile.TarInfo(name)
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(content[0]), content[1]
                tar.addfile(info, io.BytesIO(content[0]))
    return buffer.getvalue()


_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)")
_COUNT = re.compile(r"(\d+) newly installed")


async def _build_layered(engine: Engine, planned: Planned, ref: str, say: Progress) -> None:
    context = _context(planned.image, planned.revision)
    proxies = {name: os.environ[name] for name in PROXY_VARIABLES if os.environ.get(name)}
    say(ref, 0.0, "building")
    previous = await _inspect(engine, ref)
    tail: list[str] = []
    packages, done_steps = 0, 0
    try:
        async with asyncio.timeout(BUILD_TIMEOUT_S):
            stream = engine.client.images.build(
                fileobj=io.BytesIO(context),
                encoding="identity",
                tag=ref,
                buildargs=proxies or None,
                rm=True,
                forcerm=True,
                stream=True,
                timeout=None,
            )
            async for event in stream:
                if "error" in event:
                    raise DebianPrepareError(
                        f"{ref}: build failed: {event['error']}\n" + "\n".join(tail)
                    )
                for line in str(event.get("stream") or "").splitlines():
                    tail = [*tail[-29:], line]
                    fraction, status = _build_progress(line, packages)
                    if (found := _COUNT.search(line)) is not None:
                        packages = int(found.group(1))
                    if line.startswith(("Unpacking ", "Setting up ")):
                        done_steps += 1
                        fraction = 0.1 + 0.85 * min(done_steps / max(2 * packages, 1), 1.0)
                    if status:
                        say(ref, fraction, status)
    except TimeoutError:
        raise DebianPrepareError(f"{ref}: build took over {BUILD_TIMEOUT_S:.0f} s") from None
    except aiodocker.DockerError as exc:  # aiodocker raises the stream's error event itself
        raise DebianPrepareError(
            f"{ref}: build failed: {exc.message}\n" + "\n".join(tail)
        ) from None
    if previous is not None and _image_labels(previous).get(labels.STANDIN) == "1":
        await _drop_dangling(engine, previous["Id"])
    built = await _inspect(engine, ref)
    say(ref, 1.0, f"built ({_size(built or {})})")


def _build_progress(line: str, packages: int) -> tuple[float | None, str]:
    step = _STEP.match(line)
    if step is not None:
        return None, f"step {step.group(1)}/{step.group(2)}: {step.group(3)[:50]}"
    if line.startswith(("Get:", "Fetched ")):
        return 0.05, line[:60]
    if line.startswith(("Unpacking ", "Setting up ")) and packages:
        return None, line.split(" (")[0][:60]
    return None, ""


# The cache directory: one ``docker save`` of every image, named by all their revisions.


def _cache_file(cache_dir: Path, everything: list[Planned]) -> Path:
    digest = hashlib.sha256(
        json.dumps(sorted((p.image.key, p.revision, p.refs) for p in everything)).encode()
    )
    return cache_dir / f"moussaillon-debian-{digest.hexdigest()[:16]}.tar"


async def _save(engine: Engine, cache: Path, refs: list[str]) -> None:
    """Written beside, then renamed over the older tarballs: an interrupted save leaves none."""
    await asyncio.to_thread(cache.parent.mkdir, parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial")
    query = urlencode([("names", ref) for ref in dict.fromkeys(refs)])
    out = await asyncio.to_thread(partial.open, "wb")
    try:
        async with asyncio.timeout(CACHE_TIMEOUT_S):
            async with engine.stream(f"images/get?{query}") as response:
                async for chunk in response.content.iter_chunked(1 << 20):
                    await asyncio.to_thread(out.write, chunk)
    finally:
        await asyncio.to_thread(out.close)
    await asyncio.to_thread(_replace_cache, partial, cache)


def _replace_cache(partial: Path, cache: Path) -> None:
    for old in cache.parent.glob("moussaillon-debian-*.tar"):
        if old != cache:
            old.unlink(missing_ok=True)
    partial.replace(cache)


async def _load(engine: Engine, cache: Path) -> None:
    tar = await asyncio.to_thread(cache.open, "rb")
    try:
        async with asyncio.timeout(CACHE_TIMEOUT_S):
            async with engine.stream(
                "images/load?quiet=1",
                "POST",
                data=tar,
                headers={"Content-Type": "application/x-tar"},
            ) as response:
                body = await response.text()
    finally:
        await asyncio.to_thread(tar.close)
    if '"error"' in body:
        raise DebianPrepareError(f"{cache}: load failed: {body[-300:]}")
