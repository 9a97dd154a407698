"""Students' networks take small subnets from the sandbox's own range (issue "Sandbox
hardening", item 5): far more than the ~31 networks the engine's default pools allow."""

from __future__ import annotations

import asyncio
import logging
from ipaddress import IPv4Network
from pathlib import Path

import aiodocker
import pytest

from moussaillon.config import Settings, load_settings
from moussaillon.core.i18n import t
from moussaillon.sandbox.engine import Engine
from moussaillon.sandbox.errors import NetworkSpaceExhausted
from moussaillon.sandbox.executor.networks import BRIDGE_OPTIONS
from moussaillon.sandbox.subnets import SubnetAllocator, first_free
from tests.sandbox.conftest import sandbox_labels
from tests.sandbox.engine_support import make_service, ok


def nets(*cidrs: str) -> list[IPv4Network]:
    return [IPv4Network(c) for c in cidrs]


# -- choosing a subnet (no engine) ---------------------------------------------------------------


def test_the_first_free_subnet_skips_whatever_overlaps_in_any_shape() -> None:
    block = nets("10.213.0.0/16")
    assert first_free(block, 28, []) == IPv4Network("10.213.0.0/28")
    assert first_free(block, 28, nets("10.213.0.0/28", "10.213.0.16/28")) == IPv4Network(
        "10.213.0.32/28"
    )
    # a foreign /20 inside the range, a /32 host address, a wide network covering the start
    taken = nets("10.213.0.0/20", "10.213.16.5/32", "10.0.0.0/8")
    assert first_free(block, 28, taken[:2]) == IPv4Network("10.213.16.16/28")
    assert first_free(block, 28, taken) is None
    assert first_free(nets("10.213.0.0/27", "192.168.77.0/28"), 28, nets("10.213.0.0/27")) == (
        IPv4Network("192.168.77.0/28")
    )


def test_the_search_finds_the_first_gap_among_thousands_of_networks_taken() -> None:
    """Its speed is bench.sandbox_class's to measure (a timed assertion here failed under load)."""
    block = nets("10.213.0.0/16")
    taken = [
        IPv4Network((int(IPv4Network("10.213.0.0/28").network_address) + 16 * i, 28))
        for i in range(4000)
    ]
    assert first_free(block, 28, taken) == IPv4Network("10.213.250.0/28")


def test_reserved_host_addresses_are_never_handed_out() -> None:
    allocator = SubnetAllocator(nets("10.213.0.0/26"), 28)
    allocator.reserve(nets("10.213.0.5/32", "10.213.0.17/32"))
    assert allocator.pick() == IPv4Network("10.213.0.32/28")


def test_the_range_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert defaults.sandbox_subnets == nets("10.213.0.0/16")
    assert defaults.sandbox_subnet_prefix == 28
    both = Settings(_env_file=None, sandbox_subnets="10.213.0.0/24, 192.168.77.0/26")  # type: ignore[call-arg]
    assert both.sandbox_subnets == nets("10.213.0.0/24", "192.168.77.0/26")
    for variable, value in (
        ("SANDBOX_SUBNETS", "10.213.0.1/16"),  # host bits set: not a network
        ("SANDBOX_SUBNETS", "127.0.0.0/8"),
        ("SANDBOX_SUBNETS", "10.0.0.0/16,10.0.128.0/17"),
        ("SANDBOX_SUBNETS", "fd00::/64"),
        ("SANDBOX_SUBNET_PREFIX", "30"),
        ("SANDBOX_SUBNET_PREFIX", "12"),  # wider than the /16 range
    ):
        monkeypatch.setenv(f"MOUSSAILLON_{variable}", value)
        with pytest.raises(SystemExit) as stopped:
            load_settings(_env_file=None)
        assert f"MOUSSAILLON_{variable}" in str(stopped.value), (variable, value)
        monkeypatch.delenv(f"MOUSSAILLON_{variable}")


def test_the_compose_engine_pool_matches_the_sandbox_range() -> None:
    """compose's dind takes its own networks' subnets from the same range, in the same size."""
    import yaml

    compose = yaml.safe_load((Path(__file__).parents[2] / "compose.yaml").read_text())
    command = compose["services"]["sandbox-engine"]["command"]
    pool = dict(
        item.split("=") for item in command[command.index("--default-address-pool") + 1].split(",")
    )
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert [IPv4Network(pool["base"])] == defaults.sandbox_subnets
    assert int(pool["size"]) == defaults.sandbox_subnet_prefix


