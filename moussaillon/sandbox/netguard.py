"""The start-up guard: proof, on the engine itself, that students' networks cannot reach the host.

Students' networks are internal bridges created with ``inhibit_ipv4``, so the host holds no
address on them and their containers' default route leads nowhere. That rests on the engine
honouring the option; the guard checks it does. ``SandboxService.start`` calls ``guard``: it
creates a probe network exactly as a student's (``network_body`` and a subnet from the
allocator), runs a short-lived container there with the students' HostConfig, and tries TCP to
the network's gateway, the engine's default bridge gateway, every IPv4 address of the engine's
host and a metadata-style address. A connection or "Connection refused" means something on the
host answered: ``IsolationUnavailable``, and the app does not start the sandbox.

It refuses only on evidence. When the check cannot run (engine unreachable, no probe image yet,
range full) it logs a warning and the sandbox starts, protected by the option alone: a first
deployment starts before ``sandbox prepare`` has made any image, and without images no student
container runs anyway. A restart after ``prepare`` runs the full check.

The host's addresses come from a container in the host's network namespace (``ip -4 -o addr``)
and are also reserved in the allocator: a host address inside a student's subnet would answer
that subnet's ARP, and packets would reach the host even though no reply could come back.
Probe objects carry the sandbox labels (owner ``netguard``), so a crash mid-probe leaves nothing
the reaper does not remove later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

import aiodocker
import aiohttp

from moussaillon.config import Settings
from moussaillon.sandbox import labels
from moussaillon.sandbox.engine import Engine, unreachable
from moussaillon.sandbox.errors import IsolationUnavailable, NetworkSpaceExhausted
from moussaillon.sandbox.executor.networks import BRIDGE_OPTIONS, network_body
from moussaillon.sandbox.hostconfig import host_config
from moussaillon.sandbox.scope import now_iso
from moussaillon.sandbox.subnets import SubnetAllocator, is_overlap

log = logging.getLogger(__name__)

OWNER = "netguard"
METADATA = "169.254.169.254"
PROBE_PORTS = (9, 2376)  # discard (closed almost everywhere: a refusal), the engine's TLS API
CONNECT_TIMEOUT_S = 1  # the host answers its own bridges in microseconds
BATCH = 64  # connection attempts at once (up to 3 processes each: the pids limit is raised)
SHOWN = 3  # answers quoted in the refusal, so it stays one readable line
RUN_TIMEOUT_S = 30.0
GUARD_TIMEOUT_S = 90.0
CLEANUP_TIMEOUT_S = 20.0
PROBE_IMAGES = ("busybox", "alpine")  # busybox nc and ip, in the stand-ins and the real ones
_INET = re.compile(r"\binet (\d+\.\d+\.\d+\.\d+/\d+)")
_LINE = re.compile(r"^probe (\S+) (\d+) (\d+) ?(.*)$")


@dataclass
class ProbeResult:
    """What one probe container saw: ``reached`` maps ``ip:port`` to how the host answered."""

    reached: dict[str, str] = field(default_factory=dict)  # "connected", "connection refused"
    unreachable: list[str] = field(default_factory=list)
    ipv6_disabled: str = ""  # the container's net.ipv6.conf.all.disable_ipv6 ("": none)
    output: str = ""

    @property
    def host_reachable(self) -> bool:
        return bool(self.reached)


@dataclass
class GuardReport:
    verified: bool  # the active check ran and found the host unreachable
    detail: str


def probe_labels() -> dict[str, str]:
    stamp = now_iso()
    return {
        labels.SANDBOX: "1",
        labels.OWNER: OWNER,
        labels.NAME: "probe",
        labels.CREATED: stamp,
        labels.LAST_USED: stamp,
    }


def probe_script(targets: Sequence[str], ports: Sequence[int]) -> str:
    """busybox sh: the IPv6 switch, then one line per attempt, ``probe ip port rc error``."""
    jobs = [
        f"(out=$(nc -w {CONNECT_TIMEOUT_S} {ip} {port} </dev/null 2>&1 >/dev/null); "
        f'echo "probe {ip} {port} $? $out") &'
        for ip in targets
        for port in ports
    ]
    lines = ['echo "ipv6 $(cat /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null)"']
    for start in range(0, len(jobs), BATCH):
        lines += [*jobs[start : start + BATCH], "wait"]
    return "\n".join(lines)


def read_probe(output: str, expected: int) -> ProbeResult | None:
    """The result, or None when the container did not run every attempt (no ``nc`` there)."""
    result = ProbeResult(output=output)
    seen = 0
    for line in output.splitlines():
        if line.startswith("ipv6 "):
            result.ipv6_disabled = line[5:].strip()
        elif match := _LINE.match(line.strip()):
            ip, port, rc, error = match.groups()
            seen += 1
            if rc == "0":
                result.reached[f"{ip}:{port}"] = "connected"
            elif "refused" in error.lower():
                result.reached[f"{ip}:{port}"] = "connection refused"
            else:
                result.unreachable.append(f"{ip}:{port}")
    return result if seen == expected else None


class _Objects:
    """What the guard created, removed in ``cleanup`` whatever happened."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.suffix = f"{os.getpid()}-{secrets.token_hex(3)}"
        self.containers: list[str] = []
        self.networks: list[str] = []

    def name(self, what: str) -> str:
        return f"m-{OWNER}-{what}-{self.suffix}"

    async def run(self, config: dict[str, Any], what: str) -> str:
        """Run a container to its end; everything it printed."""
        container = await self.engine.client.containers.create(config, name=self.name(what))
        self.containers.append(container.id)
        await container.start()
        await container.wait(timeout=RUN_TIMEOUT_S)
        return "".join(await container.log(stdout=True, stderr=True))

    async def cleanup(self) -> None:
        for container_id in self.containers:
            with contextlib.suppress(aiodocker.DockerError, TimeoutError, aiohttp.ClientError):
                async with asyncio.timeout(CLEANUP_TIMEOUT_S):
                    await self.engine.client.containers.container(container_id).delete(force=True)
        for network_id in self.networks:
            with contextlib.suppress(aiodocker.DockerError, TimeoutError, aiohttp.ClientError):
                async with asyncio.timeout(CLEANUP_TIMEOUT_S):
                    await self.engine.delete(f"networks/{network_id}")


