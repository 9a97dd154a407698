"""The engine's JSON and stream shapes, turned into the sandbox's typed requests and back.

A ``POST /containers/create`` body becomes the ``CreateRequest`` that ``docker create`` parses
to, so the one policy and the one executor see it; what the engine sends back (log frames) is
scrubbed of the host's paths before it reaches the student.
"""

from __future__ import annotations

import struct
from typing import Any, Literal, cast

from moussaillon.sandbox.requests import CreateRequest, EnvVar, Mount, PortMapping, RestartPolicy
from moussaillon.sandbox.scrub import scrub_paths

MountKind = Literal["volume", "bind", "tmpfs"]
# Create-body fields for which ``docker run`` in the chat has no option: a value other than the
# CLI's default is refused with the flag the student typed, as the chat refuses the flag.
UNSUPPORTED_HOST = {
    "Dns": "--dns",
    "DnsOptions": "--dns-option",
    "DnsSearch": "--dns-search",
    "ExtraHosts": "--add-host",
    "Links": "--link",
    "PidsLimit": "--pids-limit",
    "Ulimits": "--ulimit",
    "OomKillDisable": "--oom-kill-disable",
    "OomScoreAdj": "--oom-score-adj",
    "CgroupParent": "--cgroup-parent",
    "ShmSize": "--shm-size",
    "DeviceCgroupRules": "--device-cgroup-rule",
    "DeviceRequests": "--gpus",
    "GroupAdd": "--group-add",
    "StorageOpt": "--storage-opt",
    "CpuShares": "--cpu-shares",
    "CpuPeriod": "--cpu-period",
    "CpuQuota": "--cpu-quota",
    "CpuRealtimePeriod": "--cpu-rt-period",
    "CpuRealtimeRuntime": "--cpu-rt-runtime",
    "CpusetCpus": "--cpuset-cpus",
    "CpusetMems": "--cpuset-mems",
    "BlkioWeight": "--blkio-weight",
    "BlkioWeightDevice": "--blkio-weight-device",
    "BlkioDeviceReadBps": "--device-read-bps",
    "BlkioDeviceWriteBps": "--device-write-bps",
    "BlkioDeviceReadIOps": "--device-read-iops",
    "BlkioDeviceWriteIOps": "--device-write-iops",
    "MemoryReservation": "--memory-reservation",
    "MemorySwap": "--memory-swap",
    "MemorySwappiness": "--memory-swappiness",
    "KernelMemory": "--kernel-memory",
    "Isolation": "--isolation",
    "MaskedPaths": "MaskedPaths",
    "ReadonlyPaths": "ReadonlyPaths",
    "Annotations": "--annotation",
}
UNSUPPORTED_CONFIG = {
    "Domainname": "--domainname",
    "MacAddress": "--mac-address",
    "StopTimeout": "--stop-timeout",
    "Shell": "SHELL",
    "OnBuild": "ONBUILD",
}


def _set(value: Any) -> bool:
    """A value the CLI sends only when the student gave the option (its defaults are empty,
    zero, false or null; ``MemorySwappiness`` is null unless given)."""
    return value not in (None, 0, "", False, [], {})


def unsupported_fields(body: dict[str, Any]) -> list[str]:
    host = body.get("HostConfig") or {}
    found = [flag for key, flag in UNSUPPORTED_HOST.items() if _set(host.get(key))]
    if host.get("MemorySwappiness") == -1:  # what some CLIs send for "not given"
        found.remove("--memory-swappiness")
    found += [flag for key, flag in UNSUPPORTED_CONFIG.items() if _set(body.get(key))]
    log = host.get("LogConfig") or {}
    if _set(log.get("Type")):
        found.append("--log-driver")
    if _set(log.get("Config")):
        found.append("--log-opt")
    return found


STREAM_FRAME = struct.Struct(">BxxxI")


