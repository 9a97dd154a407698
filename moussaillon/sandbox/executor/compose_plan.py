"""A compose project as the typed requests ``docker`` itself would parse, and its objects found.

Nothing here creates anything: ``run_request`` makes the ``RunRequest`` a student would get
from ``docker run --name lamp-web-1 --network lamp_default …``, so the executor can send it
through the policy and ``executor/run.py`` like any other. Names and labels are Compose v2's,
so ``docker ps`` and ``docker compose ps`` show the same objects.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

from moussaillon.sandbox.compose import ComposeError, ComposeProject, Service, load_project
from moussaillon.sandbox.errors import QuotaExceeded, SandboxRefused
from moussaillon.sandbox.executor.common import Context
from moussaillon.sandbox.executor.networks import DEFAULT as DEFAULT_BRIDGE
from moussaillon.sandbox.policy import Policy
from moussaillon.sandbox.requests import (
    BuildRequest,
    ComposeRequest,
    EnvVar,
    Healthcheck,
    Mount,
    NetworkCreateRequest,
    PortMapping,
    RestartPolicy,
    RunRequest,
    VolumeCreateRequest,
)

PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
NUMBER = "com.docker.compose.container-number"
ONEOFF = "com.docker.compose.oneoff"
CONFIG_FILES = "com.docker.compose.project.config_files"
CONFIG_HASH = "com.docker.compose.config-hash"
NETWORK = "com.docker.compose.network"
VOLUME = "com.docker.compose.volume"
VERSION = "com.docker.compose.version"
COMPOSE_VERSION = "2.29.7"  # the Compose v2 release whose output shapes we follow
_RESTARTS = ("no", "always", "unless-stopped", "on-failure")


def container_name(project: str, service: Service) -> str:
    return service.container_name or f"{project}-{service.name}-1"


def network_name(project: str, network: str) -> str:
    return f"{project}_{network}"


def volume_name(project: str, volume: str) -> str:
    return f"{project}_{volume}"


def image_of(project: ComposeProject, service: Service) -> str:
    """A ``build:`` service without ``image:`` is tagged ``<project>-<service>`` as Compose does."""
    return service.image or f"{project.name}-{service.name}"


def config_hash(service: Service) -> str:
    """What ``up`` compares to decide between "Running" and "Recreated"."""
    dumped = json.dumps(service.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(dumped.encode()).hexdigest()


def project_labels(project: ComposeProject) -> dict[str, str]:
    return {PROJECT: project.name, CONFIG_FILES: project.file, VERSION: COMPOSE_VERSION}


def _networks(project: ComposeProject, service: Service) -> list[tuple[str, list[str]]]:
    if not service.networks:
        return [(network_name(project.name, "default"), [])]
    return [(network_name(project.name, n.name), list(n.aliases)) for n in service.networks]


def _restart(value: str | None) -> RestartPolicy | None:
    if value is None:
        return None
    name, _, retries = value.partition(":")
    if name not in _RESTARTS:
        raise SandboxRefused("sandbox.compose_run.restart", policy=value[:40])
    return RestartPolicy(name=name, max_retries=int(retries) if retries.isdigit() else 0)  # type: ignore[arg-type]


def run_request(
    project: ComposeProject,
    service: Service,
    *,
    name: str | None = None,
    command: list[str] | None = None,
    oneoff: bool = False,
    remove: bool = False,
) -> RunRequest:
    """``docker run`` as Compose would make it for ``service``; ``up`` detaches, ``run`` not."""
    networks = _networks(project, service)
    first, aliases = networks[0]
    health = service.healthcheck
    healthcheck = None
    if health is not None:
        nanos = 1_000_000_000  # the engine's durations
        healthcheck = Healthcheck(
            test=["NONE"] if health.disable else list(health.test),
            interval=int(health.interval_s * nanos),
            timeout=int(health.timeout_s * nanos),
            retries=health.retries,
            start_period=int(health.start_period_s * nanos),
        )
    mounts = [
        Mount(
            type="tmpfs" if v.type == "tmpfs" else "volume",
            source=volume_name(project.name, v.source) if v.source else None,
            target=v.target,
            read_only=v.read_only,
        )
        for v in service.volumes
    ]
    labels = {
        **service.labels,
        **project_labels(project),
        SERVICE: service.name,
        NUMBER: "1",
        ONEOFF: "True" if oneoff else "False",
        CONFIG_HASH: config_hash(service),
    }
    return RunRequest(
        raw=f"docker compose up {service.name}",
        image=image_of(project, service),
        command=command if command is not None else list(service.command or []),
        entrypoint=None if service.entrypoint is None else list(service.entrypoint),
        name=name or container_name(project.name, service),
        detach=not oneoff,
        remove=remove,
        env=[EnvVar(key=k, value=v) for k, v in service.environment.items()],
        publish=[
            PortMapping(
                host_ip=p.host_ip,
                host_port=p.published,
                container_port=p.target,
                protocol=p.protocol,  # type: ignore[arg-type]
            )
            for p in service.ports
        ],
        expose=list(service.expose),
        mounts=mounts,
        network=first,
        network_aliases=[service.name, *aliases],
        workdir=service.working_dir,
        user=service.user,
        labels=labels,
        restart=_restart(service.restart),
        healthcheck=healthcheck,
        interactive=service.stdin_open,
        tty=service.tty,
    )


def extra_networks(project: ComposeProject, service: Service) -> list[tuple[str, list[str]]]:
    """The service's networks after the first, joined before the container starts."""
    return [(net, [service.name, *aliases]) for net, aliases in _networks(project, service)[1:]]


