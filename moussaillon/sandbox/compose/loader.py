"""Stand-in for compose-file's loader: a small safe-YAML subset, enough for the course's files.

compose-file's loader (schema, interpolation, bounds) replaces this one at merge.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

import yaml  # type: ignore[import-untyped]  # stand-in only

from moussaillon.sandbox.compose.errors import ComposeError
from moussaillon.sandbox.compose.model import (
    BuildSpec,
    ComposeProject,
    DependsOn,
    Healthcheck,
    Service,
    ServiceNetwork,
    ServicePort,
    ServiceVolume,
)

DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
DEFAULT_PROJECT = "app"
MAX_BYTES = 64 * 1024
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _seconds(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    parts = _DURATION.findall(str(value))
    return sum(float(n) * _UNITS[u] for n, u in parts)


def _words(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return shlex.split(value)
    return [str(v) for v in value]


def _pairs(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    out: dict[str, str] = {}
    for item in value or []:
        key, _, val = str(item).partition("=")
        out[key] = val
    return out


def _port(value: Any, where: str) -> ServicePort:
    if isinstance(value, int):
        return ServicePort(target=value)
    if isinstance(value, Mapping):
        return ServicePort(
            target=int(value["target"]),
            published=int(value["published"]) if value.get("published") else None,
        )
    text, _, proto = str(value).partition("/")
    parts = text.split(":")
    try:
        if len(parts) == 1:
            return ServicePort(target=int(parts[0]), protocol=proto or "tcp")
        host_ip = parts[0] if len(parts) == 3 else None
        return ServicePort(
            target=int(parts[-1]),
            published=int(parts[-2]),
            host_ip=host_ip,
            protocol=proto or "tcp",
        )
    except ValueError:
        raise ComposeError(f"{where}: invalid port {value!r}") from None


def _volume(value: Any, where: str, warnings: list[str]) -> ServiceVolume | None:
    if isinstance(value, Mapping):
        kind = value.get("type", "volume")
        if kind == "bind":
            raise ComposeError(f"{where}: host paths cannot be mounted ({value.get('source')})")
        return ServiceVolume(
            type=kind,
            source=value.get("source"),
            target=str(value["target"]),
            read_only=bool(value.get("read_only")),
        )
    parts = str(value).split(":")
    if len(parts) == 1:
        return ServiceVolume(target=parts[0])
    source, target = parts[0], parts[1]
    if source.startswith(("/", "~")):
        raise ComposeError(f"{where}: host paths cannot be mounted ({source})")
    if source.startswith("."):
        warnings.append(f"{where}: {source} is mapped to nothing (no host folders here)")
        return None
    return ServiceVolume(source=source, target=target, read_only="ro" in parts[2:])


def _service(name: str, raw: Mapping[str, Any], warnings: list[str]) -> Service:
    where = f"services.{name}"
    build = raw.get("build")
    if isinstance(build, str):
        build_spec: BuildSpec | None = BuildSpec(context=build)
    elif isinstance(build, Mapping):
        build_spec = BuildSpec(
            context=str(build.get("context", ".")),
            dockerfile=build.get("dockerfile"),
            args=_pairs(build.get("args")),
            target=build.get("target"),
        )
    else:
        build_spec = None
    nets = raw.get("networks") or []
    if isinstance(nets, Mapping):
        networks = [
            ServiceNetwork(name=str(n), aliases=list((v or {}).get("aliases") or []))
            for n, v in nets.items()
        ]
    else:
        networks = [ServiceNetwork(name=str(n)) for n in nets]
    deps = raw.get("depends_on") or []
    if isinstance(deps, Mapping):
        depends = [
            DependsOn(service=str(d), condition=(v or {}).get("condition", "service_started"))
            for d, v in deps.items()
        ]
    else:
        depends = [DependsOn(service=str(d)) for d in deps]
    health = raw.get("healthcheck")
    healthcheck = None
    if isinstance(health, Mapping):
        test = health.get("test") or ["NONE"]
        healthcheck = Healthcheck(
            test=["CMD-SHELL", test] if isinstance(test, str) else [str(t) for t in test],
            interval_s=_seconds(health.get("interval", 30)),
            timeout_s=_seconds(health.get("timeout", 30)),
            retries=int(health.get("retries", 3)),
            start_period_s=_seconds(health.get("start_period", 0)),
            disable=bool(health.get("disable", False)),
        )
    volumes = [
        _volume(v, f"{where}.volumes[{i}]", warnings)
        for i, v in enumerate(raw.get("volumes") or [])
    ]
    return Service(
        name=name,
        image=raw.get("image"),
        build=build_spec,
        command=_words(raw.get("command")),
        entrypoint=_words(raw.get("entrypoint")),
        environment=_pairs(raw.get("environment")),
        ports=[_port(p, f"{where}.ports") for p in raw.get("ports") or []],
        expose=[str(e) for e in raw.get("expose") or []],
        volumes=[v for v in volumes if v is not None],
        networks=networks,
        depends_on=depends,
        healthcheck=healthcheck,
        restart=raw.get("restart"),
        working_dir=raw.get("working_dir"),
        user=None if raw.get("user") is None else str(raw.get("user")),
        labels=_pairs(raw.get("labels")),
        profiles=[str(p) for p in raw.get("profiles") or []],
        container_name=raw.get("container_name"),
        tty=bool(raw.get("tty", False)),
        stdin_open=bool(raw.get("stdin_open", False)),
    )


def load_project(
    workspace: Mapping[str, bytes],
    *,
    file: str | None = None,
    project_name: str | None = None,
    profiles: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    max_kb: int = MAX_BYTES // 1024,
    max_services: int = 10,
    lang: str | None = None,
) -> ComposeProject:
    path = file or next((name for name in DEFAULT_FILES if name in workspace), None)
    if path is None:
        raise ComposeError("no configuration file provided: not found")
    path = path.removeprefix("./")
    if path not in workspace:
        raise ComposeError(f"open {path}: no such file or directory")
    data = workspace[path]
    if len(data) > max_kb * 1024:
        raise ComposeError(f"{path}: larger than {max_kb} KB")
    try:
        raw = yaml.safe_load(data.decode("utf-8", "replace")) or {}
    except yaml.YAMLError as exc:
        raise ComposeError(f"{path}: {exc}") from None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("services"), Mapping):
        raise ComposeError(f"{path}: services must be a mapping")
    warnings: list[str] = []
    if "version" in raw:
        warnings.append(
            f"{path}: the attribute `version` is obsolete, it will be ignored, please remove it "
            "to avoid potential confusion"
        )
    if len(raw["services"]) > max_services:
        raise ComposeError(f"services: more than {max_services}")
    services = {
        str(name): _service(str(name), body or {}, warnings)
        for name, body in raw["services"].items()
    }
    networks = [str(n) for n in raw.get("networks") or {}]
    if any(not s.networks for s in services.values()) and "default" not in networks:
        networks.insert(0, "default")
    return ComposeProject(
        name=project_name or str(raw.get("name") or DEFAULT_PROJECT),
        services=services,
        volumes=[str(v) for v in raw.get("volumes") or {}],
        networks=networks,
        warnings=warnings,
        file=path,
    )
