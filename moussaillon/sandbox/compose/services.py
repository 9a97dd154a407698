"""One service of a checked compose file, turned into the model: Compose's short and long
syntaxes read as Compose reads them, what the sandbox does not run refused with the reason.

Runs after the schema: types are the ones the schema allows, so only meanings are checked here
(a host path, ``restart: always``, an undefined volume …). Errors name the key path and line.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moussaillon.core.i18n import t
from moussaillon.sandbox.compose import keys
from moussaillon.sandbox.compose.errors import ComposeError
from moussaillon.sandbox.compose.interpolate import DotenvError, parse_dotenv
from moussaillon.sandbox.compose.model import (
    BuildSpec,
    DependsOn,
    Healthcheck,
    Service,
    ServiceNetwork,
    ServicePort,
    ServiceVolume,
)
from moussaillon.sandbox.compose.yamlread import Document, Path, dotted

MAX_PORT_RANGE = 20
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass
class Reading:
    """What reading one file needs: its data with lines, the variables, the workspace."""

    document: Document
    env: Mapping[str, str]
    workspace: Mapping[str, bytes]
    base: str  # the compose file's folder in the workspace ("" at the root)
    lang: str | None
    volumes: set[str] = field(default_factory=set)
    networks: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def error(self, message: str, path: Path, /, **params: object) -> ComposeError:
        line = self.document.line(path)
        return ComposeError(message, path=dotted(path) or None, line=line, **params)

    def warn(self, message: str, path: Path, /, **params: object) -> None:
        where = dotted(path)
        line = self.document.line(path)
        text = t(message, self.lang, **params)
        if line is not None:
            text += t("sandbox.compose.at_line", self.lang, line=line)
        self.warnings.append(f"{where}: {text}" if where else text)


def refuse_keys(
    reading: Reading,
    mapping: Mapping[str, Any],
    path: Path,
    allowed: frozenset[str],
    reasons: Mapping[str, str],
) -> None:
    """Refuse the first key of ``mapping`` the sandbox does not run (``x-`` keys are Compose's
    extensions, ignored)."""
    for key in mapping:
        if key in allowed or key.startswith("x-"):
            continue
        reason = reasons.get(key, "unsupported")
        raise reading.error(f"sandbox.compose.refused.{reason}", (*path, key), key=key)


def read_service(reading: Reading, name: str, raw: Mapping[str, Any]) -> Service:
    path: Path = ("services", name)
    refuse_keys(reading, raw, path, keys.SERVICE_KEYS, keys.SERVICE_REASONS)
    build = _build(reading, raw["build"], (*path, "build")) if "build" in raw else None
    image = raw.get("image")
    if image is None and build is None:
        raise reading.error("sandbox.compose.no_image", path, service=name)
    volumes = [
        volume
        for index, item in enumerate(raw.get("volumes") or [])
        if (volume := _volume(reading, item, (*path, "volumes", index))) is not None
    ]
    volumes += [ServiceVolume(type="tmpfs", target=target) for target in _tmpfs(raw.get("tmpfs"))]
    return Service(
        name=name,
        image=str(image) if image is not None else None,
        build=build,
        command=_words(reading, raw.get("command"), (*path, "command")),
        entrypoint=_words(reading, raw.get("entrypoint"), (*path, "entrypoint")),
        environment=_environment(reading, raw, path),
        ports=[
            port
            for index, item in enumerate(raw.get("ports") or [])
            for port in _ports(reading, item, (*path, "ports", index))
        ],
        expose=[str(item) for item in raw.get("expose") or []],
        volumes=volumes,
        networks=_networks(reading, raw.get("networks"), (*path, "networks")),
        depends_on=_depends_on(reading, raw.get("depends_on"), (*path, "depends_on")),
        healthcheck=_healthcheck(reading, raw.get("healthcheck"), (*path, "healthcheck")),
        restart=_restart(reading, raw.get("restart"), (*path, "restart")),
        working_dir=_optional_str(raw.get("working_dir")),
        user=_optional_str(raw.get("user")),
        labels=_pairs(reading, raw.get("labels"), (*path, "labels"), lookup=False),
        profiles=[str(item) for item in raw.get("profiles") or []],
        container_name=_optional_str(raw.get("container_name")),
        tty=_flag(raw.get("tty")),
        stdin_open=_flag(raw.get("stdin_open")),
    )


def _optional_str(value: object) -> str | None:
    return None if value is None else _text(value)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


def workspace_path(reading: Reading, value: str, path: Path, *, kind: str) -> str:
    """A path of the student's files, relative to the compose file's folder; never the
    host's, never out of the workspace."""
    if value.startswith(("/", "~")) or "://" in value or value.startswith("git@"):
        raise reading.error("sandbox.compose.outside_workspace", path, value=value[:100], kind=kind)
    joined = posixpath.normpath(posixpath.join(reading.base, value))
    if joined == ".." or joined.startswith("../"):
        raise reading.error("sandbox.compose.outside_workspace", path, value=value[:100], kind=kind)
    return joined


