"""The snapshot on a real engine: one owner's objects, under that owner's names, nobody else's.

The objects are made by hand, as the executor leaves them, so the snapshot (through the
sandbox's ``inventory``) is checked against the engine's own view rather than against itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import aiodocker

from moussaillon.labs.checks import evaluate, parse_check
from moussaillon.labs.snapshot import snapshot
from moussaillon.sandbox import labels
from moussaillon.sandbox.scope import IMAGE, PORTS, Scope
from tests.sandbox.engine_support import make_service


def owned(scope: Scope, name: str, **extra: str) -> dict[str, str]:
    return scope.labels(name, **extra)


async def populate(docker: aiodocker.Docker, owner: str, image: str, secret: str) -> None:
    """What the executor would leave after ``network create lamp``, ``run -d --name web …``."""
    scope = Scope(owner)
    await docker.networks.create(
        {"Name": scope.internal("lamp"), "Internal": True, "Labels": owned(scope, "lamp")}
    )
    await docker.volumes.create({"Name": scope.internal("site"), "Labels": owned(scope, "site")})
    await docker.volumes.create({"Name": scope.internal(secret), "Labels": owned(scope, secret)})
    ports = json.dumps([{"host_port": 8080, "container_port": 80, "protocol": "tcp"}])
    web = await docker.containers.create(
        {
            "Image": image,
            "Cmd": ["sleep", "600"],
            "Labels": owned(scope, "web", **{IMAGE: "httpd", PORTS: ports}),
            "HostConfig": {
                "NetworkMode": scope.internal("lamp"),
                "Mounts": [
                    {"Type": "volume", "Source": scope.internal("site"), "Target": "/htdocs"}
                ],
            },
        },
        name=scope.internal("web"),
    )
    await web.start()
    gone = await docker.containers.create(
        {"Image": image, "Cmd": ["true"], "Labels": owned(scope, f"old-{secret}")},
        name=scope.internal(f"old-{secret}"),
    )
    await gone.delete(force=True)
    await docker.images.tag(image, f"{scope.image_repo}mine-{secret}", tag="v1")


async def test_snapshot_sees_only_its_owner_under_the_students_names(
    docker: aiodocker.Docker,
    standin_images: dict[str, str],
    make_user_id: Callable[[], int],
    tmp_path: Path,
) -> None:
    alice_id, bob_id = make_user_id(), make_user_id()
    alice, bob = labels.owner_key(alice_id), labels.owner_key(bob_id)
    image = standin_images["busybox"]
    await populate(docker, alice, image, "alice-data")
    await populate(docker, bob, image, "bob-data")
    sandbox, store = make_service(docker, standin_images, tmp_path)
    try:
        state = await snapshot(sandbox, alice_id, last_output="It works!")
        assert [c.name for c in state.containers] == ["web"]
        web = state.containers[0]
        assert (web.image, web.state, web.running) == ("httpd", "running", True)
        assert web.networks == ["lamp"]
        assert [(p.host_port, p.container_port) for p in web.published] == [(8080, 80)]
        assert [(m.name, m.target) for m in web.mounts] == [("site", "/htdocs")]
        assert not any(key.startswith("moussaillon.") for key in web.labels)
        assert state.volumes == ["alice-data", "site"]
        assert state.networks == ["lamp"]
        assert state.removed_containers == ["old-alice-data"]
        assert "mine-alice-data:v1" in state.images
        assert "mine-bob-data:v1" not in state.images
        assert {"busybox:latest", "alpine:latest"} <= set(state.images)
        assert state.last_output == "It works!"
        text = state.model_dump_json()
        assert "bob" not in text and f"m-{alice}" not in text

        check = parse_check(
            {
                "container": "web",
                "running": True,
                "image": "httpd",
                "network": "lamp",
                "published": "8080:80",
                "mount": "site:/htdocs",
            }
        )
        assert evaluate(check, state).ok
        assert not evaluate(parse_check({"volume_exists": "bob-data"}), state).ok

        theirs = await snapshot(sandbox, bob_id)
        assert theirs.volumes == ["bob-data", "site"]
        assert theirs.removed_containers == ["old-bob-data"]
        assert "mine-bob-data:v1" in theirs.images
        assert "mine-alice-data:v1" not in theirs.images
    finally:
        await sandbox.close()
        store.close()
        for owner, secret in ((alice, "alice-data"), (bob, "bob-data")):
            await docker.images.delete(f"{Scope(owner).image_repo}mine-{secret}:v1")