# -- on the engine ---------------------------------------------------------------------------


async def subnet_of(docker: aiodocker.Docker, name: str) -> IPv4Network:
    detail = await docker._query_json(f"networks/{name}")
    config = detail["IPAM"]["Config"]
    assert len(config) == 1 and detail["Options"] == BRIDGE_OPTIONS, detail
    subnet = IPv4Network(config[0]["Subnet"])
    assert config[0]["Gateway"] == str(subnet.network_address + 1)
    return subnet


@pytest.mark.docker
async def test_forty_students_get_their_default_networks(
    docker: aiodocker.Docker, standin_images: dict[str, str], tmp_path: Path, make_user_id
) -> None:
    """Past the ~31 networks the engine's own pools allow; one listing, not one per network."""
    service, store = make_service(docker, standin_images, tmp_path)
    try:
        students = [make_user_id() for _ in range(40)]
        results = await asyncio.gather(
            *(service.run_command(uid, "docker network ls", lang="en") for uid in students)
        )
        assert all(r.exit_code == 0 for r in results), [r for r in results if r.exit_code]
        subnets = [await subnet_of(docker, f"m-u{uid}-bridge") for uid in students]
        assert len(set(subnets)) == 40
        assert all(s.prefixlen == 28 and s.subnet_of(IPv4Network("10.213.0.0/16")) for s in subnets)
        assert service.subnets.listings <= 2, service.subnets.listings
    finally:
        await service.close()
        store.close()


@pytest.mark.docker
async def test_a_full_range_refuses_kindly_and_frees_up_on_network_rm(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    tmp_path: Path,
    make_user_id,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tiny = "10.213.255.224/27"  # two /28s, far from where other tests allocate
    service, store = make_service(docker, standin_images, tmp_path, sandbox_subnets=tiny)
    caplog.set_level(logging.WARNING, logger="moussaillon.sandbox.subnets")
    try:
        alice, bob = make_user_id(), make_user_id()
        await ok(service, alice, "docker network create one")
        await ok(service, alice, "docker network create two")
        full = await service.run_command(alice, "docker network create three", lang="fr")
        assert full.refused and full.reason == t("sandbox.subnets.exhausted", "fr"), full
        # a student with no network yet: their first `docker run` needs one
        first_run = await service.run_command(bob, "docker run --rm alpine true", lang="en")
        assert first_run.refused and first_run.reason == t("sandbox.subnets.exhausted", "en")
        assert any("exhausted" in r.getMessage() and tiny in r.getMessage() for r in caplog.records)

        await ok(service, alice, "docker network rm one")
        await ok(service, alice, "docker network create three")
        assert await subnet_of(docker, f"m-u{alice}-three") == IPv4Network("10.213.255.224/28")
    finally:
        await service.close()
        store.close()


@pytest.mark.docker
async def test_two_processes_racing_for_subnets_never_share_one(
    docker: aiodocker.Docker, clean_owner: str
) -> None:
    """Two allocators (two processes) with the same view: the engine refuses the second
    creation of a subnet and that one moves on to the next."""
    block = nets("10.213.255.128/26")  # four /28s
    first, second = SubnetAllocator(block, 28), SubnetAllocator(block, 28)
    await first.refresh(Engine(docker))
    await second.refresh(Engine(docker))

    def body(i: int) -> dict:
        return {
            "Name": f"m-{clean_owner}-race{i}",
            "Internal": True,
            "Options": dict(BRIDGE_OPTIONS),
            "Labels": sandbox_labels(clean_owner, f"race{i}"),
        }

    await asyncio.gather(
        *(a.create(Engine(docker), body(i)) for i, a in enumerate([first, second] * 2))
    )
    subnets = {await subnet_of(docker, f"m-{clean_owner}-race{i}") for i in range(4)}
    assert subnets == set(IPv4Network("10.213.255.128/26").subnets(new_prefix=28))
    assert first.listings + second.listings > 2, "no conflict was retried"
    with pytest.raises(NetworkSpaceExhausted):
        await first.create(Engine(docker), body(4))
