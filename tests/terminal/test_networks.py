"""``docker network …`` with the real CLI through the endpoint: the chat's networks, scope and
policy, and the engine's ``filters`` on lists, all against the real engine."""

from __future__ import annotations

import json

from moussaillon.core.i18n import t
from moussaillon.sandbox import labels
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint


async def test_create_ls_inspect_connect_rm(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await endpoint.cli(certs, "network", "create", "--label", "tp=1", "backend")
    assert code == 0, err
    created = out.strip()
    code, out, err = await endpoint.cli(certs, "network", "ls", "--format", "{{.Name}} {{.Driver}}")
    assert code == 0, err
    assert out.splitlines() == ["backend bridge", "bridge bridge", "host host", "none null"]
    code, out, err = await endpoint.cli(certs, "network", "inspect", "backend")
    assert code == 0, err
    [net] = json.loads(out)
    assert net["Id"] == created and net["Name"] == "backend"
    assert net["Internal"] is False and net["Options"] == {}  # as asked (Compose compares them)
    engine = await endpoint.service.engine.get(f"networks/{created}")
    assert engine["Internal"] is True and engine["Options"]  # what the chat makes, whatever
    assert net["Labels"] == {"tp": "1"}
    assert not any(k.startswith("moussaillon.") for k in net["Labels"])
    code, out, err = await endpoint.cli(
        certs, "run", "-d", "--name", "api", "--network", "backend", "alpine", "sleep", "60"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(
        certs, "run", "-d", "--name", "web", "alpine", "sleep", "60"
    )
    assert code == 0, err
    code, out, err = await endpoint.cli(
        certs, "network", "connect", "--alias", "front", "backend", "web"
    )
    assert code == 0, err
    lookup = "nslookup front && nslookup web"  # the alias asked, and the chat's own
    code, out, err = await endpoint.cli(
        certs, "run", "--rm", "--network", "backend", "alpine", "sh", "-c", lookup
    )
    assert code == 0, out + err
    code, out, err = await endpoint.cli(
        certs, "ps", "-a", "--filter", "network=backend", "--format", "{{.Names}} {{.Networks}}"
    )
    assert code == 0, err
    shown = {name: sorted(nets.split(",")) for name, nets in (r.split() for r in out.splitlines())}
    assert shown == {"api": ["backend"], "web": ["backend", "bridge"]}
    code, out, err = await endpoint.cli(certs, "network", "disconnect", "backend", "web")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "network", "rm", "backend")
    assert code != 0 and "Error response from daemon: " in err  # api still uses it
    code, out, err = await endpoint.cli(certs, "rm", "-f", "api", "web")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "network", "rm", "backend")
    assert (code, out) == (0, "backend\n"), err
    code, out, err = await endpoint.cli(certs, "network", "ls", "-q", "--filter", "name=backend")
    assert (code, out) == (0, ""), err
    code, _, err = await endpoint.cli(certs, "network", "rm", "bridge")
    assert code != 0 and "pre-defined network" in err
    code, out, err = await endpoint.cli(certs, "network", "inspect", "none", "host")
    assert code == 0, err
    assert [(n["Name"], n["Containers"]) for n in json.loads(out)] == [("none", {}), ("host", {})]


