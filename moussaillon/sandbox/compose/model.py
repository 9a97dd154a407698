"""Stand-in for compose-file's model: the same names and fields, frozen pydantic models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from moussaillon.sandbox.compose.errors import ComposeError


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ServicePort(_Frozen):
    target: int
    published: int | None = None
    host_ip: str | None = None
    protocol: str = "tcp"


class ServiceVolume(_Frozen):
    type: Literal["volume", "tmpfs"] = "volume"
    source: str | None = None
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
    networks: list[ServiceNetwork] = []
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
    networks: list[str]
    warnings: list[str] = []
    file: str

    def active(self, profiles: Sequence[str] = ()) -> list[str]:
        return [
            name
            for name, service in self.services.items()
            if not service.profiles or set(service.profiles) & set(profiles)
        ]

    def order(self, services: Sequence[str] | None = None) -> list[str]:
        wanted = list(self.services) if services is None else list(services)
        done: list[str] = []
        visiting: set[str] = set()

        def visit(name: str) -> None:
            if name in done:
                return
            if name in visiting:
                raise ComposeError(f"depends_on: cycle through {name}")
            if name not in self.services:
                raise ComposeError(f"no such service: {name}")
            visiting.add(name)
            for dep in self.services[name].depends_on:
                visit(dep.service)
            visiting.discard(name)
            done.append(name)

        for name in wanted:
            visit(name)
        return done
