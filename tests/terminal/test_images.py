"""Images from the student's own CLI: inspect, history, tag, rmi, prune, pull, system df.

Each through the chat's image executor: the student's images are shown as ``repo:tag``, the
course's are read-only, another student's are invisible; nothing is pulled (no registry), so
``docker pull`` answers as the chat does for a prepared image.
"""

from __future__ import annotations

import json

from moussaillon.core.i18n import t
from tests.sandbox.conftest import docker, make_user_id  # noqa: F401 (fixtures)
from tests.terminal.conftest import Endpoint
from tests.terminal.test_build import CLASSIC, SMALL, builder, cli_in, folder

__all__ = ["builder"]


async def test_inspect_history_tag_in_the_students_names(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, _, err = await endpoint.cli(certs, "tag", "alpine", "me/app:v1")
    assert code == 0, err
    code, out, err = await endpoint.cli(certs, "image", "inspect", "me/app:v1")
    assert code == 0, err
    (shown,) = json.loads(out)
    assert "me/app:v1" in shown["RepoTags"] and "alpine:latest" in shown["RepoTags"]
    assert "m-u" not in out and "/var/lib/docker" not in out
    code, out, err = await endpoint.cli(certs, "history", "--no-trunc", "me/app:v1")
    assert code == 0 and "IMAGE" in out and "sha256:" in out, err
    assert "m-u" not in out
    code, out, err = await endpoint.cli(certs, "images", "--format", "{{.Repository}}:{{.Tag}}")
    assert code == 0 and "me/app:v1" in out.split() and "alpine:latest" in out.split(), err
    code, _, err = await endpoint.cli(certs, "tag", "me/app:v1", "nginx:mine")
    assert code == 1
    assert (
        "Error response from daemon: " + t("sandbox.engine.image.tag_reserved", image="nginx:mine")
        in err
    )
    code, _, err = await endpoint.cli(certs, "image", "inspect", "nope:1")
    assert code == 1 and "No such image: nope:1" in err


async def test_rmi_removes_only_the_students_own(endpoint: Endpoint, clean_user_id: int) -> None:
    certs = await endpoint.student(clean_user_id)
    await endpoint.cli(certs, "tag", "alpine", "mine:1")
    code, _, err = await endpoint.cli(certs, "rmi", "alpine")
    assert code == 1
    assert t("sandbox.engine.image.not_yours", image="alpine:latest") in err
    code, out, err = await endpoint.cli(certs, "rmi", "mine:1")
    assert (code, out) == (0, "Untagged: mine:1\n"), err
    code, out, _ = await endpoint.cli(certs, "images", "--format", "{{.Repository}}")
    assert "mine" not in out.split() and "alpine" in out.split()


async def test_rmi_of_a_built_image_untags_and_deletes(
    builder: Endpoint, clean_user_id: int
) -> None:
    certs = await builder.student(clean_user_id)
    root = folder(builder.tmp, "app", {"Dockerfile": SMALL})
    code, out, err = await cli_in(builder, certs, root, "build", "-t", "built", ".", env=CLASSIC)
    assert code == 0, (out, err)
    code, out, err = await builder.cli(certs, "rmi", "built")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Untagged: built:latest"
    assert any(line.startswith("Deleted: sha256:") for line in lines[1:])
    assert "m-u" not in out


async def test_another_students_images_are_invisible(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    alice_certs, bob_certs = await endpoint.student(alice), await endpoint.student(bob)
    code, _, err = await endpoint.cli(alice_certs, "tag", "busybox", "secret:1")
    assert code == 0, err
    code, out, _ = await endpoint.cli(bob_certs, "images", "--format", "{{.Repository}}")
    assert "secret" not in out.split()
    code, _, err = await endpoint.cli(bob_certs, "image", "inspect", "secret:1")
    assert code == 1 and "No such image" in err
    code, _, err = await endpoint.cli(bob_certs, "rmi", "secret:1")
    assert code == 1 and "No such image" in err
    code, _, err = await endpoint.cli(bob_certs, "tag", "secret:1", "mine:1")
    assert code == 1
    code, out, _ = await endpoint.cli(alice_certs, "images", "--format", "{{.Repository}}")
    assert "secret" in out.split()


async def test_prune_removes_only_the_students_unused_tags(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    await endpoint.cli(certs, "tag", "alpine", "old:1")
    code, out, err = await endpoint.cli(certs, "image", "prune", "-f")
    assert (code, out) == (0, "Total reclaimed space: 0B\n"), err
    code, out, err = await endpoint.cli(certs, "image", "prune", "-a", "-f")
    assert code == 0, err
    assert "untagged: old:1" in out and "alpine" not in out
    code, out, _ = await endpoint.cli(certs, "images", "--format", "{{.Repository}}")
    assert "old" not in out.split() and "alpine" in out.split()
    code, _, err = await endpoint.cli(certs, "image", "prune", "-f", "--filter", "until=24h")
    assert code == 1 and "invalid filter 'until'" in err


async def test_pull_answers_as_the_chat_for_a_prepared_image(
    endpoint: Endpoint, clean_user_id: int
) -> None:
    certs = await endpoint.student(clean_user_id)
    code, out, err = await endpoint.cli(certs, "pull", "alpine")
    assert code == 0, err
    assert out.splitlines() == [
        "Using default tag: latest",
        "latest: Pulling from library/alpine",
        "Status: Image is up to date for alpine:latest",
        "docker.io/library/alpine:latest",
    ]
    code, out, err = await endpoint.cli(certs, "pull", "redis:7")
    assert code == 1 and "Error response from daemon: " in err and "redis" in err
    assert "Pulling from" not in out


async def test_system_df_counts_only_the_students_objects(
    endpoint: Endpoint,
    make_user_id,  # noqa: F811 (fixture)
) -> None:
    alice, bob = make_user_id(), make_user_id()
    alice_certs, bob_certs = await endpoint.student(alice), await endpoint.student(bob)
    code, _, err = await endpoint.cli(alice_certs, "create", "--name", "idle", "alpine", "true")
    assert code == 0, err
    await endpoint.cli(alice_certs, "tag", "alpine", "mine:1")
    fmt = "{{.Type}}|{{.TotalCount}}|{{.Active}}|{{.Reclaimable}}"
    code, out, err = await endpoint.cli(alice_certs, "system", "df", "--format", fmt)
    assert code == 0, err
    rows = {line.split("|")[0]: line.split("|")[1:] for line in out.splitlines()}
    courses = len(endpoint.service.settings.sandbox_images)
    assert rows["Containers"][:2] == ["1", "0"]
    assert rows["Images"][1] == "1"  # the alpine the container uses
    code, out, err = await endpoint.cli(bob_certs, "system", "df", "--format", fmt)
    assert code == 0, err
    rows = {line.split("|")[0]: line.split("|")[1:] for line in out.splitlines()}
    assert rows["Containers"] == ["0", "0", "0B"]
    assert rows["Images"][:2] == [str(courses), "0"]
    assert rows["Images"][2].startswith("0B")  # the course's images are never reclaimable
    code, out, err = await endpoint.cli(alice_certs, "system", "df", "-v")
    assert code == 0 and "idle" in out and "m-u" not in out, err