async def test_refusals_are_the_chats(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    daemon = "Error response from daemon: "
    code, _, err = await endpoint.cli(certs, "network", "create", "--driver", "macvlan", "lan")
    assert code != 0 and daemon + t("sandbox.refused.network_driver", driver="macvlan") in err
    code, _, err = await endpoint.cli(certs, "network", "create", "--driver", "host", "lan")
    assert code != 0 and daemon + t("sandbox.refused.network_driver", driver="host") in err
    code, _, err = await endpoint.cli(certs, "network", "create", "--subnet", "10.9.0.0/24", "lan")
    assert code != 0 and daemon + t("sandbox.refused.network_ipam") in err
    code, _, err = await endpoint.cli(certs, "network", "create", "-o", "foo=bar", "lan")
    assert code != 0 and daemon + t("sandbox.refused.network_options", option="foo") in err
    code, _, err = await endpoint.cli(certs, "network", "create", "--ipam-driver", "x", "lan")
    assert code != 0 and "--ipam-driver" in err
    code, _, err = await endpoint.cli(
        certs, "network", "create", "--label", f"{labels.OWNER}=u1", "lan"
    )
    assert code != 0 and daemon + t("sandbox.refused.reserved_label", label=labels.OWNER) in err
    code, _, err = await endpoint.cli(certs, "run", "-d", "--name", "solo", "alpine", "sleep", "60")
    assert code == 0, err
    code, _, err = await endpoint.cli(certs, "network", "connect", "--alias", "x", "bridge", "solo")
    assert code != 0 and "user defined networks" in err
    code, out, err = await endpoint.cli(certs, "network", "ls", "-q")
    assert (code, len(out.split())) == (0, 3), err  # bridge, host, none: nothing was made
    verdicts = endpoint.service.store.read_sync(
        lambda db: [
            r["verdict"]
            for r in db["sandbox_commands"].rows_where(
                "user_id = ? and command = ?", [clean_user_id, "api network create"]
            )
        ]
    )
    assert verdicts == ["refused"] * 6  # journaled as the chat's refusals are


async def test_another_students_network_is_invisible_and_refused(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    made = await endpoint.service.run_command(bob, "docker network create secretnet")
    assert made.exit_code == 0, made
    made = await endpoint.service.run_command(bob, "docker run -d --name bobweb alpine sleep 60")
    assert made.exit_code == 0, made
    certs = await endpoint.student(alice)
    code, out, err = await endpoint.cli(certs, "network", "ls", "--format", "{{.Name}}")
    assert (code, out) == (0, "bridge\nhost\nnone\n"), err
    code, _, err = await endpoint.cli(certs, "network", "inspect", "secretnet")
    assert code != 0 and "network secretnet not found" in err
    code, _, err = await endpoint.cli(certs, "network", "rm", "secretnet")
    assert code != 0 and "network secretnet not found" in err
    code, _, err = await endpoint.cli(certs, "network", "create", "mine")
    assert code == 0, err
    code, _, err = await endpoint.cli(certs, "network", "connect", "mine", "bobweb")
    assert code != 0 and "No such container: bobweb" in err
    code, _, err = await endpoint.cli(
        certs, "run", "--rm", "--network", "secretnet", "alpine", "true"
    )
    assert code != 0 and "network secretnet not found" in err
    code, out, err = await endpoint.cli(certs, "network", "prune", "-f")
    assert (code, out) == (0, "Deleted Networks:\nmine\n\n"), err
    still = await endpoint.service.run_command(bob, "docker network ls --format {{.Name}}")
    assert "secretnet" in still.output.split()


async def test_list_filters_see_only_the_students_labels(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    for name, role in (("a1", "web"), ("a2", "db")):
        code, _, err = await endpoint.cli(
            certs, "run", "-d", "--name", name, "--label", f"role={role}", "alpine", "sleep", "60"
        )
        assert code == 0, err
    code, _, err = await endpoint.cli(certs, "create", "--name", "idle", "alpine", "true")
    assert code == 0, err
    names = ("--format", "{{.Names}}")
    code, out, err = await endpoint.cli(certs, "ps", "--filter", "label=role=web", *names)
    assert (code, out) == (0, "a1\n"), err
    code, out, err = await endpoint.cli(certs, "ps", "--filter", "label=role", *names)
    assert (code, sorted(out.split())) == (0, ["a1", "a2"]), err
    code, out, err = await endpoint.cli(certs, "ps", "--filter", "status=created", *names)
    assert (code, out) == (0, "idle\n"), err
    code, out, err = await endpoint.cli(certs, "ps", "-a", "--filter", "name=^a", *names)
    assert (code, sorted(out.split())) == (0, ["a1", "a2"]), err
    for hidden in (f"label={labels.OWNER}", f"label={labels.SANDBOX}=1"):
        code, out, err = await endpoint.cli(certs, "ps", "-a", "--filter", hidden, *names)
        assert (code, out) == (0, ""), err
    code, out, err = await endpoint.cli(certs, "ps", "--format", "{{.Labels}}", "-f", "name=a1")
    assert code == 0 and "role=web" in out.strip().split(",") and "moussaillon." not in out, err
    code, _, err = await endpoint.cli(certs, "ps", "--filter", "health=healthy")
    assert code != 0 and t("terminal.filter_unserved", key="health") in err
    code, _, err = await endpoint.cli(certs, "ps", "--filter", "bogus=1")
    assert code != 0 and "Invalid filter 'bogus'" in err
    journal = endpoint.service.store.read_sync(
        lambda db: [
            (r["command"], r["verdict"])
            for r in db["sandbox_commands"].rows_where("user_id = ?", [clean_user_id])
        ]
    )
    assert ("api ps", "refused") in journal
    code, _, err = await endpoint.cli(certs, "ps", "--filter", "name=" + "a" * 300)
    assert code != 0 and "300" in err
    many = [arg for i in range(40) for arg in ("--filter", f"label=k{i}")]
    code, _, err = await endpoint.cli(certs, "ps", *many)
    assert code != 0 and t("terminal.filters_too_many", limit=32) in err
    code, out, err = await endpoint.cli(
        certs, "images", "--filter", "reference=alpine", "--format", "{{.Repository}}"
    )
    assert (code, out) == (0, "alpine\n"), err
    code, out, err = await endpoint.cli(
        certs, "network", "ls", "--filter", "type=custom", "--filter", "driver=bridge", "-q"
    )
    assert (code, out) == (0, ""), err
    code, out, err = await endpoint.cli(
        certs, "network", "ls", "--filter", "type=builtin", "--format", "{{.Name}}"
    )
    assert (code, out) == (0, "bridge\nhost\nnone\n"), err