async def probe_image(engine: Engine, settings: Settings) -> str | None:
    """A local allowlisted image with busybox ``nc`` and ``ip``: busybox or alpine, or any
    busybox stand-in (the Debian-based offline images have neither)."""
    names = [n for n in PROBE_IMAGES if n in settings.sandbox_images]
    names += [n for n in settings.sandbox_images if n not in PROBE_IMAGES]
    for name in names:
        ref = settings.sandbox_images[name]
        try:
            info = await engine.get(f"images/{ref}/json")
        except aiodocker.DockerError:
            continue
        image_labels = (info.get("Config") or {}).get("Labels") or {}
        busybox = image_labels.get(labels.STANDIN_KIND) is None  # not a Debian-based one
        if name in PROBE_IMAGES or (image_labels.get(labels.STANDIN) == "1" and busybox):
            return ref
    return None


async def host_addresses(objects: _Objects, image: str) -> list[IPv4Interface]:
    """Every IPv4 address of the engine's host, read from its own network namespace."""
    config = {
        "Image": image,
        "Entrypoint": ["ip", "-4", "-o", "addr"],
        "Cmd": [],
        "Labels": probe_labels(),
        "HostConfig": {
            "NetworkMode": "host",
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"],
            "ReadonlyRootfs": True,
            "Memory": 32 * 1024 * 1024,
            "PidsLimit": 16,
            "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m"}},
        },
    }
    output = await objects.run(config, "hostaddr")
    return [IPv4Interface(found) for found in _INET.findall(output)]


async def probe(
    engine: Engine,
    settings: Settings,
    network: str,
    targets: Sequence[str],
    image: str,
    *,
    ports: Sequence[int] = PROBE_PORTS,
    objects: _Objects | None = None,
) -> ProbeResult | None:
    """From a container on ``network`` (students' HostConfig), try TCP to every target."""
    own = objects or _Objects(engine)
    forced = host_config(settings, network=network)  # the students' own
    forced["PidsLimit"] += 3 * BATCH  # room for the parallel attempts, nothing else changes
    try:
        config = {
            "Image": image,
            "Entrypoint": ["/bin/sh", "-c", probe_script(targets, ports)],
            "Cmd": [],
            "Labels": probe_labels(),
            "HostConfig": forced,
        }
        output = await own.run(config, "probe")
    finally:
        if objects is None:
            await own.cleanup()
    return read_probe(output, len(targets) * len(ports))


def _refuse(reason: str) -> IsolationUnavailable:
    return IsolationUnavailable("sandbox.isolation.unavailable", reason=reason)


async def _bridge_gateway(engine: Engine) -> str | None:
    """The default bridge's gateway; the engine omits it from IPAM unless ``bip`` set one, and
    then it is the subnet's first address (the host's actual one is probed anyway)."""
    try:
        bridge = await engine.get("networks/bridge")
    except aiodocker.DockerError:
        return None  # an engine started with --bridge=none
    for config in (bridge.get("IPAM") or {}).get("Config") or []:
        with contextlib.suppress(ValueError):
            subnet = IPv4Network(config.get("Subnet") or "", strict=False)
            return config.get("Gateway") or str(subnet.network_address + 1)
    return None


