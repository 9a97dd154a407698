"""The limits forced on every sandbox container, whatever the command line asked for.

Why each one (OWASP Docker cheat sheet rules 1-8, Judge0/Piston defaults):

* Memory = MemorySwap: a hard ceiling with no extra swap; a hog is OOM-killed (exit 137).
  ``-m``/``--cpus`` may ask for less, never more (``applied_limits``).
* NanoCpus, PidsLimit, Ulimits: one student cannot starve the host or fork-bomb it. ``nproc`` is
  generous on purpose: RLIMIT_NPROC counts every process of the same host uid (all containers
  run as root), the pids cgroup is the real per-container guard.
* ``no-new-privileges`` + ``CapDrop ALL`` and a small CapAdd set that common images need when they
  start as root and drop to a service user:
  CHOWN, FOWNER, DAC_OVERRIDE (entrypoints fixing ownership/permissions of their own dirs),
  SETUID, SETGID (nginx/httpd workers switch to their user), NET_BIND_SERVICE (listen on :80),
  KILL (a master signalling workers running as another uid). Not NET_RAW (no raw sockets,
  so no ping/ARP spoofing), not MKNOD, SYS_CHROOT, SETFCAP, SETPCAP, AUDIT_WRITE.
* ReadonlyRootfs with size-limited tmpfs where images write at run time: ``/tmp``, ``/var/tmp``,
  ``/run`` (``/var/run`` links there in Debian and Alpine), ``/var/cache/nginx`` (nginx temp
  paths) and ``/usr/local/apache2/logs`` (httpd's pid file). tmpfs pages count against the
  memory limit, so the disk a student can fill is bounded twice. Any ``VOLUME`` an image
  declares also becomes a tmpfs instead of an anonymous volume on the host disk. Where the
  engine bounds a container's writable layer (``rootfs.py``), ``root_mb`` makes the root
  writable with ``StorageOpt size`` instead; the tmpfs stay.
* No PortBindings, no host binds, no privileged mode, ever: ``-p`` is only recorded.
* A private cgroup namespace: with the engine's default on cgroup v1 (``host``),
  ``/proc/self/cgroup`` shows every container's full engine id and the host's cgroup tree.
* json-file logs with rotation, so a flood cannot fill the disk (its CPU cost in dockerd is
  bounded by the log watch, ``logwatch.py``).
* Restart policy: ``no`` or ``on-failure`` with at most 3 retries.
* No init unless the student asks (``--init``), as docker: the course shows the command as
  PID 1 (``docker top``, ``ps``), and ``docker stop`` of a shell waits its grace period like
  docker's; the stop stays bounded (``grace_period``) and every kill works without one.
* Under gVisor (``runsc``) the pids cgroup also holds the sandbox kernel's own threads (about 55
  at rest), so the limit gets ``GVISOR_PIDS_OVERHEAD`` on top; a fork bomb there brings down that
  one sandbox (exit 2), never the engine.
"""

from __future__ import annotations

from typing import Any

from moussaillon.config import Settings

CAP_ADD = ("CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID")
WRITABLE_PATHS = ("/tmp", "/var/tmp", "/run", "/var/cache/nginx", "/usr/local/apache2/logs")
MAX_RESTARTS = 3
NOFILE = 1024
NPROC = 4096
GVISOR_PIDS_OVERHEAD = 192


def tmpfs_options(settings: Settings) -> str:
    return f"rw,nosuid,nodev,size={settings.sandbox_tmpfs_mb}m"


def restart_policy(name: str | None, retries: int | None = None) -> dict[str, Any]:
    if name in (None, "", "no"):
        return {"Name": "no"}
    count = retries if retries and retries > 0 else MAX_RESTARTS
    return {"Name": "on-failure", "MaximumRetryCount": min(count, MAX_RESTARTS)}


def applied_limits(settings: Settings, memory: int | None, cpus: float | None) -> tuple[int, int]:
    """Memory in bytes and NanoCpus a container gets: what ``-m``/``--cpus`` asked for, at
    most the sandbox's ceilings (0 or nothing asked: the ceiling, as docker's 0 is "no limit")."""
    ceiling_memory = settings.sandbox_memory_mb * 1024 * 1024
    ceiling_cpus = int(settings.sandbox_cpus * 1e9)
    applied_memory = min(memory, ceiling_memory) if memory else ceiling_memory
    applied_cpus = min(int(cpus * 1e9), ceiling_cpus) if cpus else ceiling_cpus
    return applied_memory, applied_cpus


def host_config(
    settings: Settings,
    *,
    network: str,
    mounts: list[dict[str, Any]] | None = None,
    image_volumes: list[str] | None = None,
    restart: dict[str, Any] | None = None,
    memory: int | None = None,
    cpus: float | None = None,
    init: bool = False,
    root_mb: int | None = None,
) -> dict[str, Any]:
    """The HostConfig for ``POST /containers/create``; the request may only lower the memory
    and CPU ceilings, nothing else of it overrides this. ``root_mb``: a writable root of that
    size (only where ``rootfs.py`` found the engine bounds it), else the read-only one."""
    memory, nano_cpus = applied_limits(settings, memory, cpus)
    tmpfs = dict.fromkeys(WRITABLE_PATHS, tmpfs_options(settings))
    mounted = {mount["Target"] for mount in mounts or []}
    for path in image_volumes or []:
        if path not in mounted:
            tmpfs[path] = tmpfs_options(settings)
    for path in mounted:
        tmpfs.pop(path, None)
    config: dict[str, Any] = {
        "NetworkMode": network,
        "Memory": memory,
        "MemorySwap": memory,
        "NanoCpus": nano_cpus,
        "PidsLimit": settings.sandbox_pids,
        "SecurityOpt": ["no-new-privileges"],
        "CapDrop": ["ALL"],
        "CapAdd": list(CAP_ADD),
        "Privileged": False,
        "ReadonlyRootfs": True,
        "Tmpfs": tmpfs,
        "ShmSize": settings.sandbox_tmpfs_mb * 1024 * 1024,
        "Ulimits": [
            {"Name": "nofile", "Soft": NOFILE, "Hard": NOFILE},
            {"Name": "nproc", "Soft": NPROC, "Hard": NPROC},
        ],
        "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "2"}},
        "RestartPolicy": restart or {"Name": "no"},
        "CgroupnsMode": "private",
        # No upstream resolver is reachable from internal networks: give up on an unknown
        # name after one short try instead of the resolver's default 5 s x 2 attempts.
        "DnsOptions": ["timeout:1", "attempts:1"],
        # No IPv6 even where an engine enables it: the host bridge keeps an fe80:: address.
        "Sysctls": {"net.ipv6.conf.all.disable_ipv6": "1"},
        "PortBindings": {},
        "PublishAllPorts": False,
        "Binds": [],
        "Mounts": list(mounts or []),
        "AutoRemove": False,
    }
    if init:  # docker sends the key only for --init
        config["Init"] = True
    if root_mb is not None:
        config["ReadonlyRootfs"] = False
        config["StorageOpt"] = {"size": f"{root_mb}M"}
    if settings.sandbox_runtime:
        config["Runtime"] = settings.sandbox_runtime
        if "runsc" in settings.sandbox_runtime:
            config["PidsLimit"] = settings.sandbox_pids + GVISOR_PIDS_OVERHEAD
    return config


def volume_driver_opts(settings: Settings) -> dict[str, str]:
    """Student volumes live in RAM with a size cap instead of on the host disk."""
    return {"type": "tmpfs", "device": "tmpfs", "o": f"size={settings.sandbox_tmpfs_mb}m"}
