"""``docker create``, ``docker diff``, ``docker system df``, ``-m``/``--cpus`` under the
sandbox's ceilings, and the answers shaped like the CLI's that the comparison table cannot run
on the shared engine (``system prune``, ``-f`` that really removes), on the real engine."""

from __future__ import annotations

import json
import socket

import aiodocker
import pytest

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.engine_support import ok, service_fixture  # noqa: F401  (the fixture)

pytestmark = pytest.mark.docker

MIB = 1024 * 1024


async def engine_host_config(docker: aiodocker.Docker, container_id: str) -> dict[str, object]:
    raw = await docker._query_json(f"containers/{container_id}/json")
    host: dict[str, object] = raw["HostConfig"]
    return host


async def test_create_makes_a_container_that_start_runs(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    made = await ok(service, uid, "docker create --name hello alpine echo bonjour")
    assert len(made.output) == 64
    listed = await ok(service, uid, "docker ps -a --format '{{.Names}} {{.State}}'")
    assert listed.output == "hello created"
    assert (await ok(service, uid, "docker start hello")).output == "hello"
    await ok(service, uid, "docker wait hello")
    assert (await ok(service, uid, "docker logs hello")).output == "bonjour\n"
    shell = await ok(service, uid, "docker create -it --name shell alpine sh")
    raw = await docker._query_json(f"containers/{shell.output}/json")
    assert raw["Config"]["Tty"] is True and raw["Config"]["OpenStdin"] is True
    host = await engine_host_config(docker, shell.output)
    assert host["ReadonlyRootfs"] is True and host["CapDrop"] == ["ALL"]


async def test_create_counts_against_the_container_quota(
    service: SandboxService, clean_user_id: int
) -> None:
    limit = service.settings.sandbox_max_containers
    for n in range(limit):
        await ok(service, clean_user_id, f"docker create --name c{n} alpine true")
    over = await service.run_command(clean_user_id, "docker create alpine true", lang="en")
    assert over.refused and over.error_type == "QuotaExceeded", over


async def test_memory_and_cpus_up_to_the_ceilings_are_applied_and_shown(
    service: SandboxService, docker: aiodocker.Docker, clean_user_id: int
) -> None:
    uid = clean_user_id
    ceiling = service.settings.sandbox_memory_mb * MIB
    under = await ok(service, uid, "docker run -d --name small -m 32m --cpus 0.25 alpine sleep 30")
    assert under.notes == []
    host = await engine_host_config(docker, under.output)
    assert host["Memory"] == host["MemorySwap"] == 32 * MIB
    assert host["NanoCpus"] == 250_000_000
    shown = await ok(
        service, uid, "docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' small"
    )
    assert shown.output == f"{32 * MIB} 250000000"
    over = await ok(service, uid, "docker create --name big --memory=2g --cpus 8 alpine true")
    host = await engine_host_config(docker, over.output)
    assert host["Memory"] == host["MemorySwap"] == ceiling
    assert host["NanoCpus"] == int(service.settings.sandbox_cpus * 1e9)
    assert any("2GiB" in note and f"{ceiling // MIB}MiB" in note for note in over.notes), over
    assert any("CPUs asked: 8" in note for note in over.notes), over
    applied = await ok(service, uid, "docker inspect -f '{{.HostConfig.Memory}}' big")
    assert applied.output == str(ceiling)
    bad = await service.run_command(uid, "docker run -m lots alpine true", lang="en")
    assert bad.exit_code == 125 and 'for "-m, --memory" flag' in bad.output


async def test_diff_shows_the_students_changes_not_the_sandboxs(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name keeper -v data:/data alpine sleep 30")
    assert (await ok(service, uid, "docker diff keeper")).output == "A /data"
    await ok(service, uid, "docker run -d --name plain alpine sleep 30")
    plain = await ok(service, uid, "docker diff plain")
    assert plain.output == "" and plain.notes  # read-only root: the note says why
    missing = await service.run_command(uid, "docker diff nope", lang="en")
    assert (missing.exit_code, missing.output) == (
        1,
        "Error response from daemon: No such container: nope",
    )


async def test_system_df_counts_only_the_students_objects(
    service: SandboxService, make_user_id: object
) -> None:
    alice, bob = make_user_id(), make_user_id()  # type: ignore[operator]
    await ok(service, bob, "docker run -d --name other -v junk:/junk alpine sleep 30")
    await ok(service, alice, "docker run -d --name web -v data:/data alpine sleep 30")
    await ok(service, alice, "docker create --name spare alpine true")
    df = await ok(
        service, alice, "docker system df --format '{{.Type}}|{{.TotalCount}}|{{.Active}}'"
    )
    assert df.output.splitlines()[1:] == [
        "Containers|2|1",
        "Local Volumes|1|1",
        "Build Cache|0|0",
    ]
    table = await ok(service, alice, "docker system df")
    assert table.output.splitlines()[0].split() == [
        "TYPE",
        "TOTAL",
        "ACTIVE",
        "SIZE",
        "RECLAIMABLE",
    ]
    assert table.notes


async def test_prune_warns_and_removes_nothing_without_force(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run --name gone alpine true")
    await ok(service, uid, "docker network create spare")
    for line, first in (
        ("docker container prune", "WARNING! This will remove all stopped containers."),
        ("docker network prune", "WARNING! This will remove all custom networks"),
        ("docker system prune", "WARNING! This will remove:"),
    ):
        answer = await ok(service, uid, line)
        assert answer.output.startswith(first) and answer.output.endswith("[y/N]"), answer
        assert any(f"{line} -f" in note for note in answer.notes), answer
    assert (await ok(service, uid, "docker ps -aq")).output != ""
    system = await ok(service, uid, "docker system prune --volumes")
    assert "  - all anonymous volumes not used by at least one container" in system.output
    pruned = await ok(service, uid, "docker system prune -f")
    assert pruned.output.startswith("Deleted Containers:\n") and "spare" in pruned.output
    assert pruned.output.endswith("\n\nTotal reclaimed space: 0B")
    assert (await ok(service, uid, "docker ps -aq")).output == ""


async def test_rm_force_of_a_missing_container_succeeds_like_docker(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web alpine sleep 30")
    both = await service.run_command(uid, "docker rm -f web nope", lang="en")
    assert both.exit_code == 0, both
    assert both.output == "web\nError response from daemon: No such container: nope"
    plain = await service.run_command(uid, "docker rm nope", lang="en")
    assert plain.exit_code == 1


async def test_usage_errors_answer_like_docker_with_the_french_explanation_below(
    service: SandboxService, clean_user_id: int
) -> None:
    alone = await service.run_command(clean_user_id, "docker run", lang="fr")
    assert not alone.refused and alone.exit_code == 1
    assert alone.output.splitlines()[0] == "docker: 'docker run' requires at least 1 argument"
    assert "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]" in alone.output
    assert alone.output.endswith("See 'docker run --help' for more information")
    assert alone.notes == ['"docker run" attend au moins 1 argument.']
    english = await service.run_command(clean_user_id, "docker run", lang="en")
    assert english.output == alone.output and english.notes == []
    unknown = await service.run_command(clean_user_id, "docker foo", lang="en")
    assert (unknown.exit_code, unknown.output.splitlines()[0]) == (
        1,
        "docker: unknown command: docker foo",
    )
    flag = await service.run_command(clean_user_id, "docker ps --nope", lang="en")
    assert flag.exit_code == 125 and flag.output.startswith("unknown flag: --nope\n")
    port = await service.run_command(clean_user_id, "docker run -p 8080:http nginx", lang="en")
    assert port.exit_code == 125 and port.output.startswith("docker: invalid containerPort: http")
    assert port.notes  # the expected form, in the sandbox's words
    quotes = await service.run_command(clean_user_id, "docker run 'alpine", lang="en")
    assert quotes.refused and quotes.exit_code is None  # a shell would have stopped first


async def test_ports_inspect_and_ps_size_look_like_docker(
    service: SandboxService, clean_user_id: int
) -> None:
    uid = clean_user_id
    await ok(service, uid, "docker run -d --name web -p 8080:80 -p 53/udp alpine sleep 30")
    ports = await ok(service, uid, "docker port web")
    assert ports.output == "53/udp -> 0.0.0.0:32768\n80/tcp -> 0.0.0.0:8080"
    assert (await ok(service, uid, "docker port web 80")).output == "0.0.0.0:8080"
    none = await service.run_command(uid, "docker port web 81", lang="en")
    assert (none.exit_code, none.output) == (1, "Error: No public port '81' published for web")
    data = json.loads((await ok(service, uid, "docker inspect web")).output)[0]
    settings = data["NetworkSettings"]
    assert settings["IPAddress"] == settings["Networks"]["bridge"]["IPAddress"] != ""
    assert settings["Ports"]["80/tcp"] == [{"HostIp": "0.0.0.0", "HostPort": "8080"}]
    sized = await ok(service, uid, "docker ps -s")
    assert sized.output.splitlines()[0].split()[-1] == "SIZE"
    assert "(virtual " in sized.output.splitlines()[1]


async def test_version_and_info_show_no_host_details(
    service: SandboxService, clean_user_id: int
) -> None:
    version = await ok(service, clean_user_id, "docker version")
    assert version.output.startswith("Client:\n Version:           28.2.2\n")
    assert "\nServer:\n Engine:\n" in version.output
    info = await ok(service, clean_user_id, "docker info")
    lines = info.output.splitlines()
    assert f" Name: {socket.gethostname()}" not in lines
    for secret in ("Docker Root Dir", "/var/lib/docker", " ID: ", "Registries"):
        assert secret not in info.output, secret
    assert "Operating System: Moussaillon sandbox" in info.output


async def test_the_command_is_pid_1_unless_init_is_asked_for(
    service: SandboxService, clean_user_id: int
) -> None:
    plain = await ok(service, clean_user_id, "docker run --rm alpine ps -o pid,comm")
    assert plain.output.splitlines()[1].split() == ["1", "ps"]
    with_init = await ok(service, clean_user_id, "docker run --rm --init alpine ps -o pid,comm")
    assert with_init.output.splitlines()[1].split() == ["1", "docker-init"]
    missing = await service.run_command(clean_user_id, "docker run --rm alpine nope", lang="en")
    assert missing.exit_code == 127
    assert missing.output.startswith("docker: Error response from daemon: ")
    assert 'exec: "nope": executable file not found in $PATH' in missing.output
    assert missing.output.endswith("Run 'docker run --help' for more information")