def _build(reading: Reading, raw: object, path: Path) -> BuildSpec:
    if isinstance(raw, str):
        return BuildSpec(context=workspace_path(reading, raw, path, kind="build"))
    assert isinstance(raw, Mapping)  # the schema allows a string or a mapping
    refuse_keys(reading, raw, path, keys.BUILD_KEYS, keys.BUILD_REASONS)
    context = workspace_path(
        reading, str(raw.get("context", ".")), (*path, "context"), kind="build"
    )
    dockerfile = raw.get("dockerfile")
    if dockerfile is not None:
        dockerfile = str(dockerfile)
        if dockerfile.startswith(("/", "~")) or ".." in dockerfile.split("/"):
            raise reading.error(
                "sandbox.compose.outside_workspace",
                (*path, "dockerfile"),
                value=dockerfile[:100],
                kind="build",
            )
    target = raw.get("target")
    return BuildSpec(
        context=context,
        dockerfile=dockerfile,
        args=_pairs(reading, raw.get("args"), (*path, "args"), lookup=True),
        target=None if target is None else str(target),
    )


def _words(reading: Reading, raw: object, path: Path) -> list[str] | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        return [_text(item) for item in raw]
    try:
        return shlex.split(str(raw))
    except ValueError:
        raise reading.error("sandbox.compose.bad_quotes", path, value=str(raw)[:100]) from None


def _pairs(reading: Reading, raw: object, path: Path, *, lookup: bool) -> dict[str, str]:
    """Compose's "list or dict" (``KEY=VALUE`` items or a mapping); a key without a value
    takes it from the variables when ``lookup`` (as environment and build args do), else is
    empty (as labels are)."""
    result: dict[str, str] = {}
    if raw is None:
        return result
    items: list[tuple[str, object]]
    if isinstance(raw, Mapping):
        items = [(str(key), value) for key, value in raw.items()]
    else:
        assert isinstance(raw, list)  # the schema allows a list or a mapping
        items = []
        for item in raw:
            name, sep, text = str(item).partition("=")
            items.append((name, text if sep else None))
    for key, value in items:
        if value is None:
            if not lookup:
                result[key] = ""
            elif key in reading.env:
                result[key] = reading.env[key]
            continue
        result[key] = _text(value)
    return result


def _environment(reading: Reading, raw: Mapping[str, Any], path: Path) -> dict[str, str]:
    merged: dict[str, str] = {}
    env_files = raw.get("env_file")
    if env_files is not None:
        entries = [env_files] if isinstance(env_files, str) else list(env_files)
        for index, entry in enumerate(entries):
            where: Path = (
                (*path, "env_file")
                if isinstance(env_files, str)
                else (
                    *path,
                    "env_file",
                    index,
                )
            )
            merged.update(_env_file(reading, entry, where))
    merged.update(_pairs(reading, raw.get("environment"), (*path, "environment"), lookup=True))
    return merged


