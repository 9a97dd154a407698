"""Hijacked streams both ways with the real docker CLI in a pseudo-terminal: ``run -it``,
``exec -it``, ``attach``, ``start -ai``, piped stdin, resizes, and the streams' bounds."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiodocker

from moussaillon.core.i18n import t
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint, open_endpoint
from tests.terminal.pty_cli import cli_env, spawn

PROMPT = r"[#$] "


def env(endpoint: Endpoint, certs: Path) -> dict[str, str]:
    return cli_env(endpoint.tmp, endpoint.server.port, certs)


def journal(endpoint: Endpoint, user_id: int) -> list[str]:
    return endpoint.service.store.read_sync(
        lambda db: [
            r["command"] for r in db["sandbox_commands"].rows_where("user_id = ?", [user_id])
        ]
    )


async def resizes(endpoint: Endpoint, user_id: int, count: int, entry: str = "api resize") -> None:
    async with asyncio.timeout(20):
        while journal(endpoint, user_id).count(entry) < count:
            await asyncio.sleep(0.05)


async def piped(endpoint: Endpoint, certs: Path, stdin: bytes, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        "docker",
        *args,
        env=env(endpoint, certs),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await proc.communicate(stdin)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_run_it_shell_types_sees_and_exits_with_its_code(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    async with spawn(["docker", "run", "-it", "--rm", "alpine", "sh"], env(endpoint, certs)) as cli:
        await cli.expect(PROMPT)
        cli.send("echo $((6*7))\r")
        await cli.expect(r"\r\n42\r\n")
        cli.send("sleep 60\r")
        await asyncio.sleep(0.5)
        cli.send(b"\x03")  # ctrl-C goes to the TTY: the shell's job ends, the shell does not
        cli.send("echo status=$?\r")
        await cli.expect(r"status=130")
        cli.send("exit 5\r")
        assert await cli.wait() == 5


async def test_piped_stdin_reaches_cat_and_its_end_ends_it(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await piped(endpoint, certs, b"hello\n", "run", "-i", "--rm", "alpine", "cat")
    assert (code, out) == (0, "hello\n"), err
    text = "".join(f"line {i}\n" for i in range(5000))
    code, out, err = await piped(
        endpoint, certs, text.encode(), "run", "-i", "--rm", "alpine", "wc", "-l"
    )
    assert (code, out.strip()) == (0, "5000"), err


async def test_exec_runs_once_interactively_and_detached(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "300")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "exec", "web", "ls", "/")
    assert code == 0 and "bin\n" in out and "etc\n" in out, err
    code, out, err = await endpoint.cli(certs, "exec", "web", "sh", "-c", "echo oops >&2; exit 4")
    assert (code, out, err) == (4, "", "oops\n")
    code, out, err = await piped(endpoint, certs, b"abc\n", "exec", "-i", "web", "cat")
    assert (code, out) == (0, "abc\n"), err
    code, _, err = await endpoint.cli(certs, "exec", "-d", "web", "touch", "/tmp/made")
    assert code == 0, err
    await asyncio.sleep(0.5)
    code, _, err = await endpoint.cli(certs, "exec", "web", "test", "-f", "/tmp/made")
    assert code == 0, err
    exec_it = ["docker", "exec", "-it", "web", "sh"]
    async with spawn(exec_it, env(endpoint, certs), rows=33, cols=99) as cli:
        await cli.expect(PROMPT)
        await resizes(endpoint, clean_user_id, 1, "api exec resize")
        cli.send("stty size\r")
        await cli.expect(r"\r\n33 99\r\n")
        cli.send("echo hi\r")
        await cli.expect(r"\r\nhi\r\n")
        cli.send("exit 3\r")
        assert await cli.wait() == 3
    code, _, err = await endpoint.cli(certs, "exec", "--privileged", "web", "true")
    assert code != 0 and t("sandbox.refused.privileged") in err
    assert {"api exec", "api exec start"} <= set(journal(endpoint, clean_user_id))


async def test_attach_detach_keys_and_start_ai(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "run", "-dit", "--name", "box", "alpine", "sh")
    assert code == 0, err
    async with spawn(["docker", "attach", "box"], env(endpoint, certs)) as cli:
        cli.send("echo $((2+3))\r")
        await cli.expect(r"\r\n5\r\n")
        cli.send(b"\x10\x11")  # ctrl-p ctrl-q: detached, the shell lives on
        await cli.expect("read escape sequence")
        await cli.wait()
    code, out, err = await endpoint.cli(certs, "ps", "--format", "{{.Names}} {{.State}}")
    assert (code, out) == (0, "box running\n"), err
    async with spawn(["docker", "attach", "box"], env(endpoint, certs)) as cli:
        cli.send("echo again\r")
        await cli.expect(r"\r\nagain\r\n")
        cli.send("exit 7\r")
        assert await cli.wait() == 7
    code, _, err = await endpoint.cli(certs, "create", "-it", "--name", "later", "alpine", "sh")
    assert code == 0, err
    async with spawn(["docker", "start", "-ai", "later"], env(endpoint, certs)) as cli:
        await cli.expect(PROMPT)
        cli.send("echo started\r")
        await cli.expect(r"\r\nstarted\r\n")
        cli.send("exit 4\r")
        assert await cli.wait() == 4


async def test_window_resizes_reach_the_tty_and_absurd_sizes_are_refused(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    args = ["docker", "run", "-it", "--rm", "alpine", "sh"]
    async with spawn(args, env(endpoint, certs), rows=24, cols=80) as cli:
        await cli.expect(PROMPT)
        # the CLI sizes the TTY once started, then listens for window changes
        await resizes(endpoint, clean_user_id, 1)
        cli.send("stty size\r")
        await cli.expect(r"\r\n24 80\r\n")
        mark = len(cli.screen)
        cli.resize(30, 100)
        await resizes(endpoint, clean_user_id, 2)
        cli.send("stty size\r")
        await cli.expect(r"\r\n30 100\r\n", since=mark)
        cli.send("exit\r")
        assert await cli.wait() == 0
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
    assert code == 0, err
    head = "Host: x\r\nContent-Length: 0\r\n\r\n"
    answer = await endpoint.raw(
        f"POST /v1.41/containers/web/resize?h=5000&w=80 HTTP/1.1\r\n{head}".encode(), certs
    )
    assert answer.startswith(b"HTTP/1.1 400") and b"at most 1000" in answer


async def test_another_students_exec_id_is_no_such_exec(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    alice_certs, bob_certs = await endpoint.student(alice), await endpoint.student(bob)
    code, _, err = await endpoint.cli(
        alice_certs, "run", "-d", "--name", "web", "alpine", "sleep", "60"
    )
    assert code == 0, err
    created = await endpoint.service.engine_api().exec_create(alice, "web", {"Cmd": ["true"]})
    exec_id = created["Id"]
    head = "Host: x\r\nContent-Length: 0\r\n\r\n"
    mine = await endpoint.raw(
        f"GET /v1.41/exec/{exec_id}/json HTTP/1.1\r\n{head}".encode(), alice_certs
    )
    assert mine.startswith(b"HTTP/1.1 200") and exec_id.encode() in mine
    for request in (
        f"GET /v1.41/exec/{exec_id}/json",
        f"POST /v1.41/exec/{exec_id}/resize?h=1&w=1",
    ):
        theirs = await endpoint.raw(f"{request} HTTP/1.1\r\n{head}".encode(), bob_certs)
        assert theirs.startswith(b"HTTP/1.1 404"), theirs
        assert f"No such exec instance: {exec_id}".encode() in theirs
    body = '{"Detach": false, "Tty": false}'
    start = (
        f"POST /v1.41/exec/{exec_id}/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
        f"\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    )
    theirs = await endpoint.raw(start.encode(), bob_certs)
    assert theirs.startswith(b"HTTP/1.1 404") and b"No such exec instance" in theirs


async def test_streams_are_capped_per_student(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    async with open_endpoint(docker, standin_images, tmp_path, terminal_max_streams=1) as ep:
        certs = await ep.student(clean_user_id)
        code, _, err = await ep.cli(certs, "run", "-dit", "--name", "box", "alpine", "sh")
        assert code == 0, err
        async with spawn(["docker", "attach", "box"], env(ep, certs)) as cli:
            cli.send("echo held\r")
            await cli.expect(r"\r\nheld\r\n")
            code, _, err = await ep.cli(certs, "exec", "box", "true")
            assert code != 0 and t("terminal.too_many_streams", limit=1) in err, err
            cli.send(b"\x10\x11")
            await cli.wait()
        await asyncio.sleep(0.5)
        code, _, err = await ep.cli(certs, "exec", "box", "true")
        assert code == 0, err


async def test_an_idle_stream_is_closed_with_a_word(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    async with open_endpoint(docker, standin_images, tmp_path, terminal_stream_idle_s=2) as ep:
        certs = await ep.student(clean_user_id)
        code, _, err = await ep.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
        assert code == 0, err
        async with spawn(["docker", "exec", "-it", "web", "sh"], env(ep, certs)) as cli:
            await cli.expect(PROMPT)
            await cli.expect(re.escape(t("terminal.stream.idle", minutes=1)), timeout=15)
            await cli.wait()
        code, out, err = await ep.cli(
            certs, "exec", "web", "sh", "-c", "sleep 4; echo late"
        )  # output after a silence counts as traffic only when it comes: this one is cut
        assert t("terminal.stream.idle", minutes=1) in err, (code, out, err)


async def test_shutdown_tells_every_open_stream(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
    assert code == 0, err
    async with spawn(["docker", "exec", "-it", "web", "sh"], env(endpoint, certs)) as cli:
        await cli.expect(PROMPT)
        await endpoint.server.close()
        await cli.expect(re.escape(t("terminal.stream.shutdown")))
        await cli.wait()


async def test_output_and_stdin_are_bounded_per_stream(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    async with open_endpoint(
        docker, standin_images, tmp_path, terminal_stream_output_mb=1, terminal_stdin_kb_s=16
    ) as ep:
        certs = await ep.student(clean_user_id)
        code, out, err = await ep.cli(
            certs, "run", "--rm", "alpine", "head", "-c", "3000000", "/dev/zero"
        )
        assert t("terminal.stream.output", mb=1) in err, (code, len(out), err)
        assert len(out) <= 1024 * 1024
        started = asyncio.get_running_loop().time()
        code, out, err = await piped(
            ep, certs, b"x" * 65536, "run", "-i", "--rm", "alpine", "wc", "-c"
        )
        elapsed = asyncio.get_running_loop().time() - started
        assert (code, out.strip()) == (0, "65536"), err
        assert elapsed >= 2.5  # 16 KiB at once, then 48 KiB at 16 KiB/s


async def test_a_stream_ends_at_its_maximum_life_even_when_busy(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    async with open_endpoint(docker, standin_images, tmp_path, terminal_stream_max_s=3) as ep:
        certs = await ep.student(clean_user_id)
        code, _, err = await ep.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
        assert code == 0, err
        script = "while true; do echo tick; sleep 0.2; done"
        code, out, err = await ep.cli(certs, "exec", "web", "sh", "-c", script)
        assert "tick\n" in out and t("terminal.stream.max_life", minutes=1) in err, (code, err)
        async with spawn(["docker", "run", "-it", "--rm", "alpine", "sh"], env(ep, certs)) as cli:
            await cli.expect(PROMPT)
            await cli.expect(re.escape(t("terminal.stream.max_life", minutes=1)), timeout=15)
            assert await cli.wait() != 0  # its container is gone: nobody could type into it
        code, out, err = await ep.cli(certs, "ps", "--format", "{{.Names}}")
        assert (code, out) == (0, "web\n"), err


async def test_a_dropped_wait_stops_its_time_limit(
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
    standin_images: dict[str, str],
    tmp_path: Path,
    clean_user_id: int,
) -> None:
    """``run -d`` sends a ``wait`` and drops it after the start: the container lives on, while
    a foreground one is still killed at the sandbox's time limit."""
    async with open_endpoint(docker, standin_images, tmp_path, sandbox_timeout_s=2) as ep:
        certs = await ep.student(clean_user_id)
        code, _, err = await ep.cli(certs, "run", "-d", "--name", "web", "alpine", "sleep", "60")
        assert code == 0, err
        code, _, err = await ep.cli(certs, "run", "--rm", "alpine", "sleep", "60")
        assert code == 137, err
        code, out, err = await ep.cli(certs, "ps", "--format", "{{.Names}}")
        assert (code, out) == (0, "web\n"), err
