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
STREAM_FRAME = struct.Struct(">BxxxI")


def create_request(name: str | None, body: dict[str, Any]) -> CreateRequest:
    """An engine ``ContainerConfig`` as the typed request ``docker create`` would parse to.

    Fields the policy refuses are carried over so it can name them; the limits, mounts and
    network the engine gets are rewritten by the executor, never copied from here."""
    host = body.get("HostConfig") or {}
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
        runtime=host.get("Runtime") if host.get("Runtime") not in (None, "", "runc") else None,
        sysctls=dict(host.get("Sysctls") or {}),
        volumes_from=list(host.get("VolumesFrom") or []),
        interactive=bool(body.get("OpenStdin")),
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
