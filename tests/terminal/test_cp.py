"""``docker cp`` both ways with the real CLI through the endpoint, and tars the chat would refuse.

The local side is a folder of the test (the student's laptop); the container side is the
student's own container on the real engine. A tar climbing out with ``../``, holding a link or
too big is refused before the engine sees it, with the reason the CLI prints.
"""

from __future__ import annotations

import asyncio
import io
import os
import ssl
import tarfile
from pathlib import Path

from moussaillon.core.i18n import t
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint


async def _put(endpoint: Endpoint, certs: Path, target: str, tar: bytes) -> bytes:
    """``PUT target`` with ``tar`` as its body; the whole answer."""
    ctx = ssl.create_default_context(cafile=str(endpoint.certs.authority.ca_path))
    ctx.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
    )
    try:
        writer.write(
            f"PUT {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"Content-Type: application/x-tar\r\nContent-Length: {len(tar)}\r\n\r\n".encode()
            + tar
        )
        async with asyncio.timeout(30):
            return await reader.read()
    finally:
        writer.close()


def _tar(*members: tarfile.TarInfo, data: bytes = b"x") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:") as archive:
        for member in members:
            if member.isreg():
                member.size = len(data)
                archive.addfile(member, io.BytesIO(data))
            else:
                archive.addfile(member)
    return buffer.getvalue()


async def _cli_in(endpoint: Endpoint, certs: Path, cwd: Path, *args: str) -> tuple[int, str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(endpoint.tmp),
        "DOCKER_CONFIG": str(endpoint.tmp / "docker-config"),
        "DOCKER_HOST": f"tcp://127.0.0.1:{endpoint.server.port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
    }
    proc = await asyncio.create_subprocess_exec(
        "docker",
        *args,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(120):
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_cp_out_of_and_into_a_container(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    laptop = endpoint.tmp / "laptop"
    laptop.mkdir()
    code, _, err = await endpoint.cli(
        certs, "run", "-d", "--name", "web", "-v", "pages:/usr/share/nginx/html", "nginx"
    )
    assert code == 0, err
    code, out, err = await _cli_in(endpoint, certs, laptop, "cp", "web:/etc/hostname", ".")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "inspect", "-f", "{{.Config.Hostname}}", "web")
    assert (laptop / "hostname").read_text().strip() == out.strip(), err
    (laptop / "file").write_text("hello from the laptop\n")
    code, out, err = await _cli_in(endpoint, certs, laptop, "cp", "./file", "web:/tmp/")
    read_only = (await endpoint.service.engine.get(f"containers/m-u{clean_user_id}-web/json"))[
        "HostConfig"
    ]["ReadonlyRootfs"]
    if read_only:  # the engine's own refusal, as with docker: /tmp is a tmpfs, not a volume
        assert code == 1 and "container rootfs is marked read-only" in err, err
    else:
        assert code == 0, err
    html = "web:/usr/share/nginx/html/"
    code, out, err = await _cli_in(endpoint, certs, laptop, "cp", "./file", html)
    assert code == 0, err
    code, out, err = await _cli_in(endpoint, certs, laptop, "cp", html + "file", "back")
    assert code == 0, err
    assert (laptop / "back").read_text() == "hello from the laptop\n"
    (laptop / "site" / "css").mkdir(parents=True)
    (laptop / "site" / "index.html").write_text("<h1>mine</h1>\n")
    (laptop / "site" / "css" / "main.css").write_text("h1 {}\n")
    code, out, err = await _cli_in(endpoint, certs, laptop, "cp", "site", html)
    assert code == 0, err
    code, out, err = await _cli_in(endpoint, certs, laptop, "cp", html + "site", "again")
    assert code == 0, err
    assert (laptop / "again" / "css" / "main.css").read_text() == "h1 {}\n"
    limits = endpoint.service.engine_api().transfer_limits()
    (laptop / "big").write_bytes(b"\0" * (limits.max_archive + 1))
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "big", html)
    wanted = t("sandbox.transfer.upload_too_big", limit=limits.max_archive // 1024)
    assert code == 1 and f"Error response from daemon: {wanted}" in err, err
    (laptop / "wide").write_bytes(b"\0" * (limits.max_file + 1))
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "wide", html)
    assert code == 1 and "Error response from daemon: wide " in err, err
    for name in ("big", "wide"):  # nothing reached the container
        code, _, err = await _cli_in(endpoint, certs, laptop, "cp", html + name, "gone")
        assert code == 1 and "Could not find the file" in err, err
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "web:/nope", ".")
    assert code != 0 and "Could not find the file /nope in container web" in err, err
    journal = endpoint.service.store.read_sync(
        lambda db: [
            r["command"] for r in db["sandbox_commands"].rows_where("user_id = ?", [clean_user_id])
        ]
    )
    assert "api cp" in journal


async def test_another_students_container_cannot_be_copied(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    made = await endpoint.service.run_command(bob, "docker run -d --name secret nginx")
    assert made.exit_code == 0, made
    certs = await endpoint.student(alice)
    laptop = endpoint.tmp / "laptop"
    laptop.mkdir()
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "secret:/etc/hostname", ".")
    assert code != 0 and "No such container" in err and "secret" in err, err
    (laptop / "file").write_text("x")
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "file", "secret:/tmp/")
    assert code == 1 and err.endswith("no such directory\n"), err  # as on docker's engine
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "file", "secret:/tmp/f")
    assert code != 0 and "Error response from daemon: No such container: secret" in err, err
    assert not list(laptop.glob("hostname"))


async def test_a_tar_climbing_out_or_with_links_never_reaches_the_engine(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "web", "nginx")
    assert code == 0, err
    target = "/v1.41/containers/web/archive?path=/tmp"
    climbing = _tar(tarfile.TarInfo("../../etc/evil"))
    answer = await _put(endpoint, certs, target, climbing)
    assert answer.startswith(b"HTTP/1.1 403 ") or answer.startswith(b"HTTP/1.1 400 "), answer
    wanted = t("sandbox.transfer.upload_outside", path="../../etc/evil")
    assert wanted.encode() in answer, answer
    link = tarfile.TarInfo("passwd")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    answer = await _put(endpoint, certs, target, _tar(link))
    assert t("sandbox.transfer.upload_link", path="passwd", target="/etc/passwd").encode() in answer
    absolute = _tar(tarfile.TarInfo("/etc/evil"))
    answer = await _put(endpoint, certs, target, absolute)
    assert b"/etc/evil" in answer and not answer.startswith(b"HTTP/1.1 200 "), answer
    limit = endpoint.service.engine_api().transfer_limit()
    huge = _tar(tarfile.TarInfo("big"), data=b"\0" * (limit + 1))
    answer = await _put(endpoint, certs, target, huge)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert t("sandbox.transfer.upload_too_big", limit=limit // 1024).encode() in answer
    code, out, _ = await endpoint.cli(certs, "diff", "web")
    assert code == 0 and "evil" not in out and "passwd" not in out and "big" not in out, out
    # Nothing landed: the engine's own copy back says so.
    laptop = endpoint.tmp / "laptop"
    laptop.mkdir()
    code, _, err = await _cli_in(endpoint, certs, laptop, "cp", "web:/tmp/passwd", ".")
    assert code != 0 and "Could not find the file" in err
