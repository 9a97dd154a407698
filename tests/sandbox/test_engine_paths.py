"""No host path, engine layout or other student's id in anything a student can print.

One student builds a small lab (a container with a volume, a network, a second container on
it), another student builds the same beside them; then every output that carries engine JSON,
and a set of daemon errors provoked on purpose, are scanned for the engine's own paths and for
the other student's ids and names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import aiodocker
import pytest

from moussaillon.sandbox import labels
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401

pytestmark = pytest.mark.docker

# docker's MaskedPaths / ReadonlyPaths are container paths (the same in every container) and
# mountinfo lists them as mount points: the only ``/proc/…`` allowed.
MASKED = (
    "asound|acpi|kcore|keys|latency_stats|timer_list|timer_stats|sched_debug|scsi|bus|fs|irq|sys"
    "|sysrq-trigger"
)
FORBIDDEN = re.compile(
    rf"/var/lib/docker|/var/run/docker|/run/docker|/run/containerd|/proc/(?!(?:{MASKED})\b)"
    r"|overlay2/|netns"
)

LAB = [
    "docker volume create data",
    "docker network create lab",
    "docker run -d --name web -v data:/usr/share/nginx/html nginx",
    "docker run -d --name api --network lab alpine sleep 300",
]
SHOWN = [
    "docker inspect web",
    "docker container inspect api",
    "docker inspect data",
    "docker inspect lab",
    "docker inspect alpine",
    "docker image inspect nginx",
    "docker inspect -f '{{.NetworkSettings.SandboxKey}} {{.LogPath}} {{.ResolvConfPath}}"
    " {{.HostnamePath}} {{.HostsPath}} {{json .GraphDriver}} {{json .Mounts}}' web",
    "docker volume inspect data",
    "docker volume ls --format '{{.Mountpoint}}'",
    "docker volume ls --format '{{json .}}'",
    "docker network inspect lab",
    "docker network inspect bridge",
    "docker ps --format '{{json .}}'",
    "docker ps -a --no-trunc",
    "docker info",
    "docker info --format '{{json .}}'",
    "docker version",
    "docker version --format '{{json .}}'",
    "docker exec web cat /proc/self/mountinfo",
    "docker run --rm --network none alpine cat /proc/self/mountinfo /proc/self/cgroup",
]
PROVOKED = [  # daemon errors that name engine paths when passed through as they come
    "docker run --rm -v vol:/etc/hosts alpine true",
    "docker run --rm -v vol:/etc/hostname alpine true",
    "docker run --rm --mount type=volume,src=vol,dst=/bin/sh alpine true",
    "docker run --rm -w /etc/hosts alpine true",
    "docker run --rm -v vol:/proc alpine true",
    "docker run --rm -v vol:/dev/null alpine true",
    "docker run --rm alpine /no/such/program",
    "docker exec api /no/such/program",
    "docker network connect lab web",
    "docker network connect lab web",  # already connected
    "docker volume rm data",  # in use
]


async def _engine_traces(docker: aiodocker.Docker, owner: str) -> set[str]:
    """Everything of ``owner`` a leak would show: ids, engine names, the owner key."""
    flt = {"filters": f'{{"label": ["{labels.OWNER}={owner}"]}}'}
    found = {owner and f"m-{owner}-"}
    for item in await docker._query_json("containers/json", params={"all": "1", **flt}):
        found |= {item["Id"], item["Id"][:12]}
    for item in await docker._query_json("networks", params=flt):
        found |= {item["Id"], item["Id"][:12], item["Name"]}
    for item in (await docker._query_json("volumes", params=flt))["Volumes"] or []:
        found.add(item["Name"])
    return found


async def test_no_engine_path_or_other_student_in_any_output(
    service: SandboxService,
    docker: aiodocker.Docker,
    make_user_id: Callable[[], int],
) -> None:
    student, other = make_user_id(), make_user_id()
    for line in LAB:
        await ok(service, student, line)
        await ok(service, other, line)
    theirs = await _engine_traces(docker, labels.owner_key(other))
    assert len(theirs) > 6
    leaks: list[str] = []
    for line in SHOWN + PROVOKED:
        result = await service.run_command(student, line, "en")
        assert not result.refused, (line, result.reason)
        text = "\n".join([result.output, *result.notes])
        leaks += [f"{line}: {m.group(0)!r}" for m in FORBIDDEN.finditer(text)]
        leaks += [f"{line}: other student's {trace!r}" for trace in theirs if trace in text]
    assert not leaks, "\n".join(leaks)


async def test_what_students_see_instead(service: SandboxService, clean_user_id: int) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web -v data:/d --network none nginx")
    fields = await ok(
        service,
        uid,
        "docker inspect -f '{{.NetworkSettings.SandboxKey}}|{{.LogPath}}|{{json .GraphDriver}}'"
        " web",
    )
    assert fields.output.strip() == '||{"Data":null,"Name":"overlay2"}'
    volume = await ok(service, uid, "docker volume inspect -f '[{{.Mountpoint}}]' data")
    assert volume.output.strip() == "[]" and "tmpfs" in volume.notes[0]
    on_file = await service.run_command(uid, "docker run --rm -v v2:/etc/hosts alpine true", "en")
    assert on_file.exit_code == 125
    assert "cannot mount a volume on /etc/hosts" in on_file.output, on_file.output
    mounts = await ok(service, uid, "docker exec web cat /proc/self/mountinfo")
    assert " /etc/hosts " in mounts.output and "lowerdir=…" in mounts.output
