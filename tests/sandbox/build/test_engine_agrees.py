"""The real engine's classic builder reads these Dockerfiles as we do: the same line, the same
words. Each fails at the engine's parse, so nothing is built or left behind.

This is what makes the checks worth something: the engine parses the file again, and a line we
read differently would be a line we did not check.
"""

from __future__ import annotations

import io

import aiodocker
import pytest

from moussaillon.sandbox.build.context import context_tar
from moussaillon.sandbox.build.dockerfile import check_dockerfile
from moussaillon.sandbox.build.errors import DockerfileError, DockerfileSyntaxError

pytestmark = pytest.mark.docker

SAME: list[str] = [
    "FROM scratch\nRUN true\nFORM x\n",
    "FROM scratch\nRUN a \\\n\nFORM x\nFORM y\n",  # an empty line inside a continuation
    "FROM scratch\nRUN a \\\n# note\nFORM x\nFORM y\n",  # a comment inside one
    "FROM scratch\nRUN a \\\nFORM x\nFORM y\n",
    "FROM scratch\nFORM \\",  # a continuation ending the file
    "# escape=`\nFROM scratch\nRUN a `\nFORM x\nFORM y\n",
    "FROM scratch\nCOPY --FROM=x a /a\n",
    "FROM scratch AS b\nFROM scratch\nCOPY --from=b --from=c a /a\n",
    "FROM scratch\nCOPY --from a /a\n",
    "FROM scratch\nEXPOSE --x 80\n",
    "FROM scratch\nHEALTHCHECK --start-interval=1s CMD true\n",
    "FROM scratch\nHEALTHCHECK RUN true\n",
    "FROM scratch\nHEALTHCHECK NONE x\n",
    "FROM scratch\nHEALTHCHECK CMD\n",
    "FROM scratch build\n",
    "FROM scratch AS 1st\n",
    "FROM scratch\nSHELL /bin/sh -c\n",
    "FROM scratch\nUSER\n",
    "FROM scratch\nMAINTAINER\n",
    "FROM scratch\nEXPOSE\n",
    "FROM scratch\nCOPY a\n",
    "ARG A\nENV B=1\nFROM scratch\n",
    "",
]


async def _engine_says(docker: aiodocker.Docker, text: str) -> str:
    tar = context_tar({}, dockerfile_name="Dockerfile", dockerfile_text=text)
    with pytest.raises(aiodocker.DockerError) as caught:
        await docker.images.build(
            fileobj=io.BytesIO(tar),
            encoding="application/x-tar",
            path_dockerfile="Dockerfile",
            forcerm=True,
        )
    return str(caught.value.message)


@pytest.mark.parametrize("text", SAME, ids=[repr(t)[:50] for t in SAME])
async def test_the_engine_gives_the_same_parse_error(docker: aiodocker.Docker, text: str) -> None:
    with pytest.raises(DockerfileSyntaxError) as ours:
        check_dockerfile(text)
    assert await _engine_says(docker, text) == ours.value.message("en")


async def test_a_lax_parser_would_miss_the_line_the_engine_reads(docker: aiodocker.Docker) -> None:
    """A non-breaking space after the backslash: the engine starts a new instruction on the
    next line (here an unknown one; it could be a FROM), where dockerfile-parse alone would
    have continued the RUN. We refuse the file and name the line."""
    text = "FROM scratch\nRUN a \\\u00a0\nFORM x\nFORM y\n"
    assert await _engine_says(docker, text) == (
        "dockerfile parse error line 3: unknown instruction: FORM"
    )
    with pytest.raises(DockerfileError) as ours:
        check_dockerfile(text)
    assert ours.value.key == "sandbox.build.refused.ambiguous"
    assert ours.value.params == {"line": 2}


async def test_a_dockerfile_of_args_only_never_reaches_the_engine() -> None:
    """dockerd 20.10 drops the connection on this one (the CLI shows ``EOF``); we answer with
    Docker's message for a file without a stage."""
    with pytest.raises(DockerfileSyntaxError) as ours:
        check_dockerfile("ARG A=1\n")
    assert ours.value.message("en") == "no build stage in current context"
