"""What a compose file means once read and checked: the project, its services and their parts.

Frozen, so the commands that run a project (``up``, ``ps``, ``down`` …) share one value and
none of them can change what the file said. Every field is already in the form the engine
needs (a command is an argument list, a duration is seconds, an environment is strings).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.sandbox.compose.errors import ComposeError


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServicePort(_Frozen):
    target: int
    published: int | None = None
    host_ip: str | None = None
    protocol: str = "tcp"


class ServiceVolume(_Frozen):
    type: Literal["volume", "tmpfs"] = "volume"
    source: str | None = None  # a named volume; None: an anonymous one (or a tmpfs)
    target: str
    read_only: bool = False


class Healthcheck(_Frozen):
    test: list[str]
    interval_s: float = 30
    timeout_s: float = 30
    retries: int = 3
    start_period_s: float = 0
    disable: bool = False


class DependsOn(_Frozen):
    service: str
    condition: Literal["service_started", "service_healthy", "service_completed_successfully"] = (
        "service_started"
    )


class BuildSpec(_Frozen):
    context: str = "."
    dockerfile: str | None = None
    args: dict[str, str] = {}
    target: str | None = None


class ServiceNetwork(_Frozen):
    name: str
    aliases: list[str] = []


class Service(_Frozen):
    name: str
    image: str | None = None
    build: BuildSpec | None = None
    command: list[str] | None = None
    entrypoint: list[str] | None = None
    environment: dict[str, str] = {}
    ports: list[ServicePort] = []
    expose: list[str] = []
    volumes: list[ServiceVolume] = []
    networks: list[ServiceNetwork] = []  # []: the project's default network
    depends_on: list[DependsOn] = []
    healthcheck: Healthcheck | None = None
    restart: str | None = None
    working_dir: str | None = None
    user: str | None = None
    labels: dict[str, str] = {}
    profiles: list[str] = []
    container_name: str | None = None
    tty: bool = False
    stdin_open: bool = False


class ComposeProject(_Frozen):
    name: str
    services: dict[str, Service]
    volumes: list[str]
    networks: list[str]  # top-level names, "default" included when a service uses it
    warnings: list[str] = []
    file: str

    def active(self, profiles: Sequence[str] = ()) -> list[str]:
        """Services enabled as Compose enables them: those without ``profiles``, those sharing
        one with ``profiles``, every one for ``*``; in file order."""
        wanted = set(profiles)
        return [
            name
            for name, service in self.services.items()
            if not service.profiles or "*" in wanted or wanted.intersection(service.profiles)
        ]

    def order(self, services: Sequence[str] | None = None) -> list[str]:
        """The start order of ``services`` (all when None) with their dependencies first, as
        Compose starts them; file order breaks ties. A cycle is refused."""
        for name in services or ():
            if name not in self.services:
                raise ComposeError("sandbox.compose.no_such_service", service=name)
        roots = list(self.services) if services is None else list(services)
        done: list[str] = []
        seen: set[str] = set()
        for root in roots:
            self._visit(root, [], seen, done)
        return done

    def _visit(self, name: str, chain: list[str], seen: set[str], done: list[str]) -> None:
        if name in seen:
            return
        if name in chain:
            cycle = " -> ".join([*chain[chain.index(name) :], name])
            raise ComposeError(
                "sandbox.compose.cycle", path=f"services.{name}.depends_on", cycle=cycle
            )
        chain.append(name)
        for dep in self.services[name].depends_on:
            if dep.service in self.services:
                self._visit(dep.service, chain, seen, done)
        chain.pop()
        seen.add(name)
        done.append(name)


__all__ = [
    "BuildSpec",
    "ComposeProject",
    "DependsOn",
    "Healthcheck",
    "Service",
    "ServiceNetwork",
    "ServicePort",
    "ServiceVolume",
]
