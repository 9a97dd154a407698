"""The writable root on an engine that bounds it: a second dockerd of this test only, its data
root on a loop-mounted XFS file system with project quotas (``pquota``), as an operator would
set up the sandbox's engine. The shared engine is never touched."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from moussaillon.areas import migrations
from moussaillon.core.i18n import t
from moussaillon.core.store import Store
from moussaillon.sandbox.engine import create_docker
from moussaillon.sandbox.rootfs import probe
from moussaillon.sandbox.service import CommandResult, SandboxService
from tests.conftest import make_settings
from tests.optional import kernel_lacks, missing
from tests.sandbox.engine_support import FAST

pytestmark = pytest.mark.docker

START_TIMEOUT_S = 30
DISK_MB = 1024  # sparse: only what the engine writes takes host disk
ROOT_MB = 16
XFS_ENABLE = "sudo apt-get install xfsprogs iproute2, as root, on a kernel with XFS quota"
USER = 4343


@dataclass(frozen=True)
class XfsEngine:
    socket: Path
    root: Path


def _need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        missing(
            f"{tool} is not installed (the XFS engine test needs it)",
            f"sudo apt-get install {package}",
        )


def _kernel_log_tail() -> str:
    """The kernel says why an XFS mount failed only in its log (mount prints a generic error)."""
    shown = subprocess.run(["dmesg"], capture_output=True, text=True)
    return "\n".join(shown.stdout.splitlines()[-20:])


def _wait_ready(sock: Path, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        probe_cli = ["docker", "-H", f"unix://{sock}", "version"]
        if subprocess.run(probe_cli, capture_output=True).returncode == 0:
            return
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("the XFS dockerd did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.2)


def _load(sock: Path, refs: list[str]) -> None:
    saved = subprocess.run(["docker", "save", *refs], capture_output=True, check=True)
    subprocess.run(
        ["docker", "-H", f"unix://{sock}", "load"],
        input=saved.stdout,
        capture_output=True,
        check=True,
    )


@pytest.fixture(scope="module")
def xfs_engine(standin_images: dict[str, str]) -> Iterator[XfsEngine]:
    """The stand-ins are asked for so the images copied in are this run's."""
    dockerd = shutil.which("dockerd")
    assert dockerd, "dockerd is not installed: the XFS engine test needs it (see .ci/run)"
    if os.geteuid() != 0:
        missing("a second dockerd on a loop-mounted XFS needs root", "sudo make test")
    for tool, package in (("mkfs.xfs", "xfsprogs"), ("ip", "iproute2"), ("mount", "mount")):
        _need(tool, package)
    host_bridge = Path("/sys/class/net/docker0").exists()
    root = Path(tempfile.mkdtemp(prefix="/tmp/mxfs-"))  # short: unix sockets live under it
    data = root / "data"
    data.mkdir()
    image = root / "disk.xfs"
    with image.open("wb") as disk:
        disk.truncate(DISK_MB * 1024 * 1024)
    subprocess.run(["mkfs.xfs", "-q", str(image)], check=True, capture_output=True)
    mounted = subprocess.run(
        ["mount", "-o", "loop,pquota", str(image), str(data)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        if "quota support not available" in _kernel_log_tail() + mounted.stderr:
            kernel_lacks("XFS project quotas (CONFIG_XFS_QUOTA), which bound a writable root")
        missing(f"XFS with pquota cannot be mounted here ({mounted.stderr.strip()})", XFS_ENABLE)
    bridge = f"mxfs{secrets.token_hex(3)}"  # its own: --bridge none would delete docker0
    net = secrets.randbelow(250)
    (root / "daemon.json").write_text(json.dumps({}))
    sock = root / "docker.sock"
    log_path = root / "dockerd.log"
    log = log_path.open("wb")
    proc: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(["ip", "link", "add", bridge, "type", "bridge"], check=True)
        subprocess.run(["ip", "addr", "add", f"10.233.{net}.1/24", "dev", bridge], check=True)
        proc = subprocess.Popen(
            [
                dockerd,
                "--config-file",
                str(root / "daemon.json"),
                "-H",
                f"unix://{sock}",
                "--data-root",
                str(data / "docker"),
                "--exec-root",
                str(root / "exec"),
                "--pidfile",
                str(root / "dockerd.pid"),
                "--storage-driver",
                "overlay2",
                "--bridge",
                bridge,
                "--iptables=false",
                "--ip-masq=false",
                "--ip-forward=false",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _wait_ready(sock, proc, log_path)
        _load(sock, [standin_images[name] for name in ("alpine", "busybox", "nginx")])
        yield XfsEngine(sock, root)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        subprocess.run(["ip", "link", "del", bridge], capture_output=True)
        subprocess.run(["umount", "-R", str(root / "exec")], capture_output=True)
        subprocess.run(["umount", "-R", str(data)], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    assert not host_bridge or Path("/sys/class/net/docker0").exists(), "docker0 was removed"


@pytest.fixture
async def service(
    xfs_engine: XfsEngine, standin_images: dict[str, str], tmp_path: Path
) -> AsyncIterator[SandboxService]:
    settings = make_settings(
        tmp_path,
        docker_host=f"unix://{xfs_engine.socket}",
        sandbox_images=",".join(f"{k}={standin_images[k]}" for k in ("alpine", "nginx")),
        sandbox_root_mb=ROOT_MB,
        **FAST,
    )
    store = Store(settings.db_path, migrations())
    docker = create_docker(settings)
    svc = SandboxService(settings, store, docker)
    try:
        yield svc
    finally:
        await svc.reset(USER)
        await svc.close()
        await docker.close()
        store.close()


async def run(service: SandboxService, line: str) -> CommandResult:
    return await service.run_command(USER, line, lang="en")


async def test_the_probe_finds_the_bound(service: SandboxService):
    answer = await probe(service.engine, service.settings)
    assert answer.writable is True, answer
    info = await service.engine.get("info")
    assert info["DockerRootDir"].startswith("/tmp/mxfs-")  # the test's engine, not the host's


async def test_a_student_writes_to_the_root(service: SandboxService):
    line = "docker run --rm alpine sh -c 'echo hi > /hello.txt && cat /hello.txt'"
    result = await run(service, line)
    assert result.exit_code == 0 and result.output.strip() == "hi", result
    assert not result.notes, result.notes
    assert service.rootfs.root_mb == ROOT_MB


async def test_writing_past_the_bound_fails_with_enospc_and_says_why(service: SandboxService):
    line = "docker run --rm alpine dd if=/dev/zero of=/big bs=1M count=64"
    result = await run(service, line)
    assert result.exit_code == 1, result
    assert "No space left on device" in result.output, result
    note = t("sandbox.rootfs.note.full", "en", mb=ROOT_MB, tmpfs=FAST["sandbox_tmpfs_mb"])
    assert note in result.notes, result.notes


async def test_nginx_page_edited_and_every_other_limit_still_holds(service: SandboxService):
    started = await run(service, "docker run -d --name web nginx")
    assert started.exit_code == 0, started
    page = "/usr/share/nginx/html/index.html"
    edited = await run(service, f"docker exec web sh -c 'echo bonjour > {page} && cat {page}'")
    assert edited.exit_code == 0 and edited.output.strip() == "bonjour", edited
    internal = service.context(USER).scope.internal("web")
    raw = await service.engine.get(f"containers/{internal}/json")
    host = raw["HostConfig"]
    settings = service.settings
    assert host["ReadonlyRootfs"] is False and host["StorageOpt"] == {"size": f"{ROOT_MB}M"}
    assert host["Memory"] == host["MemorySwap"] == settings.sandbox_memory_mb * 1024 * 1024
    assert host["NanoCpus"] == int(settings.sandbox_cpus * 1e9)
    assert host["PidsLimit"] == settings.sandbox_pids
    assert host["CapDrop"] == ["ALL"] and host["Privileged"] is False
    assert host["SecurityOpt"] == ["no-new-privileges"] and "/tmp" in host["Tmpfs"]
    hog = await run(service, "docker run --rm alpine sh -c 'x=a; while true; do x=$x$x; done'")
    assert hog.exit_code == 137, hog  # the memory limit still kills a hog


async def test_read_only_asked_for_stays_read_only_without_the_note(service: SandboxService):
    result = await run(service, "docker run --rm --read-only alpine touch /x")
    assert result.exit_code == 1 and "Read-only file system" in result.output, result
    assert not result.notes, result.notes
