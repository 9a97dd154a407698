"""Shared fixtures for the sandbox tests: a real engine, the offline stand-ins, a clean owner.

Tests that need Docker FAIL when the engine is missing: a green run must mean the sandbox was
really exercised.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import itertools
import os
import shutil
import tempfile
import threading
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import aiodocker
import pytest

from moussaillon.core.clock import iso, utcnow
from moussaillon.sandbox import labels
from moussaillon.sandbox.debian_images import DEFAULT_MIRROR, IMAGES, SUITE
from moussaillon.sandbox.debian_prepare import _current, plan, prepare_debian
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.prepare import RECIPES, prepare_offline
from moussaillon.sandbox.reaper import list_stock, purge_owner
from tests.optional import missing

STANDIN_IMAGES: dict[str, str] = {name: f"{name}:latest" for name in RECIPES}
DEBIAN_IMAGES: dict[str, str] = {
    tag: tag if ":" in tag else f"{tag}:latest" for image in IMAGES.values() for tag in image.tags
}
DEBOOTSTRAP_ENABLE = "sudo apt-get install debootstrap, run the tests as root with Debian's mirror"
# As .ci/run registers it: ptrace needs no KVM, and the sandbox needs no network of gVisor's own.
RUNSC_ENABLE = (
    "sudo apt-get install runsc && sudo runsc install -- --platform=ptrace --network=none"
    " && sudo systemctl restart docker"
)
_user_ids = itertools.count(int(f"9{os.getpid() % 100000:05d}000"))


async def _connect() -> aiodocker.Docker:
    try:
        docker = aiodocker.Docker()
    except Exception as exc:
        pytest.fail(f"Docker engine unreachable (these tests need one): {exc}", pytrace=False)
    try:
        async with asyncio.timeout(10):
            await docker.version()
    except Exception as exc:
        await docker.close()
        pytest.fail(f"Docker engine unreachable (these tests need one): {exc}", pytrace=False)
    return docker


@pytest.fixture
async def docker() -> AsyncIterator[aiodocker.Docker]:
    """An aiodocker client on the real engine, closed after the test."""
    client = await _connect()
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def runsc_runtime(docker: aiodocker.Docker) -> str:
    """The gVisor runtime's name, as this test's engine reports it now (no other process's
    word for it); a skip (a failure under CI) with the command registering it when absent."""
    runtimes = (await docker.system.info()).get("Runtimes") or {}
    if "runsc" not in runtimes:
        missing(
            f"the Docker engine has no runsc runtime (it has: {', '.join(runtimes)})", RUNSC_ENABLE
        )
    return "runsc"


def _in_own_loop(coro_fn):  # type: ignore[no-untyped-def]
    """Run a coroutine on a fresh loop in a thread, whatever loop pytest-asyncio has open."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro_fn())
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target, name="standin-prepare")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]


@contextlib.contextmanager
def _one_builder(name: str) -> Iterator[None]:
    """One process at a time prepares the engine's shared images: each xdist worker (and any
    other run on the same engine) has its own session, and two builds of one tag would race."""
    path = Path(tempfile.gettempdir()) / f"moussaillon-tests-{name}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def standin_images() -> dict[str, str]:
    """Course name -> local ref of every stand-in, built once per session (kept if current)."""

    async def prepare() -> list[str]:
        client = await _connect()
        try:
            return await prepare_offline(Engine(client), STANDIN_IMAGES)
        finally:
            await client.close()

    with _one_builder("standin-images"):
        _in_own_loop(prepare)
    return dict(STANDIN_IMAGES)


@pytest.fixture(scope="session")
def debian_images() -> dict[str, str]:
    """Course name -> local ref of every Debian-based offline image (``debian:12``, ``gcc``,
    ``node:20``, ``php:8.2-apache``, ``mariadb:11`` …), prepared once; the engine keeps them
    between runs and only a changed recipe is rebuilt. Building needs root, debootstrap and
    Debian's mirror: without them a skip, a failure under CI."""

    async def current() -> bool:
        client = await _connect()
        try:
            base, layered = plan(DEBIAN_IMAGES)
            return all([await _current(Engine(client), p, base_ref=True) for p in [base, *layered]])
        finally:
            await client.close()

    async def prepare() -> list[str]:
        client = await _connect()
        try:
            return await prepare_debian(Engine(client), DEBIAN_IMAGES)
        finally:
            await client.close()

    with _one_builder("debian-images"):
        if not _in_own_loop(current):
            mirror = os.environ.get("DEBIAN_MIRROR") or DEFAULT_MIRROR
            if shutil.which("debootstrap") is None or os.geteuid() != 0:
                missing(
                    "building the Debian-based images needs root and debootstrap",
                    DEBOOTSTRAP_ENABLE,
                )
            try:
                release = f"{mirror}/dists/{SUITE}/Release"
                with urllib.request.urlopen(release, timeout=10) as response:
                    response.read(1)
            except OSError as exc:
                missing(f"Debian's mirror {mirror} is unreachable ({exc})", DEBOOTSTRAP_ENABLE)
            _in_own_loop(prepare)
    return dict(DEBIAN_IMAGES)


def _purge(owners: list[str]) -> None:
    async def purge() -> list[str]:
        client = await _connect()
        problems: list[str] = []
        try:
            for owner in owners:
                report = await purge_owner(Engine(client), owner)
                left = await list_stock(Engine(client), owner)
                problems += report.errors + [
                    f"{owner}: {item.get('Id') or item.get('Name')}"
                    for item in (*left.containers, *left.networks, *left.volumes)
                ]
        finally:
            await client.close()
        return problems

    leftovers = _in_own_loop(purge)
    assert not leftovers, f"sandbox objects survived clean-up: {leftovers}"


@pytest.fixture
def clean_user_id() -> Iterator[int]:
    """A user id no other test uses; every sandbox object of its owner is removed afterwards."""
    user_id = next(_user_ids)
    try:
        yield user_id
    finally:
        _purge([labels.owner_key(user_id)])


@pytest.fixture
def make_user_id() -> Iterator[Callable[[], int]]:
    """A factory of fresh user ids (several students in one test), all cleaned up afterwards."""
    made: list[int] = []

    def make() -> int:
        made.append(next(_user_ids))
        return made[-1]

    try:
        yield make
    finally:
        _purge([labels.owner_key(user_id) for user_id in made])


@pytest.fixture
def clean_owner(clean_user_id: int) -> str:
    """The owner key (``u<id>``) of ``clean_user_id``; same clean-up."""
    return labels.owner_key(clean_user_id)


def sandbox_labels(owner: str, name: str = "") -> dict[str, str]:
    """The labels the executor puts on an object, for tests that create objects by hand."""
    stamp = iso(utcnow())
    return {
        labels.SANDBOX: "1",
        labels.OWNER: owner,
        labels.NAME: name,
        labels.CREATED: stamp,
        labels.LAST_USED: stamp,
    }