def _env_file(reading: Reading, entry: object, path: Path) -> dict[str, str]:
    required = True
    if isinstance(entry, Mapping):
        refuse_keys(reading, entry, path, frozenset({"path", "required", "format"}), {})
        if entry.get("format") not in (None, "raw"):
            raise reading.error(
                "sandbox.compose.refused.unsupported", (*path, "format"), key="format"
            )
        required = _flag(entry.get("required", True))
        raw_format = entry.get("format") == "raw"
        entry = entry.get("path", "")
    else:
        raw_format = False
    name = workspace_path(reading, str(entry), path, kind="env_file")
    content = reading.workspace.get(name)
    if content is None:
        if required:
            raise reading.error("sandbox.compose.env_file_missing", path, file=name)
        return {}
    text = _decode(reading, content, path, name)
    if raw_format:
        return dict(line.partition("=")[::2] for line in text.splitlines() if "=" in line)
    try:
        return parse_dotenv(text, reading.env)
    except DotenvError as error:
        raise ComposeError(
            "sandbox.compose.dotenv", path=name, line=error.line, text=error.text[:80]
        ) from None


def _decode(reading: Reading, content: bytes, path: Path, name: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise reading.error("sandbox.compose.not_utf8", path, file=name) from None


def _ports(reading: Reading, raw: object, path: Path) -> list[ServicePort]:
    if isinstance(raw, Mapping):
        refuse_keys(
            reading,
            raw,
            path,
            frozenset(
                {"target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"}
            ),
            {},
        )
        if raw.get("mode") not in (None, "ingress", "host"):
            raise reading.error("sandbox.compose.bad_port", path, value=str(raw.get("mode")))
        target = _port_number(reading, raw.get("target"), path)
        published = raw.get("published")
        return [
            ServicePort(
                target=target,
                published=None
                if published in (None, "")
                else _port_number(reading, published, path),
                host_ip=_optional_str(raw.get("host_ip")),
                protocol=_protocol(reading, str(raw.get("protocol", "tcp")), path),
            )
        ]
    return _short_port(reading, _text(raw), path)


def _short_port(reading: Reading, text: str, path: Path) -> list[ServicePort]:
    """``[[host_ip:]published:]target[/protocol]``, ranges included (``8000-8001:80-81``)."""
    spec, _, protocol = text.partition("/")
    protocol = _protocol(reading, protocol or "tcp", path, text)
    host_ip: str | None = None
    if spec.startswith("["):
        end = spec.find("]")
        if end < 0 or spec[end + 1 : end + 2] != ":":
            raise reading.error("sandbox.compose.bad_port", path, value=text[:60])
        host_ip, spec = spec[1:end], spec[end + 2 :]
    parts = spec.split(":")
    if len(parts) > 3 or not all(parts[-1:]):
        raise reading.error("sandbox.compose.bad_port", path, value=text[:60])
    if len(parts) == 3:
        host_ip, parts = parts[0] or None, parts[1:]
    targets = _port_range(reading, parts[-1], path, text)
    published: list[int | None] = [None] * len(targets)
    if len(parts) == 2 and parts[0]:
        published = list(_port_range(reading, parts[0], path, text))
        if len(published) != len(targets):
            raise reading.error("sandbox.compose.bad_port", path, value=text[:60])
    return [
        ServicePort(target=target, published=pub, host_ip=host_ip, protocol=protocol)
        for target, pub in zip(targets, published, strict=True)
    ]


def _port_range(reading: Reading, text: str, path: Path, whole: str) -> list[int]:
    low, dash, high = text.partition("-")
    first = _port_number(reading, low, path, whole)
    last = _port_number(reading, high, path, whole) if dash else first
    if last < first or last - first >= MAX_PORT_RANGE:
        raise reading.error(
            "sandbox.compose.port_range", path, value=whole[:60], limit=MAX_PORT_RANGE
        )
    return list(range(first, last + 1))


def _port_number(reading: Reading, value: object, path: Path, whole: object = None) -> int:
    text = _text(value).strip()
    if not text.isdigit() or not 0 < int(text) <= 65535:
        raise reading.error("sandbox.compose.bad_port", path, value=_text(whole or value)[:60])
    return int(text)


def _protocol(reading: Reading, value: str, path: Path, whole: str | None = None) -> str:
    if value.lower() not in ("tcp", "udp", "sctp"):
        raise reading.error("sandbox.compose.bad_port", path, value=(whole or value)[:60])
    return value.lower()


def _volume(reading: Reading, raw: object, path: Path) -> ServiceVolume | None:
    if isinstance(raw, Mapping):
        return _long_volume(reading, raw, path)
    text = _text(raw)
    parts = text.split(":")
    if len(parts) > 3 or not all(parts):
        raise reading.error("sandbox.compose.bad_volume", path, value=text[:100])
    if len(parts) == 1:
        return _anonymous(reading, parts[0], path, read_only=False)
    source, target = parts[0], parts[1]
    modes = set(parts[2].split(",")) if len(parts) == 3 else set()
    unknown = modes - {"ro", "rw", "z", "Z", "nocopy", "cached", "delegated", "consistent"}
    if unknown:
        raise reading.error("sandbox.compose.bad_volume", path, value=text[:100])
    return _mount(reading, source, target, path, read_only="ro" in modes, short=True)


def _anonymous(reading: Reading, target: str, path: Path, *, read_only: bool) -> ServiceVolume:
    if not target.startswith("/"):
        raise reading.error("sandbox.compose.bad_target", path, target=target[:100])
    return ServiceVolume(type="volume", source=None, target=target, read_only=read_only)


def _mount(
    reading: Reading, source: str, target: str, path: Path, *, read_only: bool, short: bool
) -> ServiceVolume | None:
    if not target.startswith("/"):
        raise reading.error("sandbox.compose.bad_target", path, target=target[:100])
    if source.startswith(("/", "~")):
        key = "docker_socket" if "docker.sock" in source else "host_path"
        raise reading.error(
            f"sandbox.compose.{key}", path, source=source[:100], target=target[:100]
        )
    if source.startswith(".") or (not short and "/" in source):
        reading.warn(
            "sandbox.compose.relative_path", path, source=source[:100], target=target[:100]
        )
        return None
    if source not in reading.volumes:
        raise reading.error(
            "sandbox.compose.undefined_volume", path, service=str(path[1]), volume=source[:64]
        )
    return ServiceVolume(type="volume", source=source, target=target, read_only=read_only)


def _long_volume(reading: Reading, raw: Mapping[str, Any], path: Path) -> ServiceVolume | None:
    kind = str(raw.get("type", "volume"))
    allowed = {"volume": {"nocopy", "subpath"}, "bind": set(), "tmpfs": set()}
    refuse_keys(
        reading,
        raw,
        path,
        frozenset({"type", "source", "target", "read_only", "consistency", kind}),
        {},
    )
    if kind not in allowed:
        raise reading.error("sandbox.compose.refused.mount_type", (*path, "type"), key=kind)
    options = raw.get(kind)
    if isinstance(options, Mapping):
        refuse_keys(reading, options, (*path, kind), frozenset(allowed[kind] - {"subpath"}), {})
    target = str(raw.get("target", ""))
    read_only = _flag(raw.get("read_only", False))
    source = raw.get("source")
    if kind == "tmpfs":
        if not target.startswith("/"):
            raise reading.error("sandbox.compose.bad_target", path, target=target[:100])
        return ServiceVolume(type="tmpfs", target=target, read_only=read_only)
    if kind == "bind":
        source_text = str(source or "")
        if not source_text.startswith(("/", "~")):
            reading.warn(
                "sandbox.compose.relative_path", path, source=source_text[:100], target=target[:100]
            )
            return None
        return _mount(reading, source_text, target, path, read_only=read_only, short=False)
    if source in (None, ""):
        return _anonymous(reading, target, path, read_only=read_only)
    return _mount(reading, str(source), target, path, read_only=read_only, short=False)


def _tmpfs(raw: object) -> list[str]:
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]  # the schema allows a string or a list
    return [str(item).partition(":")[0] for item in items]


