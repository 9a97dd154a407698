"""The hardening issue's refusals, attempted with the real CLI through the endpoint.

Each option reaches the endpoint as a field of the create body, not as a flag: the body is
turned into the chat's typed request and refused by the chat's policy, so the student reads the
same reason (``Error response from daemon: …``) and nothing is created."""

from __future__ import annotations

import pytest

from tests.terminal.conftest import Endpoint

REFUSED = [
    ["--privileged"],
    ["-v", "/:/host"],
    ["-v", "/var/run/docker.sock:/var/run/docker.sock"],
    ["--mount", "type=bind,source=/etc,target=/x"],
    ["--network", "host"],
    ["--pid", "host"],
    ["--ipc", "host"],
    ["--uts", "host"],
    ["--userns", "host"],
    ["--cgroupns", "host"],
    ["--cap-add", "SYS_ADMIN"],
    ["--device", "/dev/kmsg"],
    ["--security-opt", "seccomp=unconfined"],
    ["--security-opt", "apparmor=unconfined"],
    ["--runtime", "runc"],
    ["--sysctl", "net.ipv4.ip_forward=1"],
    ["--volumes-from", "somebody-else"],
    ["--pids-limit", "-1"],
    ["--ulimit", "nproc=100000"],
    ["--oom-kill-disable"],
    ["--cgroup-parent", "/"],
    ["--add-host", "host.docker.internal:host-gateway"],
    ["--dns", "1.1.1.1"],
    ["--shm-size", "8g"],
    ["--memory-swap", "-1"],
    ["--cpu-shares", "4096"],
    ["--link", "other:db"],
    ["--log-driver", "json-file", "--log-opt", "max-size=10g"],
    ["--device-cgroup-rule", "a *:* rwm"],
    ["--group-add", "0"],
    ["--storage-opt", "size=100G"],
    ["--domainname", "example.org"],
    ["--tmpfs", "/run:size=10g"],
]


@pytest.mark.parametrize("options", REFUSED, ids=lambda o: " ".join(o))
async def test_refused_through_the_cli_like_in_the_chat(
    endpoint: Endpoint, clean_user_id: int, options: list[str]
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await endpoint.cli(certs, "run", "--rm", *options, "alpine", "true")
    assert code != 0, (out, err)
    assert "Error response from daemon: " in err, err
    code, out, _ = await endpoint.cli(certs, "ps", "-aq")
    assert (code, out) == (0, "")


async def test_limits_asked_above_the_sandboxs_are_its_own(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    """``-m 64g --cpus 64`` run, as in the chat, under the sandbox's ceilings."""
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(
        certs, "run", "-d", "--name", "big", "-m", "64g", "--cpus", "64", "alpine", "sleep", "30"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(
        certs, "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", "big"
    )
    assert code == 0, err
    memory, nano = (int(v) for v in out.split())
    settings = endpoint.service.settings
    assert 0 < memory <= settings.sandbox_memory_mb * 1024 * 1024
    assert 0 < nano <= settings.sandbox_cpus * 1e9
