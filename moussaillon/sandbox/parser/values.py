"""Docker's little value languages: ports, ``-v``, ``--mount``, ``-e``, labels, filters, restart.

Each function mirrors what the docker CLI accepts and fails with a docker-like message; deciding
whether a well-formed value is *allowed* (a bind mount, say) is the policy's job, not this one's.
"""

from __future__ import annotations

import re
from typing import Literal

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.requests import (
    EnvVar,
    Filter,
    Healthcheck,
    Mount,
    PortMapping,
    RestartPolicy,
)

MAX_PORTS = 100
_PROTOCOLS = ("tcp", "udp", "sctp")
_VOLUME_MODES = {
    "ro", "rw", "z", "Z", "nocopy", "private", "rprivate", "shared", "rshared", "slave", "rslave",
}  # fmt: skip


def _error(key: str, **params: object) -> CommandSyntaxError:
    return CommandSyntaxError(key, **params)


def _port_range(text: str, value: str, part: str = "containerPort") -> tuple[int, int]:
    """``part`` is how docker names the bad half in its error (``invalid hostPort: 99999``)."""
    start, dash, end = text.partition("-")
    try:
        low = int(start)
        high = int(end) if dash else low
    except ValueError:
        raise _error("sandbox.syntax.invalid_port", value=value, part=part, bad=text) from None
    if not (0 < low <= high <= 65535) or not start.isdigit() or (dash and not end.isdigit()):
        raise _error("sandbox.syntax.invalid_port", value=value, part=part, bad=text)
    return low, high


def parse_ports(value: str) -> list[PortMapping]:
    """``[ip:][host:]container[/proto]`` with ranges, as ``-p`` takes it."""
    spec, slash, protocol = value.partition("/")
    protocol = protocol.lower() if slash else "tcp"
    if protocol not in _PROTOCOLS:
        raise _error("sandbox.syntax.invalid_port", value=value)
    host_ip: str | None = None
    if spec.startswith("["):
        address, bracket, spec = spec[1:].partition("]")
        if not bracket or not spec.startswith(":"):
            raise _error("sandbox.syntax.invalid_port", value=value)
        host_ip, spec = address, spec[1:]
        parts = spec.split(":")
        if len(parts) != 2:
            raise _error("sandbox.syntax.invalid_port", value=value)
        parts = ["", *parts]
    else:
        parts = spec.split(":")
        if len(parts) > 3 or not parts[-1]:
            raise _error("sandbox.syntax.invalid_port", value=value)
        parts = [""] * (3 - len(parts)) + parts
        host_ip = parts[0] or None
    host_text, container_text = parts[1], parts[2]
    low, high = _port_range(container_text, value)
    count = high - low + 1
    if count > MAX_PORTS:
        raise _error("sandbox.syntax.invalid_port", value=value)
    if host_text:
        host_low, host_high = _port_range(host_text, value, "hostPort")
        if host_high - host_low + 1 != count:
            raise _error("sandbox.syntax.invalid_port", value=value)
        hosts: list[int | None] = list(range(host_low, host_high + 1))
    else:
        hosts = [None] * count
    return [
        PortMapping(host_ip=host_ip, host_port=host, container_port=port, protocol=protocol)  # type: ignore[arg-type]  # checked above against the Literal; pydantic checks again
        for host, port in zip(hosts, range(low, high + 1), strict=True)
    ]


def parse_container_port(value: str) -> tuple[int, str | None]:
    """``80`` or ``80/tcp``, as ``docker port`` takes it."""
    number, slash, protocol = value.partition("/")
    if not number.isdigit() or not 0 < int(number) <= 65535:
        raise _error("sandbox.syntax.invalid_port", value=value)
    if slash and protocol.lower() not in _PROTOCOLS:
        raise _error("sandbox.syntax.invalid_port", value=value)
    return int(number), (protocol.lower() if slash else None)


def _is_host_path(source: str) -> bool:
    """Paths, and shell expansions a real shell would turn into one (``$(pwd)``, ``$PWD``)."""
    return source.startswith(("/", ".", "~", "\\", "$")) or (len(source) > 1 and source[1] == ":")


