"""``docker build`` on the real engine: the CLI's output, the student's images, and cleanup."""

from __future__ import annotations

from datetime import timedelta

import aiodocker

from moussaillon.core.clock import utcnow
from moussaillon.sandbox.reaper import Reaper
from moussaillon.sandbox.service import SandboxService
from tests.sandbox.build.support import Files, builder_fixture, left_of, shown_ids
from tests.sandbox.engine_support import ok

__all__ = ["builder_fixture"]

FIVE_STEPS = """FROM alpine
COPY hello.txt /hello.txt
RUN cat /hello.txt > /copy.txt
RUN echo built >> /copy.txt
CMD ["cat", "/copy.txt"]
"""


async def test_a_five_step_build_prints_like_the_cli_and_runs(
    builder: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, files = builder
    files.put(clean_user_id, {"Dockerfile": FIVE_STEPS, "hello.txt": f"bonjour {clean_user_id}\n"})
    chunks: list[str] = []

    async def hear(text: str) -> None:
        chunks.append(text)

    result = await service.run_command(
        clean_user_id, "docker build -t prime:scratch .", lang="en", on_output=hear
    )
    assert result.exit_code == 0, result
    out = result.output
    assert "Step 1/5 : FROM alpine\n" in out
    assert "Step 5/5 : CMD" in out
    assert " ---> Running in " in out and "Removing intermediate container" in out
    assert "Successfully built " in out
    assert "Successfully tagged prime:scratch" in out
    assert "m-u" not in out and "moussaillon" not in out and "alpine:latest" not in out
    assert "".join(chunks).strip() == out.strip()
    ran = await ok(service, clean_user_id, "docker run --rm prime:scratch")
    assert ran.output.strip() == f"bonjour {clean_user_id}\nbuilt"
    listed = await ok(service, clean_user_id, "docker images")
    assert "prime" in listed.output and "scratch" in listed.output
    inventory = await service.inventory(clean_user_id)
    assert "prime:scratch" in inventory.images
    await ok(service, clean_user_id, "docker history prime:scratch")
    inspected = await ok(service, clean_user_id, "docker image inspect prime:scratch")
    assert "m-u" not in inspected.output
    await service.reset(clean_user_id)
    assert shown_ids(out)
    assert await left_of(docker, shown_ids(out), service.settings.sandbox_images) == set()


MULTI_STAGE = """FROM busybox AS compile
RUN echo {tag} > /prime
RUN cp /prime /prime.bin
FROM scratch
COPY --from=compile /prime.bin /prime.bin
"""


async def test_two_students_build_the_same_name_and_a_multi_stage_build_leaves_nothing(
    builder: tuple[SandboxService, Files], make_user_id, docker: aiodocker.Docker
) -> None:
    service, files = builder
    alice, bob = make_user_id(), make_user_id()
    outputs = []
    for student in (alice, bob):
        files.put(student, {"Dockerfile": MULTI_STAGE.format(tag=student)})
        result = await ok(service, student, "docker build -t app:1 .")
        outputs.append(result.output)
        assert "Step 4/5 : FROM scratch" in result.output
        assert "Successfully tagged app:1" in result.output
    alice_view = (await service.inventory(alice)).images
    assert "app:1" in alice_view
    assert (await ok(service, alice, "docker image inspect -f '{{.Id}}' app:1")).output != (
        await ok(service, bob, "docker image inspect -f '{{.Id}}' app:1")
    ).output
    quiet = await ok(service, alice, "docker build -q -t app:2 .")
    assert quiet.output.strip().startswith("sha256:") and "\n" not in quiet.output.strip()
    await service.reset(alice)
    assert "app:1" not in (await service.inventory(alice)).images
    assert "app:1" in (await service.inventory(bob)).images
    await service.reset(bob)
    assert await left_of(docker, shown_ids(*outputs), service.settings.sandbox_images) == set()


async def test_a_build_from_the_students_own_image_and_refused_bases(
    builder: tuple[SandboxService, Files], clean_user_id: int, make_user_id
) -> None:
    service, files = builder
    files.put(clean_user_id, {"Dockerfile": f"FROM alpine\nRUN echo {clean_user_id} > /id\n"})
    await ok(service, clean_user_id, "docker build -t base:1 .")
    files.put(clean_user_id, {"Dockerfile": 'FROM base:1\nCMD ["cat", "/id"]\n'})
    built = await ok(service, clean_user_id, "docker build -t child .")
    assert "Step 1/2 : FROM base:1" in built.output
    assert (await ok(service, clean_user_id, "docker run --rm child")).output.strip() == str(
        clean_user_id
    )
    await ok(service, clean_user_id, "docker run -d --name kid child")
    limits = await ok(
        service,
        clean_user_id,
        "docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}"
        " {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.NetworkMode}}' kid",
    )
    memory = service.settings.sandbox_memory_mb * 1024 * 1024
    read_only = "true" if service.rootfs.root_mb is None else "false"  # rootfs.py
    assert limits.output.split()[:3] == [str(memory), str(service.settings.sandbox_pids), read_only]
    await ok(service, clean_user_id, "docker rm -f kid")
    other = make_user_id()
    files.put(other, {"Dockerfile": "FROM base:1\n"})
    refused = await service.run_command(other, "docker build .", lang="en")
    assert refused.refused and "base:1" in (refused.reason or "")
    files.put(other, {"Dockerfile": "FROM ubuntu:22.04\n"})
    refused = await service.run_command(other, "docker build .", lang="en")
    assert refused.refused and "ubuntu" in (refused.reason or "")
    course = await service.run_command(clean_user_id, "docker rmi alpine", lang="en")
    assert course.exit_code == 1 and "alpine" in course.output
    pruned = await ok(service, clean_user_id, "docker image prune -a -f")
    assert "untagged: child:latest" in pruned.output and "deleted: sha256:" in pruned.output
    assert (await service.inventory(clean_user_id)).images == [
        i for i in (await service.inventory(clean_user_id)).images if ":" in i and "child" not in i
    ]


async def test_quotas_are_checked_before_and_after_the_build(
    builder: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    service, files = builder
    service.settings = service.settings.model_copy(update={"build_max_layers": 3})
    deep = f"FROM alpine\nENV U={clean_user_id}\n" + "".join(
        f"RUN echo {i} > /f{i}\n" for i in range(4)
    )
    files.put(clean_user_id, {"Dockerfile": deep})
    result = await service.run_command(clean_user_id, "docker build -t deep .", lang="en")
    assert result.exit_code == 1 and "layers" in result.output, result
    assert "deep:latest" not in (await service.inventory(clean_user_id)).images
    service.settings = service.settings.model_copy(
        update={"sandbox_max_images": 1, "build_max_layers": 40}
    )
    files.put(clean_user_id, {"Dockerfile": "FROM alpine\n"})
    await ok(service, clean_user_id, "docker build -t one .")
    again = await ok(service, clean_user_id, "docker build -t one .")  # the same tag moves
    assert "Successfully tagged one:latest" in again.output
    refused = await service.run_command(clean_user_id, "docker build -t two .", lang="en")
    assert refused.refused and "1 images" in (refused.reason or "")


async def test_the_inventory_describes_the_students_built_images(
    builder: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    service, files = builder
    dockerfile = (
        "FROM busybox AS build\nRUN echo hi > /hi\nFROM alpine\nCOPY --from=build /hi /hi\n"
        'USER nobody\nEXPOSE 8080\nHEALTHCHECK CMD true\nCMD ["cat", "/hi"]\n'
        f"LABEL course=docker id={clean_user_id}\n"
    )
    files.put(clean_user_id, {"Dockerfile": dockerfile})
    await ok(service, clean_user_id, "docker build -t web:2 --label lab=5 .")
    await ok(service, clean_user_id, "docker tag web:2 other:1")
    built = {view.name: view for view in (await service.inventory(clean_user_id)).built}
    web = built["web:2"]
    assert web.user == "nobody" and web.healthcheck and web.exposed == ["8080/tcp"]
    assert web.cmd == ["cat", "/hi"] and web.stages == 2 and web.bases == ["busybox", "alpine"]
    wanted = {"course": "docker", "id": str(clean_user_id), "lab": "5"}
    assert wanted.items() <= web.labels.items()  # with the base image's, as in docker
    assert not any(key.startswith("moussaillon.") for key in web.labels)
    assert web.layers >= 2 and web.size > 0
    assert built["other:1"].id == web.id


async def test_a_target_stage_keeps_the_sandboxs_labels_and_hides_their_steps(
    builder: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    service, files = builder
    dockerfile = (
        f"FROM busybox AS build\nRUN echo {clean_user_id} > /id\n"
        "FROM alpine\nCOPY --from=build /id /id\n"
    )
    files.put(clean_user_id, {"Dockerfile": dockerfile})
    built = await ok(service, clean_user_id, "docker build --target build -t part .")
    assert "Step 2/2 : RUN" in built.output and "moussaillon" not in built.output
    assert "Step 3/" not in built.output
    view = {v.name: v for v in (await service.inventory(clean_user_id)).built}["part:latest"]
    assert view.stages == 2 and view.bases == ["busybox", "alpine"]


async def test_the_reaper_leaves_nothing_of_an_idle_students_builds(
    builder: tuple[SandboxService, Files], clean_user_id: int, docker: aiodocker.Docker
) -> None:
    service, files = builder
    files.put(clean_user_id, {"Dockerfile": MULTI_STAGE.format(tag=f"reaped {clean_user_id}")})
    result = await ok(service, clean_user_id, "docker build -t gone:1 .")
    files.put(clean_user_id, {"Dockerfile": f"FROM alpine\nRUN echo {clean_user_id}\nRUN false\n"})
    broken = await service.run_command(clean_user_id, "docker build .", lang="en")
    assert broken.exit_code == 1
    assert "The command '/bin/sh -c false' returned a non-zero code: 1" in broken.output
    ids = shown_ids(result.output, broken.output)
    assert await left_of(docker, ids, service.settings.sandbox_images)
    owner = f"u{clean_user_id}"
    reaper = Reaper(
        service.engine,
        service.store,
        idle_ttl_min=service.settings.sandbox_idle_ttl_min,
        clock=lambda: utcnow() + timedelta(hours=2),
        scope=lambda found: found == owner,
    )
    report = await reaper.reap_idle()
    assert report.images >= 1
    assert await left_of(docker, ids, service.settings.sandbox_images) == set()
    assert "gone:1" not in (await service.inventory(clean_user_id)).images


async def test_copy_of_the_context_holds_the_students_dockerfile_not_the_rendered_one(
    builder: tuple[SandboxService, Files], clean_user_id: int
) -> None:
    """The engine reads a rendered Dockerfile naming its own refs; ``COPY . .`` must still copy
    what the student wrote, and nothing of the sandbox's."""
    service, files = builder
    dockerfile = 'FROM alpine\nCOPY . /ctx\nCMD ["sh", "-c", "ls -a /ctx; cat /ctx/Dockerfile"]\n'
    files.put(clean_user_id, {"Dockerfile": dockerfile, "app.txt": "x\n"})
    await ok(service, clean_user_id, "docker build -t ctx:1 .")
    ran = await ok(service, clean_user_id, "docker run --rm ctx:1")
    listed = ran.output.split()
    assert "app.txt" in listed and "Dockerfile" in listed
    assert ".dockerfile.moussaillon" not in listed and ".dockerignore" not in listed
    assert "FROM alpine\n" in ran.output and "m-u" not in ran.output
    ignored = "*.txt\nDockerfile\n"
    files.put(clean_user_id, {"Dockerfile": dockerfile, "app.txt": "x\n", ".dockerignore": ignored})
    await ok(service, clean_user_id, "docker build -t ctx:2 .")
    ran = await service.run_command(clean_user_id, "docker run --rm ctx:2 ls -a /ctx")
    assert ran.exit_code == 0, ran
    assert ran.output.split() == [".", "..", ".dockerignore"]  # as Docker: only what is kept
    await service.reset(clean_user_id)
