"""Which compose keys the sandbox runs, and why it refuses each of the others.

The Compose Specification has a hundred service keys; a student's sandbox runs the ones the
course uses. Each refused key maps to the reason the student reads (a catalogue key under
``sandbox.compose.refused.``); a key in no list is refused as "not supported here".
"""

from __future__ import annotations

SERVICE_KEYS = frozenset(
    {
        "image",
        "build",
        "command",
        "entrypoint",
        "environment",
        "env_file",
        "ports",
        "expose",
        "volumes",
        "tmpfs",
        "networks",
        "depends_on",
        "healthcheck",
        "restart",
        "working_dir",
        "user",
        "labels",
        "profiles",
        "container_name",
        "tty",
        "stdin_open",
    }
)

_HOST = (
    "privileged",
    "cap_add",
    "cap_drop",
    "devices",
    "device_cgroup_rules",
    "gpus",
    "security_opt",
    "userns_mode",
    "cgroup",
    "cgroup_parent",
    "runtime",
    "isolation",
    "sysctls",
    "ulimits",
    "oom_kill_disable",
    "oom_score_adj",
    "credential_spec",
    "use_api_socket",
    "storage_opt",
    "init",
    "group_add",
)
_NAMESPACE = ("network_mode", "pid", "ipc", "uts")
_LIMITS = (
    "cpus",
    "cpu_count",
    "cpu_percent",
    "cpu_shares",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpuset",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "pids_limit",
    "shm_size",
    "blkio_config",
    "read_only",
)
_OTHER_CONTAINERS = ("volumes_from", "links", "external_links")

SERVICE_REASONS: dict[str, str] = {
    **{key: "host" for key in _HOST},
    **{key: "namespace" for key in _NAMESPACE},
    **{key: "limits" for key in _LIMITS},
    **{key: "other_containers" for key in _OTHER_CONTAINERS},
    "privileged": "privileged",
    "secrets": "secrets",
    "configs": "secrets",
    "deploy": "deploy",
    "extends": "extends",
    "pull_policy": "pull_policy",
    "platform": "platform",
    "scale": "deploy",
    "develop": "develop",
    "logging": "logging",
}

TOP_KEYS = frozenset({"version", "name", "services", "volumes", "networks"})
TOP_REASONS = {
    "include": "include",
    "secrets": "secrets",
    "configs": "secrets",
    "models": "unsupported",
    "jobs": "unsupported",
}

BUILD_KEYS = frozenset({"context", "dockerfile", "args", "target"})
BUILD_REASONS = {
    "network": "build_network",
    "ssh": "secrets",
    "secrets": "secrets",
    "dockerfile_inline": "dockerfile_inline",
    "additional_contexts": "build_contexts",
    "privileged": "privileged",
    "entitlements": "privileged",
    "extra_hosts": "host",
    "ulimits": "host",
    "shm_size": "limits",
    "cache_from": "registry",
    "cache_to": "registry",
    "pull": "registry",
    "platforms": "platform",
}

VOLUME_KEYS = frozenset({"driver"})
NETWORK_KEYS = frozenset({"driver"})
RESOURCE_REASONS = {
    "external": "external",
    "driver_opts": "driver_opts",
    "ipam": "ipam",
    "name": "resource_name",
}

__all__ = [
    "BUILD_KEYS",
    "BUILD_REASONS",
    "NETWORK_KEYS",
    "RESOURCE_REASONS",
    "SERVICE_KEYS",
    "SERVICE_REASONS",
    "TOP_KEYS",
    "TOP_REASONS",
    "VOLUME_KEYS",
]