def parse_volume(value: str) -> Mount:
    """``-v name:/path[:mode]``, ``-v /path`` (anonymous) or ``-v /host:/path`` (a bind)."""
    parts = value.split(":")
    mode = ""
    if len(parts) == 3:
        source, target, mode = parts
    elif len(parts) == 2 and (parts[1] in _VOLUME_MODES or "," in parts[1]) and parts[0][:1] == "/":
        source, target, mode = "", parts[0], parts[1]
    elif len(parts) == 2:
        source, target = parts
    elif len(parts) == 1:
        source, target = "", parts[0]
    else:
        raise _error("sandbox.syntax.invalid_volume", value=value)
    modes = [m for m in mode.split(",") if m] if mode else []
    if not target.startswith("/") or any(m not in _VOLUME_MODES for m in modes):
        raise _error("sandbox.syntax.invalid_volume", value=value)
    if len(parts) >= 2 and not source:
        if len(parts) == 3 or parts[1] not in _VOLUME_MODES:
            raise _error("sandbox.syntax.invalid_volume", value=value)
    kind: Literal["bind", "volume"] = "bind" if source and _is_host_path(source) else "volume"
    return Mount(type=kind, source=source or None, target=target, read_only="ro" in modes)


_MOUNT_IGNORED = {"consistency", "tmpfs-size", "tmpfs-mode", "bind-propagation", "volume-nocopy"}
_MOUNT_UNSUPPORTED = {"volume-opt", "volume-driver", "volume-subpath", "bind-recursive"}


def parse_mount(value: str) -> tuple[Mount, list[str]]:
    """``--mount type=…,source=…,target=…,readonly``; returns the unsupported keys seen too."""
    fields: dict[str, str] = {}
    unsupported_keys: list[str] = []
    read_only = False
    for item in value.split(","):
        key, eq, val = item.strip().partition("=")
        key = key.lower()
        if key in ("readonly", "ro"):
            if eq and val.lower() not in ("1", "true", "0", "false"):
                raise _error("sandbox.syntax.invalid_mount", value=value)
            read_only = not eq or val.lower() in ("1", "true")
        elif key in ("type", "source", "src", "target", "destination", "dst"):
            if not eq or not val:
                raise _error("sandbox.syntax.invalid_mount", value=value)
            canonical = {"src": "source", "destination": "target", "dst": "target"}.get(key, key)
            fields[canonical] = val
        elif key in _MOUNT_UNSUPPORTED:
            unsupported_keys.append(f"--mount {key}")
        elif key not in _MOUNT_IGNORED:
            raise _error("sandbox.syntax.invalid_mount", value=value)
    kind = fields.get("type", "volume")
    target = fields.get("target")
    if kind not in ("volume", "bind", "tmpfs") or not target or not target.startswith("/"):
        raise _error("sandbox.syntax.invalid_mount", value=value)
    source = fields.get("source")
    if (kind == "tmpfs" and source) or (kind == "bind" and not source):
        raise _error("sandbox.syntax.invalid_mount", value=value)
    mount = Mount(type=kind, source=source, target=target, read_only=read_only)  # type: ignore[arg-type]  # checked above against the Literal; pydantic checks again
    return mount, unsupported_keys


def parse_tmpfs(value: str) -> Mount:
    target = value.split(":", 1)[0]
    if not target.startswith("/"):
        raise _error("sandbox.syntax.invalid_mount", value=value)
    return Mount(type="tmpfs", target=target)


def parse_env(value: str) -> EnvVar:
    key, eq, val = value.partition("=")
    if not key or any(c.isspace() for c in key):
        raise _error("sandbox.syntax.invalid_env", value=value)
    return EnvVar(key=key, value=val if eq else None)


def parse_key_values(values: list[str], flag_name: str, command: str) -> dict[str, str]:
    """``-l k=v``, ``--sysctl k=v``, ``-o k=v``: a bare key means an empty value, as in docker."""
    result: dict[str, str] = {}
    for value in values:
        key, _, val = value.partition("=")
        if not key.strip():
            raise _error(
                "sandbox.syntax.invalid_value", value=value, flag=flag_name, command=command
            )
        result[key] = val
    return result