def create_request(name: str | None, body: dict[str, Any]) -> CreateRequest:
    """An engine ``ContainerConfig`` as the typed request ``docker create`` would parse to.

    Fields the policy refuses are carried over so it can name them; the limits, mounts and
    network the engine gets are rewritten by the executor, never copied from here."""
    host = body.get("HostConfig") or {}
    unsupported = unsupported_fields(body)
    mounts: list[Mount] = []
    for bind in host.get("Binds") or []:
        source, _, rest = str(bind).partition(":")
        target = rest.split(":", 1)[0] or source
        kind: MountKind = "bind" if source.startswith("/") else "volume"
        mounts.append(Mount(type=kind, source=source, target=target))
    for m in host.get("Mounts") or []:
        given = m.get("Type")
        kind = cast(MountKind, given) if given in ("volume", "bind", "tmpfs") else "bind"
        mounts.append(
            Mount(
                type=kind,
                source=m.get("Source") or None,
                target=m.get("Target") or "/",
                read_only=bool(m.get("ReadOnly")),
            )
        )
    for target, options in (host.get("Tmpfs") or {}).items():
        if not any(m.target == target for m in mounts):
            mounts.append(Mount(type="tmpfs", target=str(target)))
            if options:
                unsupported.append("--tmpfs (options)")
    for target in body.get("Volumes") or {}:
        if not any(m.target == target for m in mounts):
            mounts.append(Mount(type="volume", target=target))
    publish = []
    for port, bindings in (host.get("PortBindings") or {}).items():
        number, _, proto = port.partition("/")
        for b in bindings or [{}]:
            hp = (b or {}).get("HostPort") or None
            publish.append(
                PortMapping(
                    container_port=int(number),
                    protocol=proto or "tcp",
                    host_port=int(hp) if hp else None,
                    host_ip=(b or {}).get("HostIp") or None,
                )
            )
    mode = host.get("NetworkMode") or None
    endpoints = (body.get("NetworkingConfig") or {}).get("EndpointsConfig") or {}
    endpoint = endpoints.get(mode) if isinstance(endpoints, dict) else None
    if endpoint is None and isinstance(endpoints, dict) and len(endpoints) == 1:
        endpoint = next(iter(endpoints.values()))
    given = endpoint.get("Aliases") if isinstance(endpoint, dict) else None
    aliases = [str(a) for a in given] if isinstance(given, list) else []
    restart = host.get("RestartPolicy") or {}
    nano = host.get("NanoCpus") or 0
    return CreateRequest(
        raw="api containers/create",
        image=str(body.get("Image") or ""),
        command=list(body.get("Cmd") or []),
        entrypoint=None if body.get("Entrypoint") is None else list(body["Entrypoint"]),
        name=name or None,
        detach=True,
        remove=bool(host.get("AutoRemove")),
        env=[
            EnvVar(key=k, value=v if sep else None)
            for k, sep, v in (str(e).partition("=") for e in body.get("Env") or [])
        ],
        publish=publish,
        expose=list(body.get("ExposedPorts") or {}),
        mounts=mounts,
        network=None if mode in (None, "default", "bridge") else mode,
        network_aliases=aliases,  # Compose's service names: DNS between the project's services
        workdir=body.get("WorkingDir") or None,
        hostname=body.get("Hostname") or None,
        user=body.get("User") or None,
        labels=dict(body.get("Labels") or {}),
        restart=RestartPolicy(
            name=restart["Name"], max_retries=restart.get("MaximumRetryCount") or 0
        )
        if restart.get("Name") in ("always", "unless-stopped", "on-failure")
        else None,
        init=bool(host.get("Init")),
        stop_signal=body.get("StopSignal") or None,
        memory=host.get("Memory") or None,
        cpus=nano / 1e9 if nano else None,
        privileged=bool(host.get("Privileged")),
        cap_add=list(host.get("CapAdd") or []),
        devices=[str(d.get("PathOnHost", d)) for d in host.get("Devices") or []],
        pid=host.get("PidMode") or None,
        ipc=host.get("IpcMode")
        if host.get("IpcMode") not in (None, "", "private", "shareable")
        else None,
        uts=host.get("UTSMode") or None,
        userns=host.get("UsernsMode") or None,
        cgroupns=host.get("CgroupnsMode")
        if host.get("CgroupnsMode") not in (None, "", "private")
        else None,
        security_opt=list(host.get("SecurityOpt") or []),
        runtime=host.get("Runtime") or None,  # even runc: the sandbox picks the runtime
        sysctls=dict(host.get("Sysctls") or {}),
        volumes_from=list(host.get("VolumesFrom") or []),
        publish_all=bool(host.get("PublishAllPorts")),
        read_only=bool(host.get("ReadonlyRootfs")),
        cap_drop=list(host.get("CapDrop") or []),
        unsupported=unsupported,
        interactive=bool(body.get("OpenStdin")),
        stdin_once=bool(body.get("StdinOnce")),
        tty=bool(body.get("Tty")),
    )


def frames(raw: bytes, prefix: str) -> bytes:
    """A multiplexed log stream with each payload scrubbed, re-framed (8-byte headers)."""
    out = bytearray()
    i = 0
    while i + 8 <= len(raw):
        kind, size = STREAM_FRAME.unpack(raw[i : i + 8])
        payload = scrub_paths(raw[i + 8 : i + 8 + size].decode("utf-8", "replace"), prefix)
        data = payload.encode()
        out += STREAM_FRAME.pack(kind, len(data)) + data
        i += 8 + size
    return bytes(out)
