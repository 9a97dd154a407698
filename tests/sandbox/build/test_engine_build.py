"""``docker build`` on the real engine: the CLI's output, the student's images, and cleanup."""

from __future__ import annotations

import aiodocker

from moussaillon.sandbox.service import SandboxService
from tests.sandbox.build.support import Files, builder_fixture, engine_images
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
    before = await engine_images(docker)
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
    assert await engine_images(docker) - before == set()