def parse_filters(values: list[str]) -> list[Filter]:
    filters = []
    for value in values:
        key, eq, val = value.partition("=")
        if not eq or not key.strip():
            raise _error("sandbox.syntax.invalid_filter", value=value)
        filters.append(Filter(key=key.strip().lower(), value=val))
    return filters


def parse_restart(value: str) -> RestartPolicy:
    name, colon, count = value.partition(":")
    if name not in ("no", "always", "unless-stopped", "on-failure"):
        raise _error("sandbox.syntax.invalid_restart", value=value)
    if colon and (name != "on-failure" or not count.isdigit()):
        raise _error("sandbox.syntax.invalid_restart", value=value)
    return RestartPolicy(name=name, max_retries=int(count) if colon else 0)  # type: ignore[arg-type]  # checked above against the Literal; pydantic checks again


_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4, "p": 1024**5}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?", re.IGNORECASE)


def parse_memory(value: str | None, names: str = "-m, --memory") -> int | None:
    """``-m 64m`` → bytes, docker's ``RAMInBytes`` (binary units, ``b``/``k``/``m``/``g``…)."""
    if value is None:
        return None
    found = _SIZE.fullmatch(value.strip())
    if found is None:
        raise _error(
            "sandbox.syntax.invalid_value",
            value=value,
            flag="--memory",
            names=names,
            reason=f"invalid size: '{value}'",
        )
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_NANOSECONDS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}


def parse_duration(value: str, flag: str) -> int:
    """Go's ``time.ParseDuration`` (``5s``, ``1m30s``, ``500ms``): docker's ``--health-*``."""
    total, at = 0.0, 0
    while at < len(value):
        part = _DURATION_PART.match(value, at)
        if part is None:
            break
        total += float(part.group(1)) * _NANOSECONDS[part.group(2)]
        at = part.end()
    if value != "0" and (not value or at != len(value)):
        raise _error(
            "sandbox.syntax.invalid_value",
            value=value,
            flag=flag,
            names=flag,
            reason=f'time: invalid duration "{value}"',
        )
    return int(total)


def parse_healthcheck(
    cmd: str | None, durations: dict[str, str | None], retries: str | None, off: bool
) -> Healthcheck | None:
    """docker's rules: ``--no-healthcheck`` alone, a shell command (``CMD-SHELL``), durations
    and retries that are not negative; without a command the image's own test stays."""
    given = cmd is not None or retries is not None or any(durations.values())
    if off:
        if given:
            raise _error(
                "sandbox.syntax.invalid_value",
                value="--no-healthcheck",
                flag="--no-healthcheck",
                names="--no-healthcheck",
                reason="--no-healthcheck conflicts with --health-* options",
            )
        return Healthcheck(test=["NONE"])
    if not given:
        return None
    times = {
        k: parse_duration(d, f"--health-{k.replace('_', '-')}") for k, d in durations.items() if d
    }
    count = None
    if retries is not None:
        try:
            count = int(retries)
        except ValueError:
            count = -1
        if count < 0:
            raise _error(
                "sandbox.syntax.invalid_value",
                value=retries,
                flag="--health-retries",
                names="--health-retries",
                reason="--health-retries cannot be negative",
            )
    return Healthcheck(test=["CMD-SHELL", cmd] if cmd else [], retries=count, **times)


def parse_cpus(value: str | None) -> float | None:
    """``--cpus 0.5``: docker parses a rational number of CPUs."""
    if value is None:
        return None
    try:
        cpus = float(value)
    except ValueError:
        cpus = -1.0
    if cpus < 0 or cpus != cpus or cpus == float("inf"):
        raise _error(
            "sandbox.syntax.invalid_value",
            value=value,
            flag="--cpus",
            names="--cpus",
            reason=f"failed to parse {value} as a rational number",
        )
    return cpus
