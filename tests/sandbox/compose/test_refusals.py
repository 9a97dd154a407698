"""Every compose key the sandbox does not run is refused on its own, with the reason, the key
path and the line, in French and English."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.compose_messages import MESSAGES
from tests.sandbox.compose.support import refusal, service

SERVICE_KEYS = [
    ("privileged: true", "privileged", "privileged"),
    ("cap_add: [NET_ADMIN]", "cap_add", "host"),
    ("cap_drop: [ALL]", "cap_drop", "host"),
    ("devices: ['/dev/kvm:/dev/kvm']", "devices", "host"),
    ("security_opt: ['seccomp:unconfined']", "security_opt", "host"),
    ("userns_mode: host", "userns_mode", "host"),
    ("sysctls: {net.ipv4.ip_forward: 1}", "sysctls", "host"),
    ("runtime: runc", "runtime", "host"),
    ("cgroup_parent: x", "cgroup_parent", "host"),
    ("ulimits: {nproc: 65535}", "ulimits", "host"),
    ("init: true", "init", "host"),
    ("network_mode: host", "network_mode", "namespace"),
    ("network_mode: bridge", "network_mode", "namespace"),
    ("pid: host", "pid", "namespace"),
    ("ipc: host", "ipc", "namespace"),
    ("uts: host", "uts", "namespace"),
    ("mem_limit: 2g", "mem_limit", "limits"),
    ("cpus: 4", "cpus", "limits"),
    ("pids_limit: 10000", "pids_limit", "limits"),
    ("shm_size: 1g", "shm_size", "limits"),
    ("read_only: true", "read_only", "limits"),
    ("volumes_from: [db]", "volumes_from", "other_containers"),
    ("links: [db]", "links", "other_containers"),
    ("secrets: [token]", "secrets", "secrets"),
    ("configs: [conf]", "configs", "secrets"),
    ("deploy: {replicas: 3}", "deploy", "deploy"),
    ("scale: 3", "scale", "deploy"),
    ("extends: {service: base}", "extends", "extends"),
    ("pull_policy: always", "pull_policy", "pull_policy"),
    ("platform: linux/arm64", "platform", "platform"),
    ("logging: {driver: syslog}", "logging", "logging"),
    ("develop: {watch: [{path: ., action: rebuild}]}", "develop", "develop"),
    ("hostname: web", "hostname", "unsupported"),
    ("dns: [8.8.8.8]", "dns", "unsupported"),
    ("extra_hosts: ['host.docker.internal:host-gateway']", "extra_hosts", "unsupported"),
]


@pytest.mark.parametrize(("body", "key", "reason"), SERVICE_KEYS)
def test_a_refused_service_key_names_itself_its_reason_and_line(
    body: str, key: str, reason: str
) -> None:
    error = refusal(service("ports: ['80']\n" + body))
    assert error.key == f"sandbox.compose.refused.{reason}"
    assert error.path == f"services.web.{key}"
    assert error.line == 5
    assert error.message("fr").startswith(f"services.web.{key}: {key} ")
    assert error.message("en").endswith("(line 5)")
    assert error.message("fr").endswith("(ligne 5)")


BUILD_KEYS = [
    ("network: host", "network", "build_network"),
    ("ssh: [default]", "ssh", "secrets"),
    ("secrets: [token]", "secrets", "secrets"),
    ("dockerfile_inline: FROM alpine", "dockerfile_inline", "dockerfile_inline"),
    ("additional_contexts: {base: ../base}", "additional_contexts", "build_contexts"),
    ("privileged: true", "privileged", "privileged"),
    ("cache_from: [registry/x]", "cache_from", "registry"),
    ("platforms: [linux/arm64]", "platforms", "platform"),
    ("no_cache: true", "no_cache", "unsupported"),
]


@pytest.mark.parametrize(("body", "key", "reason"), BUILD_KEYS)
def test_a_refused_build_key(body: str, key: str, reason: str) -> None:
    error = refusal(f"services:\n  app:\n    build:\n      context: .\n      {body}\n")
    assert error.key == f"sandbox.compose.refused.{reason}"
    assert error.path == f"services.app.build.{key}"
    assert error.line == 5


TOP_KEYS = [
    ("include: [other.yaml]", "include", "include"),
    ("secrets: {token: {file: ./token}}", "secrets", "secrets"),
    ("configs: {conf: {file: ./conf}}", "configs", "secrets"),
]


@pytest.mark.parametrize(("body", "key", "reason"), TOP_KEYS)
def test_a_refused_top_level_key(body: str, key: str, reason: str) -> None:
    error = refusal(service("", extra=body + "\n"))
    assert error.key == f"sandbox.compose.refused.{reason}"
    assert error.path == key
    assert error.line == 4


RESOURCES = [
    ("volumes", "data: {external: true}", "data.external", "external"),
    (
        "volumes",
        "data:\n    driver_opts: {type: none, o: bind, device: /}",
        "data.driver_opts",
        "driver_opts",
    ),
    ("volumes", "data: {name: shared}", "data.name", "resource_name"),
    ("volumes", "data: {driver: nfs}", "data.driver", "driver"),
    ("volumes", "data: {labels: {a: b}}", "data.labels", "unsupported"),
    ("networks", "front: {external: true}", "front.external", "external"),
    ("networks", "front: {driver: host}", "front.driver", "driver"),
    ("networks", "front: {ipam: {config: [{subnet: 10.0.0.0/8}]}}", "front.ipam", "ipam"),
    ("networks", "front: {internal: true}", "front.internal", "unsupported"),
]


@pytest.mark.parametrize(("section", "body", "where", "reason"), RESOURCES)
def test_refused_volume_and_network_options(
    section: str, body: str, where: str, reason: str
) -> None:
    error = refusal(service("", extra=f"{section}:\n  {body}\n"))
    assert error.key == f"sandbox.compose.refused.{reason}"
    assert error.path == f"{section}.{where}"
    assert error.line in (5, 6)


NESTED = [
    ("networks:\n  front:\n    ipv4_address: 10.0.0.5", "services.web.networks.front.ipv4_address"),
    (
        "depends_on:\n  db:\n    condition: service_started\n    required: false",
        "services.web.depends_on.db.required",
    ),
    ("ports:\n  - target: 80\n    app_protocol: http\n    name: web\n    x-y: 1", None),
    ("volumes:\n  - type: bind\n    source: /\n    target: /host", "services.web.volumes[0]"),
    ("volumes:\n  - type: npipe\n    source: x\n    target: /x", "services.web.volumes[0].type"),
    (
        "volumes:\n  - type: image\n    source: alpine\n    target: /x",
        "services.web.volumes[0].type",
    ),
    ("healthcheck:\n  test: [BOGUS, x]", "services.web.healthcheck.test"),
    ("env_file:\n  - path: a.env\n    format: json", "services.web.env_file[0].format"),
]


@pytest.mark.parametrize(("body", "where"), NESTED)
def test_refused_options_inside_supported_keys(body: str, where: str | None) -> None:
    text = service(body, extra="networks:\n  front:\n") if "front" in body else service(body)
    if where is None:  # everything here is allowed
        from tests.sandbox.compose.support import load

        load(text)
        return
    assert refusal(text).path == where


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("/", "host_path"),
        ("/etc", "host_path"),
        ("~/projects", "host_path"),
        ("/var/run/docker.sock", "docker_socket"),
    ],
)
def test_host_paths_are_refused_with_the_reason(source: str, key: str) -> None:
    error = refusal(service(f"volumes:\n  - {source}:/mnt"))
    assert error.key == f"sandbox.compose.{key}"
    assert error.path == "services.web.volumes[0]"
    assert "named volume" in error.message("en") or "Docker socket" in error.message("en")


def test_undefined_volumes_networks_and_services_are_named_as_compose_names_them() -> None:
    cases = [
        (service("volumes: ['data:/data']"), 'service "web" refers to undefined volume data'),
        (service("networks: [front]"), 'service "web" refers to undefined network front'),
        (service("depends_on: [db]"), 'service "web" depends on undefined service "db"'),
        ("services:\n  web:\n    ports: ['80']\n", 'service "web" has neither an image'),
    ]
    for text, expected in cases:
        assert expected in refusal(text).message("en"), text


def test_a_dependency_cycle_is_refused_with_the_chain() -> None:
    text = """\
services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: [c]}
  c: {image: x, depends_on: [a]}
"""
    error = refusal(text)
    assert error.message("en") == (
        "services.a.depends_on: dependency cycle detected: a -> b -> c -> a (line 2)"
    )


def test_every_refusal_reason_has_a_message() -> None:
    from moussaillon.sandbox.compose import keys

    reasons = {
        *keys.SERVICE_REASONS.values(),
        *keys.TOP_REASONS.values(),
        *keys.BUILD_REASONS.values(),
        *keys.RESOURCE_REASONS.values(),
        "unsupported",
        "driver",
        "mount_type",
    }
    for reason in reasons:
        assert f"sandbox.compose.refused.{reason}" in MESSAGES, reason
