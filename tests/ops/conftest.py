"""A second Docker engine, reachable only over mutual TLS on 127.0.0.1, with certificates made
here by the openssl CLI. It stands for the compose file's ``sandbox-engine``: the test must
prove the app reaches an engine that is not the host's socket, and that the engine refuses a
client without the certificate."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.optional import missing

START_TIMEOUT_S = 30


@dataclass(frozen=True)
class TlsEngine:
    host: str  # tcp://127.0.0.1:<port>
    socket: Path  # the same daemon's local socket, to load images without TLS
    certs: Path  # ca.pem, cert.pem, key.pem for the client, as DOCKER_CERT_PATH holds them
    root: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(folder: Path, name: str = "ca") -> None:
    """A CA, a server certificate for 127.0.0.1/localhost and a client one, as dind makes them."""
    folder.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        f"/CN={name}",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
        cwd=folder,
    )
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
    )
    (folder / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    for who, ext in (("server", "server.ext"), ("client", "client.ext")):
        _openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            f"/CN={who}",
            "-keyout",
            f"{who}-key.pem",
            "-out",
            f"{who}.csr",
            cwd=folder,
        )
        _openssl(
            "x509",
            "-req",
            "-in",
            f"{who}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            ext,
            "-out",
            f"{who}-cert.pem",
            cwd=folder,
        )
    client = folder / "client"
    client.mkdir()
    shutil.copy(folder / "ca.pem", client / "ca.pem")
    shutil.copy(folder / "client-cert.pem", client / "cert.pem")
    shutil.copy(folder / "client-key.pem", client / "key.pem")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def tls_engine(standin_images: dict[str, str]) -> Iterator[TlsEngine]:
    """The stand-ins are asked for so the busybox image copied in is this run's, not whatever
    another process left on the host engine."""
    dockerd = shutil.which("dockerd")
    assert dockerd, "dockerd is not installed: the TLS engine test needs it (see .ci/run)"
    if os.geteuid() != 0:
        missing("a second dockerd (the TLS engine test) needs root", "sudo make test")
    for tool, package in (("openssl", "openssl"), ("ip", "iproute2")):
        if shutil.which(tool) is None:
            missing(
                f"{tool} is not installed (the TLS engine test needs it)",
                f"sudo apt-get install {package}",
            )
    # Short path: the daemon's unix sockets live under it and must fit in 108 bytes.
    host_bridge = Path("/sys/class/net/docker0").exists()
    root = Path(tempfile.mkdtemp(prefix="/tmp/mtls-"))
    make_certificates(root / "pki")
    (root / "daemon.json").write_text(json.dumps({}))
    port = _free_port()
    # Its own bridge: with `--bridge none` dockerd deletes the interface named docker0, which
    # is the HOST engine's default bridge (same network namespace) and breaks its containers.
    bridge = f"mtls{port}"
    subprocess.run(["ip", "link", "add", bridge, "type", "bridge"], check=True)
    subprocess.run(["ip", "addr", "add", f"10.231.{port % 250}.1/24", "dev", bridge], check=True)
    sock = root / "docker.sock"
    log = (root / "dockerd.log").open("wb")
    proc = subprocess.Popen(
        [
            dockerd,
            "--config-file",
            str(root / "daemon.json"),
            "--tlsverify",
            "--tlscacert",
            str(root / "pki/ca.pem"),
            "--tlscert",
            str(root / "pki/server-cert.pem"),
            "--tlskey",
            str(root / "pki/server-key.pem"),
            "-H",
            f"tcp://127.0.0.1:{port}",
            "-H",
            f"unix://{sock}",
            "--data-root",
            str(root / "data"),
            "--exec-root",
            str(root / "exec"),
            "--pidfile",
            str(root / "dockerd.pid"),
            "--bridge",
            bridge,
            "--iptables=false",
            "--ip-masq=false",
            "--ip-forward=false",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            ready = (
                subprocess.run(
                    ["docker", "-H", f"unix://{sock}", "version"], capture_output=True
                ).returncode
                == 0
            )
            if ready:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    "the second dockerd did not start:\n"
                    + (root / "dockerd.log").read_text()[-3000:]
                )
            time.sleep(0.2)
        yield TlsEngine(f"tcp://127.0.0.1:{port}", sock, root / "pki/client", root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        subprocess.run(["ip", "link", "del", bridge], capture_output=True)
        subprocess.run(["umount", "-R", str(root / "exec")], capture_output=True)
        subprocess.run(["umount", "-R", str(root / "data")], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    assert not host_bridge or Path("/sys/class/net/docker0").exists(), "docker0 was removed"


class LogCapture:
    """Root logging through ``configure_logging`` into memory; the handlers are put back after."""

    def __init__(self) -> None:
        import io

        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.startswith("{")]

    async def wait_for(self, predicate, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        import asyncio

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines():
                if predicate(line):
                    return line
            await asyncio.sleep(0.02)
        raise AssertionError(f"no such log line in:\n{self.text[-3000:]}")


@pytest.fixture
def capture_logs() -> Iterator[callable]:
    import logging

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    names = ("httpx", "telegram", "telegram.ext.ExtBot", "httpcore")
    levels = {
        name: (logging.getLogger(name).level, logging.getLogger(name).disabled) for name in names
    }

    def configure(settings) -> LogCapture:
        from moussaillon.ops.logging import configure_logging

        capture = LogCapture()
        configure_logging(settings, capture.stream)
        return capture

    try:
        yield configure
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        for name, (level, disabled) in levels.items():
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).disabled = disabled