def _check_created(
    detail: dict[str, Any], options: Mapping[str, str], subnets: SubnetAllocator
) -> None:
    """The engine kept what was asked: internal, the bridge options, a subnet of the range."""
    kept = detail.get("Options") or {}
    lost = [key for key, value in options.items() if kept.get(key) != value]
    if lost or not detail.get("Internal"):
        raise _refuse(f"the engine dropped {', '.join(lost) or 'Internal'} from a network")
    given = [c.get("Subnet") or "" for c in (detail.get("IPAM") or {}).get("Config") or []]
    try:
        nets = [IPv4Network(value) for value in given]
    except ValueError:
        nets = []
    if len(nets) != 1 or not any(
        nets[0].subnet_of(block) and nets[0].prefixlen == subnets.prefix for block in subnets.ranges
    ):
        raise _refuse(f"the engine gave the network {given} instead of a subnet of the range")


async def _verify(
    engine: Engine,
    settings: Settings,
    subnets: SubnetAllocator,
    options: Mapping[str, str],
    objects: _Objects,
) -> GuardReport:
    await engine.client.version()
    image = await probe_image(engine, settings)
    hosts: list[IPv4Interface] = []
    if image is not None:
        hosts = await host_addresses(objects, image)
        subnets.reserve(IPv4Network(host.ip) for host in hosts)
    body = {**network_body(objects.name("net"), probe_labels()), "Options": dict(options)}
    try:
        created = await subnets.create(engine, body)
    except NetworkSpaceExhausted:
        return GuardReport(False, f"no free subnet in {subnets.describe()} for a probe network")
    except aiodocker.DockerError as exc:
        if unreachable(exc):
            raise
        if is_overlap(exc):  # other processes filling the range right now: no evidence either way
            return GuardReport(False, f"the subnets of {subnets.describe()} are contended")
        raise _refuse(f"the engine refused a network as students get them: {exc.message}") from None
    objects.networks.append(created["Id"])
    detail = await engine.get(f"networks/{created['Id']}")
    _check_created(detail, options, subnets)
    subnet = detail["IPAM"]["Config"][0]
    if image is None:
        return GuardReport(False, "no probe image yet (run `moussaillon sandbox prepare`)")
    targets = [subnet.get("Gateway"), await _bridge_gateway(engine)]
    targets += [str(host.ip) for host in hosts if not host.ip.is_loopback]
    targets.append(METADATA)
    wanted = list(dict.fromkeys(str(IPv4Address(t)) for t in targets if t))
    result = await probe(engine, settings, detail["Name"], wanted, image, objects=objects)
    if result is None:
        return GuardReport(False, f"the probe image {image} could not run nc")
    if result.host_reachable:
        answers = [f"{target} ({how})" for target, how in result.reached.items()]
        more = f" and {len(answers) - SHOWN} more" if len(answers) > SHOWN else ""
        raise _refuse(
            "host reachable: a container on a student network reached "
            + ", ".join(answers[:SHOWN])
            + more
        )
    if result.ipv6_disabled == "0":  # "" is no IPv6 stack at all (gVisor)
        raise _refuse("IPv6 stays enabled in students' containers")
    return GuardReport(
        True, f"{len(result.unreachable)} address:port pairs of the host unreachable"
    )


async def verify(
    engine: Engine,
    settings: Settings,
    subnets: SubnetAllocator,
    *,
    options: Mapping[str, str] = BRIDGE_OPTIONS,
) -> GuardReport:
    """Raise ``IsolationUnavailable`` on evidence the host is reachable from a network created
    with ``options`` (the students' unless a test passes others); else say what was checked."""
    objects = _Objects(engine)
    try:
        async with asyncio.timeout(GUARD_TIMEOUT_S):
            return await _verify(engine, settings, subnets, options, objects)
    except TimeoutError:
        return GuardReport(False, f"the engine did not finish the check in {GUARD_TIMEOUT_S:.0f} s")
    except (aiodocker.DockerError, aiohttp.ClientError, OSError) as exc:
        return GuardReport(False, f"the engine could not run the check: {exc}")
    finally:
        await objects.cleanup()


async def guard(engine: Engine, settings: Settings, subnets: SubnetAllocator) -> None:
    """``SandboxService.start``'s check; raises ``IsolationUnavailable`` (the app logs it)."""
    try:
        report = await verify(engine, settings, subnets)
    except IsolationUnavailable:
        raise
    except Exception as exc:  # a bug here must not start an unchecked sandbox either
        raise _refuse(f"the check itself failed: {exc!r}") from exc
    if report.verified:
        log.info("sandbox: network isolation verified (%s)", report.detail)
    else:
        log.warning(
            "sandbox: network isolation NOT verified, relying on the inhibit_ipv4 option: %s",
            report.detail,
        )