def network_request(project: ComposeProject, network: str) -> NetworkCreateRequest:
    return NetworkCreateRequest(
        raw=f"docker network create {network_name(project.name, network)}",
        name=network_name(project.name, network),
        labels={**project_labels(project), NETWORK: network},
    )


def volume_request(project: ComposeProject, volume: str) -> VolumeCreateRequest:
    return VolumeCreateRequest(
        raw=f"docker volume create {volume_name(project.name, volume)}",
        name=volume_name(project.name, volume),
        labels={**project_labels(project), VOLUME: volume},
    )


def build_request(project: ComposeProject, service: Service) -> BuildRequest:
    spec = service.build
    assert spec is not None
    context = spec.context.removeprefix("./") or "."
    dockerfile = None
    if spec.dockerfile is not None:
        dockerfile = posixpath.normpath(posixpath.join(context, spec.dockerfile))
    return BuildRequest(
        raw=f"docker build -t {image_of(project, service)} {context}",
        context=context,
        tags=[image_of(project, service)],
        file=dockerfile,
        build_args=dict(spec.args),
        target=spec.target,
    )


# --- loading and finding -----------------------------------------------------------------------


async def load(ctx: Context, req: ComposeRequest) -> ComposeProject:
    """The student's project, read from the workspace off the event loop."""
    if ctx.files is None or ctx.user_id is None:
        raise SandboxRefused("sandbox.compose_run.no_files")
    workspace = dict(await ctx.files.snapshot(ctx.user_id))
    return await asyncio.to_thread(
        load_project,
        workspace,
        file=req.file,
        project_name=req.project,
        profiles=tuple(req.profiles),
        max_kb=ctx.settings.compose_max_kb,
        max_services=ctx.settings.compose_max_services,
        lang=ctx.lang,
    )


@dataclass
class Found:
    """The project's objects on the engine, by Compose's labels (oneoff ``run`` ones apart)."""

    containers: dict[str, dict[str, Any]] = field(default_factory=dict)  # service → container
    oneoff: list[dict[str, Any]] = field(default_factory=list)
    networks: list[dict[str, Any]] = field(default_factory=list)
    volumes: list[dict[str, Any]] = field(default_factory=list)


async def find(ctx: Context, project: str) -> Found:
    found = Found()
    for c in await ctx.scope.containers(ctx.engine):
        labels = c.get("Labels") or {}
        if labels.get(PROJECT) != project:
            continue
        if labels.get(ONEOFF) == "True":
            found.oneoff.append(c)
        else:
            found.containers[labels.get(SERVICE, "")] = c
    found.networks = [
        n
        for n in await ctx.scope.networks(ctx.engine)
        if (n.get("Labels") or {}).get(PROJECT) == project
    ]
    found.volumes = [
        v
        for v in await ctx.scope.volumes(ctx.engine)
        if (v.get("Labels") or {}).get(PROJECT) == project
    ]
    return found


def student_object(ctx: Context, obj: dict[str, Any]) -> str:
    names = obj.get("Names") or [obj.get("Name", "")]
    return ctx.scope.student(obj.get("Labels"), names[0] if names else "")


async def check_quotas(
    ctx: Context, project: ComposeProject, services: list[str], found: Found
) -> None:
    """Refuse before creating anything when the project would not fit in the student's quotas."""
    settings = ctx.settings
    new_containers = [s for s in services if s not in found.containers]
    live = await ctx.scope.containers(ctx.engine)
    wanted_nets = {net for s in services for net, _ in _networks(project, project.services[s])}
    have_nets = {student_object(ctx, n) for n in found.networks}
    mine_nets = [
        n
        for n in await ctx.scope.networks(ctx.engine)
        if n["Name"] != ctx.scope.internal(DEFAULT_BRIDGE)
    ]
    wanted_vols = {
        volume_name(project.name, v.source)
        for s in services
        for v in project.services[s].volumes
        if v.type == "volume" and v.source
    }
    have_vols = {student_object(ctx, v) for v in found.volumes}
    mine_vols = await ctx.scope.volumes(ctx.engine)
    for kind, used, new, limit in (
        ("containers", len(live), len(new_containers), settings.sandbox_max_containers),
        ("networks", len(mine_nets), len(wanted_nets - have_nets), settings.sandbox_max_networks),
        ("volumes", len(mine_vols), len(wanted_vols - have_vols), settings.sandbox_max_volumes),
    ):
        if new and used + new > limit:
            raise QuotaExceeded(
                "sandbox.compose_run.quota",
                kind=kind,
                project=project.name,
                new=new,
                used=used,
                limit=limit,
            )


# --- shared by the commands (compose.py, compose_views.py) ------------------------------------


async def checked(ctx: Context, request: Any) -> Any:
    """The policy, exactly as for a typed line (own images included when the service is here)."""
    if ctx.checker is not None:
        return await ctx.checker(request)
    return Policy.from_settings(ctx.settings).check(request)


def warnings_text(project: ComposeProject) -> str:
    return "".join(f"WARN[0000] {warning}\n" for warning in project.warnings)


def by_service(found: Found, services: list[str]) -> list[tuple[str, dict[str, Any]]]:
    pairs = sorted(found.containers.items())
    return [(s, c) for s, c in pairs if not services or s in services]


async def project_name(ctx: Context, req: ComposeRequest) -> tuple[ComposeProject | None, str]:
    """Commands that only find objects work from ``-p`` alone, as Compose's do."""
    try:
        project = await load(ctx, req)
    except ComposeError:
        if req.project is None:
            raise
        return None, req.project
    return project, project.name
