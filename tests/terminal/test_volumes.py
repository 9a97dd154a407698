"""``docker volume …`` with the real CLI through the endpoint: the chat's tmpfs volumes, their
quota, their blanked host paths, and another student's volumes out of sight."""

from __future__ import annotations

import json

import aiodocker

from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint


async def test_create_ls_inspect_use_rm(
    endpoint: Endpoint,
    clean_user_id: int,
    docker: aiodocker.Docker,  # noqa: F811 (fixture)
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await endpoint.cli(certs, "volume", "create", "--label", "tp=2", "data")
    assert (code, out) == (0, "data\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "--format", "{{.Name}} {{.Driver}}")
    assert (code, out) == (0, "data local\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "inspect", "data")
    assert code == 0, err
    [shown] = json.loads(out)
    assert shown["Name"] == "data" and shown["Mountpoint"] == ""
    assert shown["Labels"] == {"tp": "2"}
    engine = await docker.volumes.get(
        endpoint.service.context(clean_user_id).scope.internal("data")
    )
    host_path = (await engine.show())["Mountpoint"]
    assert host_path.startswith("/") and host_path not in out
    code, out, err = await endpoint.cli(certs, "volume", "ls", "--format", "{{.Mountpoint}}")
    assert (code, out) == (0, "\n"), err
    script = "echo kept > /data/f"
    code, _, err = await endpoint.cli(
        certs, "run", "--rm", "-v", "data:/data", "alpine", "sh", "-c", script
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(
        certs, "run", "--rm", "-v", "data:/data", "alpine", "cat", "/data/f"
    )
    assert (code, out) == (0, "kept\n"), err  # outlived its container (the chat's keeper)
    code, _, err = await endpoint.cli(
        certs, "create", "--name", "user", "-v", "data:/data", "alpine", "true"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(
        certs, "ps", "-a", "--filter", "volume=data", "--format", "{{.Names}} {{.Mounts}}"
    )
    assert (code, out) == (0, "user data\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q", "--filter", "dangling=true")
    assert (code, out) == (0, ""), err
    code, _, err = await endpoint.cli(certs, "volume", "rm", "data")
    assert code != 0 and "volume is in use" in err
    code, _, err = await endpoint.cli(certs, "rm", "user")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q", "--filter", "dangling=true")
    assert (code, out) == (0, "data\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "rm", "data")
    assert (code, out) == (0, "data\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q")
    assert (code, out) == (0, ""), err


async def test_refusals_quota_and_prune(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    daemon = "Error response from daemon: "
    code, _, err = await endpoint.cli(certs, "volume", "create", "-d", "nfs", "x1")
    assert code != 0 and daemon + t("sandbox.refused.volume_driver", driver="nfs") in err
    code, _, err = await endpoint.cli(
        certs, "volume", "create", "-o", "type=none", "-o", "device=/etc", "x1"
    )
    refused = (t("sandbox.refused.volume_options", option=o) for o in ("type", "device"))
    assert code != 0 and any(daemon + text in err for text in refused), err
    code, _, err = await endpoint.cli(
        certs, "volume", "create", "--label", f"{labels.OWNER}=u1", "x1"
    )
    assert code != 0 and daemon + t("sandbox.refused.reserved_label", label=labels.OWNER) in err
    limit = endpoint.service.settings.sandbox_max_volumes
    for i in range(limit):
        code, _, err = await endpoint.cli(certs, "volume", "create", f"v{i}")
        assert code == 0, err
    code, _, err = await endpoint.cli(certs, "volume", "create", "one-more")
    assert code != 0 and daemon + t("sandbox.engine.quota.volumes", limit=limit) in err
    code, out, err = await endpoint.cli(certs, "volume", "create", "v0")  # exists: no new one
    assert (code, out) == (0, "v0\n"), err
    code, out, err = await endpoint.cli(certs, "volume", "prune", "-f")
    assert code == 0, err
    assert sorted(out.splitlines()[1 : limit + 1]) == sorted(f"v{i}" for i in range(limit))
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q")
    assert (code, out) == (0, ""), err


async def test_another_students_volume_is_invisible_and_refused(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    made = await endpoint.service.run_command(bob, "docker volume create secrets")
    assert made.exit_code == 0, made
    certs = await endpoint.student(alice)
    code, out, err = await endpoint.cli(certs, "volume", "ls", "-q")
    assert (code, out) == (0, ""), err
    code, _, err = await endpoint.cli(certs, "volume", "inspect", "secrets")
    assert code != 0 and "no such volume" in err
    code, _, err = await endpoint.cli(certs, "volume", "rm", "secrets")
    assert code != 0 and "no such volume" in err
    code, out, err = await endpoint.cli(certs, "volume", "prune", "-f")
    assert code == 0, err
    code, out, err = await endpoint.cli(
        certs, "run", "--rm", "-v", "secrets:/s", "alpine", "ls", "/s"
    )
    assert (code, out) == (0, ""), err  # a fresh volume of alice's own, named the same
    still = await endpoint.service.run_command(bob, "docker volume ls -q")
    assert still.output.split() == ["secrets"]
