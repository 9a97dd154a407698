"""The container lifecycle and observation routes, with the real docker CLI through the endpoint.

Each command is what a student types in their own terminal; the endpoint serves it through the
chat's pipeline and executors, against the real engine, so the journal, the scope and the
chat's rules are checked with the CLI's own output.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from pathlib import Path

from moussaillon.core.i18n import t
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint


async def _read_all(endpoint: Endpoint, certs: Path, line: str) -> bytes:
    """One request on its own connection, and everything until the endpoint closes it."""
    ctx = ssl.create_default_context(cafile=str(endpoint.certs.authority.ca_path))
    ctx.load_cert_chain(str(certs / "cert.pem"), str(certs / "key.pem"))
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", endpoint.server.port, ssl=ctx, server_hostname="localhost"
    )
    try:
        writer.write(f"{line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        async with asyncio.timeout(30):
            return await reader.read()
    finally:
        writer.close()


def _journal(endpoint: Endpoint, user_id: int) -> list[str]:
    return endpoint.service.store.read_sync(
        lambda db: [
            r["command"] for r in db["sandbox_commands"].rows_where("user_id = ?", [user_id])
        ]
    )


async def test_stop_restart_pause_rename_top_stats_prune(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    cli = endpoint.cli
    code, _, err = await cli(certs, "run", "-d", "--name", "web", "-p", "8080:80", "nginx")
    assert code == 0, err
    code, out, err = await cli(certs, "port", "web")
    assert (code, out) == (0, "80/tcp -> 0.0.0.0:8080\n"), err
    code, out, err = await cli(certs, "stop", "-t", "1", "web")
    assert (code, out) == (0, "web\n"), err
    code, out, err = await cli(certs, "ps", "-a", "--format", "{{.Names}} {{.State}}")
    assert (code, out) == (0, "web exited\n"), err
    code, out, err = await cli(certs, "restart", "-t", "1", "web")
    assert (code, out) == (0, "web\n"), err
    code, out, err = await cli(certs, "pause", "web")
    assert (code, out) == (0, "web\n"), err
    code, out, err = await cli(certs, "ps", "--format", "{{.Names}} {{.State}}")
    assert (code, out) == (0, "web paused\n"), err
    code, out, err = await cli(certs, "unpause", "web")
    assert (code, out) == (0, "web\n"), err
    code, out, err = await cli(certs, "rename", "web", "web2")
    assert code == 0, err
    code, out, err = await cli(certs, "ps", "--format", "{{.Names}}")
    assert (code, out) == (0, "web2\n"), err
    code, out, err = await cli(certs, "top", "web2")
    assert code == 0, err
    assert out.splitlines()[0].split()[:2] == ["UID", "PID"] and "httpd" in out, out
    code, out, err = await cli(certs, "top", "web2", "-o", "pid,comm")
    assert code == 0 and out.split()[:2] == ["PID", "COMMAND"], (out, err)
    code, out, err = await cli(certs, "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}")
    assert code == 0, err
    name, usage = out.strip().split(" ", 1)
    assert name == "web2" and "/ 64MiB" in usage, out
    code, out, err = await cli(certs, "diff", "web2")
    assert code == 0 and "/usr/local/apache2" not in out, (out, err)
    code, _, err = await cli(certs, "kill", "web2")
    assert code == 0, err
    code, _, err = await cli(certs, "create", "--name", "idle", "alpine", "true")
    assert code == 0, err
    code, out, err = await cli(certs, "container", "prune", "-f")
    assert code == 0, err
    assert out.count("\n") >= 3 and "Total reclaimed space: 0B" in out, out
    code, out, err = await cli(certs, "ps", "-a", "-q")
    assert (code, out) == (0, ""), err
    journal = _journal(endpoint, clean_user_id)
    for action in ("stop", "restart", "pause", "unpause", "rename", "top", "stats", "prune"):
        assert f"api {action}" in journal, (action, journal)


async def test_refusals_print_the_daemons_reason(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    made = await endpoint.service.run_command(bob, "docker run -d --name secret alpine sleep 60")
    assert made.exit_code == 0, made
    certs = await endpoint.student(alice)
    cli = endpoint.cli
    code, _, err = await cli(certs, "stop", "secret")
    assert code != 0 and "Error response from daemon: No such container: secret" in err
    code, _, err = await cli(certs, "kill", "secret")
    assert code != 0 and "Error response from daemon: " in err and "No such container" in err
    code, _, err = await cli(certs, "rename", "secret", "mine")
    assert code != 0 and "Error response from daemon: No such container: secret" in err
    code, _, err = await cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
    assert code == 0, err
    code, _, err = await cli(certs, "kill", "-s", "NOPE;rm", "web")
    assert code != 0 and "Error response from daemon: Invalid signal: NOPE;rm" in err
    code, _, err = await cli(certs, "kill", "-s", "SIGBOGUS", "web")
    assert code != 0 and "Error response from daemon: " in err and "SIGBOGUS" in err
    code, _, err = await cli(certs, "top", "web", "-e;cat")
    assert code != 0
    assert "Error response from daemon: " + t("sandbox.refused.top_args", arg="-e;cat") in err
    code, _, err = await cli(certs, "rename", "web", "bad/name")
    assert code != 0 and "Error response from daemon: " in err
    # Bob's ``secret`` is no clash for Alice, and Bob's container is untouched.
    code, _, err = await cli(certs, "rename", "web", "secret")
    assert code == 0, err
    code, _, err = await cli(certs, "create", "--name", "other", "alpine", "true")
    assert code == 0, err
    code, _, err = await cli(certs, "rename", "other", "secret")
    assert code != 0 and 'The container name "/secret" is already in use' in err
    assert "m-u" not in err
    still = await endpoint.service.run_command(bob, "docker ps --format {{.Names}}")
    assert still.output.strip() == "secret"
    code, _, err = await cli(certs, "container", "prune", "-f", "--filter", "until=1h")
    assert code != 0 and "Error response from daemon: " + t("terminal.prune_filters") in err
    code, _, err = await cli(certs, "top", "web", *["-o"] * 17)
    assert code != 0 and t("terminal.top_too_many", limit=16) in err
    code, out, err = await cli(certs, "container", "prune", "-f")
    assert code == 0 and "Deleted Containers" in out, (out, err)
    still = await endpoint.service.run_command(bob, "docker ps -a --format {{.Names}}")
    assert still.output.strip() == "secret"


async def test_logs_follow_streams_until_the_cli_leaves(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    script = "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done"
    code, _, err = await endpoint.cli(
        certs, "run", "-d", "--name", "web", "alpine", "sh", "-c", script
    )
    assert code == 0, err
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
        "logs",
        "-f",
        "web",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    seen = []
    async with asyncio.timeout(30):
        while len(seen) < 8:
            seen.append((await proc.stdout.readline()).decode())
    assert seen[0] == "line 0\n" and seen[7] == "line 7\n", seen
    assert len(endpoint.server._tasks) == 1  # run -d's wait ended with its CLI
    proc.kill()
    await proc.wait()
    async with asyncio.timeout(10):  # the endpoint noticed and let the stream go
        while endpoint.server._tasks:
            await asyncio.sleep(0.1)
    # An idle container's follow writes nothing: the endpoint sees the CLI leave all the same.
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "idle", "nginx")
    assert code == 0, err
    proc = await asyncio.create_subprocess_exec(
        "docker", "logs", "-f", "idle", env=env, stdout=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(30):
        while not endpoint.server._tasks:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    proc.kill()
    await proc.wait()
    async with asyncio.timeout(5):
        while endpoint.server._tasks:
            await asyncio.sleep(0.05)
    code, out, err = await endpoint.cli(certs, "ps", "--format", "{{.Names}}")
    assert (code, out) == (0, "idle\nweb\n"), err  # both still running: run -d is not timed
    code, _, err = await endpoint.cli(certs, "logs", "-f", "--tail", "x", "idle")
    assert code != 0 and "Error response from daemon: " + t("terminal.bad_tail", value="x") in err
    # A streamed docker stats shows its row, and ends with its CLI too.
    proc = await asyncio.create_subprocess_exec(
        "docker", "stats", "--format", "{{.Name}}", "idle", env=env, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    async with asyncio.timeout(30):
        row = await proc.stdout.readline()
    assert b"idle" in row, row
    proc.kill()
    await proc.wait()
    async with asyncio.timeout(5):
        while endpoint.server._tasks:
            await asyncio.sleep(0.05)
    # A container that stops ends its follow: the CLI exits by itself.
    code, _, err = await endpoint.cli(
        certs, "run", "-d", "--name", "short", "alpine", "sh", "-c", "echo a; sleep 1; echo b"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "logs", "-f", "short")
    assert (code, out) == (0, "a\nb\n"), err


async def test_a_quiet_follow_and_a_stats_stream_end_with_their_life(
    docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path,
    clean_user_id: int,
) -> None:
    from tests.terminal.conftest import open_endpoint

    async with open_endpoint(docker, standin_images, tmp_path, terminal_stream_max_s=3) as ep:
        certs = await ep.student(clean_user_id)
        code, _, err = await ep.cli(
            certs, "run", "-d", "--name", "quiet", "alpine", "sh", "-c", "echo hi; sleep 60"
        )
        assert code == 0, err
        started = asyncio.get_running_loop().time()
        code, out, err = await ep.cli(certs, "logs", "-f", "quiet")
        took = asyncio.get_running_loop().time() - started
        assert (code, out) == (0, "hi\n"), err
        assert 2.5 < took < 15, took
        started = asyncio.get_running_loop().time()
        answer = await _read_all(ep, certs, "GET /v1.41/containers/quiet/stats?stream=1")
        took = asyncio.get_running_loop().time() - started
        assert answer.startswith(b"HTTP/1.1 200 ") and b'"name":"/quiet"' in answer, answer
        assert answer.endswith(b"0\r\n\r\n") and 2.5 < took < 15, took


async def test_a_follow_ends_at_its_byte_cap(
    docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path,
    clean_user_id: int,
) -> None:
    from tests.terminal.conftest import open_endpoint

    limits = {"terminal_follow_max_mb": 1, "sandbox_timeout_s": 30}
    async with open_endpoint(docker, standin_images, tmp_path, **limits) as ep:
        certs = await ep.student(clean_user_id)
        chunk = "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 50000"
        script = f"sleep 2; for i in $(seq 36); do {chunk}; sleep 0.1; done; sleep 60"
        code, _, err = await ep.cli(
            certs, "run", "-d", "--name", "loud", "alpine", "sh", "-c", script
        )
        assert code == 0, err
        code, out, err = await ep.cli(certs, "logs", "-f", "loud")  # before the first line
        assert code == 0, err
        assert 1024 * 1024 <= len(out) <= 1024 * 1024 + 64 * 1024, len(out)
        assert out.startswith("0123456789abcdefghijklmnopqrstuvwxyz\n")


async def test_port_shows_what_the_student_published(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(
        certs, "run", "-d", "--name", "web", "-p", "127.0.0.1:8081:80", "-p", "53/udp", "nginx"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "port", "web")
    assert code == 0, err
    lines = out.splitlines()
    assert "80/tcp -> 127.0.0.1:8081" in lines, lines
    assert [line for line in lines if line.startswith("53/udp -> 0.0.0.0:")], lines
    code, out, err = await endpoint.cli(certs, "port", "web", "80")
    assert (code, out) == (0, "127.0.0.1:8081\n"), err
    code, out, err = await endpoint.cli(
        certs, "inspect", "-f", "{{json .HostConfig.PortBindings}}", "web"
    )
    assert code == 0 and '"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8081"}]' in out, out


async def test_stats_one_shot_is_the_engines_json_without_prefixes(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
    assert code == 0, err
    answer = await _read_all(endpoint, certs, "GET /v1.41/containers/web/stats?stream=0")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 "), head
    found = json.loads(body)
    assert found["name"] == "/web" and "m-u" not in body.decode()
