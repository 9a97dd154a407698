"""The path scrubber on the texts the engine really produces (captured from dockerd 20.10)."""

from __future__ import annotations

import time

import pytest

from moussaillon.sandbox.scrub import HIDDEN, blank_engine_fields, scrub_paths

LAYER = "cd1a76f63c3978cd3e2dfb371711533fc227c06a60f3272b95c28643243b2560"
PREFIX = "m-u42-"


@pytest.mark.parametrize(
    ("engine", "student"),
    [
        (
            f"source /var/lib/docker/overlay2/{LAYER}/merged/etc/hosts is not directory",
            "source /etc/hosts is not directory",
        ),
        ('"SandboxKey": "/var/run/docker/netns/d9b32fff8e43",', f'"SandboxKey": "{HIDDEN}",'),
        (
            'error mounting "/var/lib/docker/volumes/m-u42-vol/_data" to rootfs at "/etc/hosts":'
            " mount /var/lib/docker/volumes/m-u42-vol/_data:/etc/hosts (via /proc/self/fd/6)",
            f'error mounting "m-u42-vol" to rootfs at "/etc/hosts": mount m-u42-vol:/etc/hosts'
            f" (via {HIDDEN})",
        ),
        ("/var/lib/docker/volumes/m-u7-theirs/_data", HIDDEN),  # another student's volume
        ("/srv/engine/volumes/m-u42-vol/_data/x", "m-u42-vol/x"),  # another data-root
        (
            f"overlay / overlay ro,lowerdir=/var/lib/docker/overlay2/l/ABCD:/var/lib/docker/"
            f"overlay2/l/EF,upperdir=/var/lib/docker/overlay2/{LAYER}/diff,"
            f"workdir=/var/lib/docker/overlay2/{LAYER}/work 0 0",
            f"overlay / overlay ro,lowerdir={HIDDEN}:{HIDDEN},upperdir={HIDDEN},"
            f"workdir={HIDDEN} 0 0",
        ),
        (
            f"1204 1180 254:1 /var/lib/docker/containers/{LAYER}/hosts /etc/hosts rw",
            f"1204 1180 254:1 {HIDDEN} /etc/hosts rw",
        ),
        (f"12:pids:/docker/{LAYER}", f"12:pids:{HIDDEN}"),
        ("write /run/containerd/io.containerd.runtime.v2.task/moby/x/log.json", f"write {HIDDEN}"),
        ("open /proc/4242/ns/net: no such file", f"open {HIDDEN}: no such file"),
    ],
)
def test_engine_paths_become_what_the_student_knows(engine: str, student: str) -> None:
    assert scrub_paths(engine, PREFIX) == student


@pytest.mark.parametrize(
    "kept",
    [
        "/etc/hosts",
        "/proc/asound",  # docker's MaskedPaths: container paths, the same everywhere
        "ls: /var/run/docker.sock: No such file or directory",
        "http://web:80/index.html",
        LAYER,  # a bare id (``docker run -d`` prints the student's own)
        "Storage Driver: overlay2",
    ],
)
def test_what_is_not_an_engine_path_is_left_alone(kept: str) -> None:
    assert scrub_paths(kept, PREFIX) == kept


@pytest.mark.parametrize("text", ["/a@" * 20000, "/ " * 50000, ("/x/" + "f" * 63 + " ") * 1000])
def test_scrubbing_stays_linear_on_hostile_output(text: str) -> None:
    started = time.monotonic()
    scrub_paths(text, PREFIX)
    assert time.monotonic() - started < 1.0


def test_path_fields_are_emptied_wherever_they_sit() -> None:
    engine = {
        "LogPath": f"/var/lib/docker/containers/{LAYER}/{LAYER}-json.log",
        "GraphDriver": {"Data": {"MergedDir": "/x/merged"}, "Name": "overlay2"},
        "NetworkSettings": {"SandboxKey": "/var/run/docker/netns/abc"},
        "Mounts": [
            {"Type": "volume", "Name": "m-u42-data", "Source": "/v/_data", "Destination": "/d"},
            {"Type": "tmpfs", "Source": "", "Destination": "/tmp"},
        ],
        "Mountpoint": "/var/lib/docker/volumes/m-u42-data/_data",
    }
    shown = blank_engine_fields(engine)
    assert shown["LogPath"] == "" and shown["Mountpoint"] == ""
    assert shown["GraphDriver"] == {"Data": None, "Name": "overlay2"}
    assert shown["NetworkSettings"]["SandboxKey"] == ""
    assert shown["Mounts"][0]["Source"] == "" and shown["Mounts"][0]["Name"] == "m-u42-data"
