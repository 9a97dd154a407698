"""``docker events`` through the endpoint: each student sees their own objects' events only,
named as they named them, with ``--since``/``--until``/``--filter`` honoured."""

from __future__ import annotations

import asyncio

from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint

FORMAT = "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.image}}"


async def test_each_student_sees_only_their_own_events(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    alice_certs, bob_certs = await endpoint.student(alice), await endpoint.student(bob)
    code, _, err = await endpoint.cli(alice_certs, "run", "--name", "a-one", "alpine", "true")
    assert code == 0, err
    code, _, err = await endpoint.cli(bob_certs, "run", "--name", "b-one", "alpine", "true")
    assert code == 0, err
    code, _, err = await endpoint.cli(alice_certs, "rm", "a-one")
    assert code == 0, err
    await asyncio.sleep(1.1)  # the window's end is in whole seconds
    window = ("events", "--since", "1m", "--until", "0s", "--format", FORMAT)
    code, out, err = await endpoint.cli(alice_certs, *window)
    assert code == 0, err
    lines = out.splitlines()
    assert "container create a-one alpine" in lines, lines
    assert "container start a-one alpine" in lines and "container destroy a-one alpine" in lines
    assert "network connect bridge <no value>" in lines, lines
    assert not [line for line in lines if "b-one" in line or "m-u" in line], lines
    assert "moussaillon." not in out
    code, out, err = await endpoint.cli(bob_certs, *window)
    assert code == 0, err
    assert "container create b-one alpine" in out.splitlines()
    assert "a-one" not in out and "m-u" not in out
    code, out, err = await endpoint.cli(
        alice_certs, *window, "--filter", "type=container", "--filter", "event=start"
    )
    assert (code, out) == (0, "container start a-one alpine\n"), err
    code, out, err = await endpoint.cli(alice_certs, *window, "--filter", "container=b-one")
    assert (code, out) == (0, ""), err
    code, _, err = await endpoint.cli(alice_certs, *window, "--filter", "daemon=x")
    assert code != 0 and "Error response from daemon: invalid filter 'daemon'" in err


async def test_an_open_events_stream_ends_when_the_cli_leaves(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(endpoint.tmp),
        "DOCKER_CONFIG": str(endpoint.tmp / "docker-config"),
        "DOCKER_HOST": f"tcp://127.0.0.1:{endpoint.server.port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certs),
    }
    proc = await asyncio.create_subprocess_exec(
        "docker",
        "events",
        "--format",
        FORMAT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(30):
            while not endpoint.server._tasks:
                await asyncio.sleep(0.1)
            code, _, err = await endpoint.cli(certs, "run", "--name", "live", "alpine", "true")
            assert code == 0, err
            seen = [(await proc.stdout.readline()).decode()]
            while not seen[-1].startswith("container"):
                seen.append((await proc.stdout.readline()).decode())
        assert seen[-1] == "container create live alpine\n", seen
    finally:
        proc.kill()
        await proc.wait()
    async with asyncio.timeout(10):
        while endpoint.server._tasks:
            await asyncio.sleep(0.1)
