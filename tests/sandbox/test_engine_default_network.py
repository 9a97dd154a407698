"""The default network behaves like docker's default bridge: no names, only addresses.

The course shows ``curl http://web`` failing on the default bridge and working on a network made
with ``docker network create``; the sandbox's default network is a user-defined bridge under the
hood (for the host's safety), so it must add no name of its own for that lesson to hold.
"""

from __future__ import annotations

import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker

ALIAS_REFUSAL = "network-scoped alias is supported only for containers in user defined networks"


async def test_default_network_reaches_by_ip_only(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web -p 8080:80 nginx")
    ip = (await ok(service, uid, "docker inspect -f '{{.NetworkSettings.IPAddress}}' web")).output
    ip = ip.strip()

    by_name = await service.run_command(uid, "docker run --rm alpine/curl http://web", lang="en")
    assert by_name.exit_code == 6 and "Could not resolve host: web" in by_name.output, by_name
    by_ip = await ok(service, uid, f"docker run --rm alpine/curl -s http://{ip}")
    assert "Welcome to nginx" in by_ip.output

    port = await ok(service, uid, "docker port web")
    assert any(f"http://{ip}:80" in note for note in port.notes), port.notes
    assert any("IPAddress" in note for note in port.notes), port.notes

    # a rename moves nothing on the default network, and the new name resolves no more
    await ok(service, uid, "docker rename web site")
    renamed = await service.run_command(uid, "docker run --rm alpine/curl http://site", lang="en")
    assert renamed.exit_code == 6, renamed


async def test_alias_on_default_network_is_refused_like_docker(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    run = await service.run_command(
        uid, "docker run -d --name db --network-alias base busybox sleep 30", lang="en"
    )
    assert run.exit_code == 125 and ALIAS_REFUSAL in run.output, run
    assert (await ok(service, uid, "docker ps -aq")).output == ""  # nothing was made

    await ok(service, uid, "docker network create lamp")
    await ok(service, uid, "docker run -d --name db --network lamp busybox sleep 30")
    connect = await service.run_command(
        uid, "docker network connect --alias base bridge db", lang="en"
    )
    assert connect.exit_code == 1 and ALIAS_REFUSAL in connect.output, connect
    await ok(service, uid, "docker network connect bridge db")
    await ok(service, uid, "docker rm -f db")


async def test_user_defined_networks_still_resolve_names_and_aliases(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker network create lamp")
    await ok(service, uid, "docker run -d --name web --network lamp --network-alias site nginx")
    for host in ("web", "site"):
        got = await ok(service, uid, f"docker run --rm --network lamp alpine/curl -s http://{host}")
        assert "Welcome to nginx" in got.output, host

    # joined later, the default network gives web no name there either
    await ok(service, uid, "docker network connect bridge web")
    from_default = await service.run_command(
        uid, "docker run --rm alpine/curl http://web", lang="en"
    )
    assert from_default.exit_code == 6, from_default


async def test_what_still_resolves_on_the_default_network(
    service: SandboxService, clean_user_id: int
) -> None:
    """The engine itself registers every container's real name and short id on a user-defined
    bridge, and no option turns that off: docs/sandbox.md says so. The real name is internal
    (the student never sees it); the short id is what ``docker ps`` shows."""
    uid = clean_user_id
    short = (await ok(service, uid, "docker run -d --name web nginx")).output[:12]
    got = await ok(service, uid, f"docker run --rm alpine/curl -s http://{short}")
    assert "Welcome to nginx" in got.output
    internal = await ok(service, uid, f"docker run --rm alpine/curl -s http://m-u{uid}-web")
    assert "Welcome to nginx" in internal.output
