"""The fields every request shares, and the small value models of their options."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EnvVar(_Model):
    key: str
    value: str | None = None  # None: ``-e FOO`` passes the (empty, in the sandbox) outer value


class PortMapping(_Model):
    host_ip: str | None = None
    host_port: int | None = None  # None: the engine picks an ephemeral port
    container_port: int
    protocol: Literal["tcp", "udp", "sctp"] = "tcp"


class Mount(_Model):
    type: Literal["volume", "bind", "tmpfs"]
    source: str | None = None  # None: an anonymous volume (or a tmpfs)
    target: str
    read_only: bool = False


class RestartPolicy(_Model):
    name: Literal["no", "always", "unless-stopped", "on-failure"] = "no"
    max_retries: int = 0


class Healthcheck(_Model):
    """``--health-*`` of ``docker run``, as the engine's ``Healthcheck`` wants it (durations in
    nanoseconds); an empty ``test`` keeps the image's own command, ``["NONE"]`` turns it off."""

    test: list[str] = []
    interval: int | None = None
    timeout: int | None = None
    start_period: int | None = None
    retries: int | None = None


class Filter(_Model):
    key: str
    value: str


class BaseRequest(_Model):
    raw: str = ""  # the original command line, as typed
    unsupported: list[str] = []  # recognised flags the sandbox does not support, as typed