def _networks(reading: Reading, raw: object, path: Path) -> list[ServiceNetwork]:
    if raw is None:
        return []
    if isinstance(raw, list):
        entries: list[tuple[str, object]] = [(str(item), None) for item in raw]
    else:
        assert isinstance(raw, Mapping)  # the schema allows a list or a mapping
        entries = [(str(key), value) for key, value in raw.items()]
    result = []
    for name, options in entries:
        where = (*path, name)
        if name != "default" and name not in reading.networks:
            raise reading.error(
                "sandbox.compose.undefined_network", where, service=str(path[1]), network=name[:64]
            )
        aliases: list[str] = []
        if isinstance(options, Mapping):
            refuse_keys(reading, options, where, frozenset({"aliases"}), {})
            aliases = [str(alias) for alias in options.get("aliases") or []]
        result.append(ServiceNetwork(name=name, aliases=aliases))
    return result


def _depends_on(reading: Reading, raw: object, path: Path) -> list[DependsOn]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return [DependsOn(service=str(item)) for item in raw]
    assert isinstance(raw, Mapping)  # the schema allows a list or a mapping
    result = []
    for name, options in raw.items():
        condition = "service_started"
        if isinstance(options, Mapping):
            refuse_keys(
                reading, options, (*path, name), frozenset({"condition", "restart", "required"}), {}
            )
            if not _flag(options.get("required", True)):
                raise reading.error(
                    "sandbox.compose.refused.unsupported", (*path, name, "required"), key="required"
                )
            condition = str(options.get("condition", condition))
        result.append(DependsOn(service=str(name), condition=condition))  # type: ignore[arg-type]  # the schema allows only the three conditions
    return result


def _healthcheck(reading: Reading, raw: object, path: Path) -> Healthcheck | None:
    if raw is None:
        return None
    assert isinstance(raw, Mapping)  # the schema says a mapping
    refuse_keys(
        reading,
        raw,
        path,
        frozenset(
            {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}
        ),
        {},
    )
    test = raw.get("test")
    disable = _flag(raw.get("disable", False))
    if isinstance(test, str):
        words = ["CMD-SHELL", test]
    elif isinstance(test, list):
        words = [_text(item) for item in test]
        if words and words[0] not in ("CMD", "CMD-SHELL", "NONE"):
            raise reading.error("sandbox.compose.bad_test", (*path, "test"), first=words[0][:40])
    else:
        words = []
    if words[:1] == ["NONE"]:
        disable = True
    if not words and not disable:
        raise reading.error("sandbox.compose.bad_test", (*path, "test"), first="")
    retries = raw.get("retries", 3)
    if not str(retries).isdigit():
        raise reading.error("sandbox.compose.bad_number", (*path, "retries"), value=str(retries))
    return Healthcheck(
        test=words,
        interval_s=_seconds(reading, raw.get("interval"), (*path, "interval"), 30),
        timeout_s=_seconds(reading, raw.get("timeout"), (*path, "timeout"), 30),
        retries=int(retries),
        start_period_s=_seconds(reading, raw.get("start_period"), (*path, "start_period"), 0),
        disable=disable,
    )


def _seconds(reading: Reading, raw: object, path: Path, default: float) -> float:
    """A Go duration (``1m30s``, ``500ms``) as Compose writes them, in seconds."""
    if raw is None:
        return default
    text = str(raw).strip()
    if text == "0":
        return 0.0
    total, at = 0.0, 0
    for match in _DURATION.finditer(text):
        if match.start() != at:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        at = match.end()
    if at != len(text) or not text:
        raise reading.error("sandbox.compose.bad_duration", path, value=text[:40])
    return total


def _restart(reading: Reading, raw: object, path: Path) -> str | None:
    """Bounded as ``docker run --restart`` is in the sandbox: ``no`` or ``on-failure[:N]``."""
    if raw is None:
        return None
    value = _text(raw)
    name, colon, count = value.partition(":")
    if name in ("always", "unless-stopped"):
        raise reading.error("sandbox.compose.restart_refused", path, policy=name)
    if name not in ("no", "on-failure") or (
        colon and (name != "on-failure" or not count.isdigit())
    ):
        raise reading.error("sandbox.compose.bad_restart", path, value=value[:40])
    return value


__all__ = ["Reading", "read_service", "refuse_keys", "workspace_path"]
