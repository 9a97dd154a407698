"""Dockerfiles checked before the engine: what a plan says, Docker-shaped parse errors with the
line, and every refusal with its reason; the bad inputs of the issue refused fast."""

from __future__ import annotations

import pytest

from moussaillon.sandbox.build.dockerfile import DockerfilePlan, Stage, check_dockerfile
from moussaillon.sandbox.build.errors import DockerfileError, DockerfileSyntaxError
from moussaillon.sandbox.build_messages import MESSAGES
from moussaillon.sandbox.errors import CommandSyntaxError, SandboxRefused

MULTI_STAGE = """\
# The C lab: compile, then copy the binary alone.
ARG DEBIAN=stable-slim
FROM gcc AS build
WORKDIR /src
COPY prime.c .
RUN gcc -static -O2 -o prime prime.c \\
    && strip prime
FROM debian:${DEBIAN} AS run
COPY --from=build /src/prime /usr/local/bin/prime
USER 1000
FROM scratch
COPY --from=build /src/prime /prime
COPY --from=alpine:3.20 /etc/passwd /etc/passwd
EXPOSE 8080 53/udp
HEALTHCHECK --interval=10s CMD ["/prime", "--check"]
CMD ["/prime"]
"""


def test_a_multi_stage_plan_names_its_stages_bases_and_final_settings() -> None:
    plan = check_dockerfile(MULTI_STAGE)
    assert plan.stages == (
        Stage(0, "build", "gcc"),
        Stage(1, "run", "debian:stable-slim"),
        Stage(2, None, "scratch"),
    )
    assert plan.instructions == 14
    assert plan.bases() == ["gcc", "debian:stable-slim", "alpine:3.20"]
    assert plan.user is None  # the final stage (scratch) sets none
    assert plan.healthcheck is True
    assert plan.exposed == ("8080/tcp", "53/udp")
    assert plan.target is None


def test_target_picks_the_stage_and_build_args_override_the_arg_before_from() -> None:
    plan = check_dockerfile(MULTI_STAGE, target="RUN", build_args={"DEBIAN": "trixie"})
    assert plan.stages[1].base == "debian:trixie"
    assert plan.user == "1000"
    assert plan.healthcheck is False
    assert plan.exposed == ()
    assert plan.target == "RUN"


def test_settings_are_inherited_from_the_earlier_stage_a_stage_builds_on() -> None:
    text = "FROM alpine AS base\nUSER app\nEXPOSE 80\nHEALTHCHECK CMD true\nFROM base\nEXPOSE 443\n"
    plan = check_dockerfile(text)
    assert (plan.user, plan.healthcheck, plan.exposed) == ("app", True, ("80/tcp", "443/tcp"))
    assert plan.bases() == ["alpine"]
    plan = check_dockerfile(text + "HEALTHCHECK NONE\nUSER root\n")
    assert (plan.user, plan.healthcheck) == ("root", False)


def test_render_replaces_external_refs_and_keeps_line_numbers() -> None:
    plan = check_dockerfile(MULTI_STAGE)
    rendered = plan.render(lambda ref: f"moussaillon/{ref.replace(':', '-')}")
    original, lines = MULTI_STAGE.splitlines(), rendered.splitlines()
    assert len(lines) == len(original)
    assert lines[2] == "FROM moussaillon/gcc AS build"
    assert lines[7] == "FROM moussaillon/debian-stable-slim AS run"
    assert lines[8] == "COPY --from=build /src/prime /usr/local/bin/prime"
    assert lines[10] == "FROM scratch"
    assert lines[12] == "COPY --from=moussaillon/alpine-3.20 /etc/passwd /etc/passwd"
    for i in (0, 1, 3, 4, 5, 6, 9, 11, 13, 14, 15):
        assert lines[i] == original[i]
    # the rendered file is itself a valid Dockerfile, with only the engine's names left
    again = check_dockerfile(rendered)
    assert again.bases() == [
        "moussaillon/gcc",
        "moussaillon/debian-stable-slim",
        "moussaillon/alpine-3.20",
    ]


def test_a_from_spread_over_continuation_lines_is_rewritten_in_place() -> None:
    text = "FROM \\\n  alpine \\\n  AS a\nRUN true\n"
    plan = check_dockerfile(text)
    rendered = plan.render(lambda ref: "engine/" + ref)
    assert rendered == "FROM engine/alpine AS a\n\n\nRUN true\n"


def test_copy_from_an_image_is_written_out_as_docker_joins_it() -> None:
    """A ``--from=`` inside a comment of the continuation is not the flag Docker reads."""
    text = "FROM alpine\nCOPY \\\n# --from=decoy\n  --chown=1:1 --from=busybox /bin/sh \\\n /sh\n"
    plan = check_dockerfile(text)
    assert plan.bases() == ["alpine", "busybox"]
    rendered = plan.render(lambda ref: "engine/" + ref)
    assert rendered.splitlines() == [
        "FROM engine/alpine",
        "COPY --from=engine/busybox --chown=1:1 /bin/sh  /sh",
        "",
        "",
        "",
    ]
    assert "decoy" not in rendered


def test_render_refuses_an_engine_reference_that_is_not_one_word() -> None:
    plan = check_dockerfile("FROM alpine\n")
    for bad in ("", "alpine\nRUN evil", "a b"):
        with pytest.raises(ValueError):
            plan.render(lambda ref, bad=bad: bad)


def test_a_build_arg_with_spaces_cannot_split_the_from_line() -> None:
    with pytest.raises(DockerfileSyntaxError) as caught:
        check_dockerfile("ARG B\nFROM $B\n", build_args={"B": "alpine AS x"})
    assert caught.value.key == "sandbox.build.syntax.base_reference"


def test_plan_equality_ignores_the_source_text() -> None:
    one, two = check_dockerfile("FROM alpine\n"), check_dockerfile("FROM   alpine\n\n")
    assert one == two
    assert isinstance(one, DockerfilePlan)


ACCEPTED: list[tuple[str, list[str]]] = [
    ("FROM alpine", ["alpine"]),  # no final newline
    ("from alpine\nrun echo hi\n", ["alpine"]),  # instructions are case-insensitive
    ("\ufeffFROM alpine\n", ["alpine"]),  # a BOM
    ("FROM alpine\r\nRUN echo hi\r\n", ["alpine"]),  # Windows line ends
    ("# escape=`\nFROM alpine\nRUN echo a `\n  b\n", ["alpine"]),
    ("FROM alpine\nRUN echo a \\\n\n  b\n", ["alpine"]),  # empty continuation line
    ("FROM alpine\nRUN echo a \\\n# a comment inside\n  b\n", ["alpine"]),
    ("FROM alpine\nRUN echo a \\", ["alpine"]),  # a continuation ending the file
    ("ARG V\nFROM alpine${V:+:}${V}\n", ["alpine"]),
    ("ARG B=alpine T\nFROM ${B}${T:+:}${T}\n", ["alpine"]),  # several ARGs on one line
    ("ARG 1A=x\nFROM alpine\n", ["alpine"]),  # dockerd 20.10 takes any ARG name
    ("ARG B=busybox\nARG T=1.36\nFROM $B:${T}\n", ["busybox:1.36"]),
    ("ARG B\nFROM ${B:-alpine}\n", ["alpine"]),
    ("FROM scratch\nCOPY a /a\n", []),
    ("FROM Scratch\n", []),
    ("FROM alpine AS one\nFROM one AS two\nFROM two\n", ["alpine"]),
    ("FROM alpine AS b\nFROM alpine\nCOPY --from=0 /a /a\nCOPY --from=B /b /b\n", ["alpine"]),
    ("FROM alpine\nCOPY --chown=1000:1000 a /a\nADD --chown=app x.tar.gz /x\n", ["alpine"]),
    ('FROM alpine\nCOPY ["a b", "/c"]\nADD ["x", "/y"]\n', ["alpine"]),
    ("FROM alpine\nADD local.tar.gz /opt/\n", ["alpine"]),
    ("FROM alpine\nADD notes.git /x\n", ["alpine"]),  # a local file, whatever its name
    ("FROM alpine\nHEALTHCHECK\tCMD\ttrue\n", ["alpine"]),
    ("FROM alpine\nRUN cat <file\nRUN echo 1<<2\n", ["alpine"]),  # not heredocs
    ("FROM alpine\nSHELL [\"/bin/sh\", \"-eu\", \"-c\"]\nSTOPSIGNAL SIGTERM\n", ["alpine"]),
    ("FROM alpine\nENV A=1 B=2\nLABEL x=y\nVOLUME /data\nWORKDIR /app\n", ["alpine"]),
    ("FROM alpine\nMAINTAINER me\nENTRYPOINT [\"sh\"]\nCMD\n", ["alpine"]),
    ("FROM alpine\nHEALTHCHECK --interval=5s --timeout=3s --start-period=1s --retries=3"
     " CMD wget -q -O- http://localhost/ || exit 1\n", ["alpine"]),
    ("# syntax is only a directive at the top\nFROM alpine\n# syntax=docker/dockerfile:1\n",
     ["alpine"]),
    ("# comment\n# syntax=docker/dockerfile:1\nFROM alpine\n", ["alpine"]),
    ("FROM alpine\nRUN echo 'café ☕'\n", ["alpine"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "bases"), ACCEPTED, ids=[t[:40] for t, _ in ACCEPTED])
def test_accepted_dockerfiles(text: str, bases: list[str]) -> None:
    assert check_dockerfile(text).bases() == bases


SYNTAX: list[tuple[str, str, int]] = [
    ("FROM alpine\nRUN true\nFORM x\n", "unknown_instruction", 3),
    ("FROM alpine\nCOPY a\n", "two_arguments", 2),
    ("FROM alpine\nADD\n", "two_arguments", 2),
    ("FROM alpine\nRUN\n", "one_argument", 2),
    ("FROM alpine\nEXPOSE\n", "one_argument", 2),
    ("FROM alpine\nUSER\n", "exactly_one", 2),
    ("FROM alpine\nMAINTAINER\n", "exactly_one", 2),
    ("ARG\nFROM alpine\n", "one_argument", 1),
    ("FROM alpine\nSHELL /bin/bash -c\n", "shell_json", 2),
    ("FROM alpine\nHEALTHCHECK NONE x\n", "healthcheck_none", 2),
    ("FROM alpine\nHEALTHCHECK RUN true\n", "healthcheck_type", 2),
    ("FROM alpine\nHEALTHCHECK CMD\n", "healthcheck_cmd", 2),
    ("FROM alpine\nHEALTHCHECK --start-interval=1s CMD true\n", "unknown_flag", 2),
    ("FROM alpine\nCOPY --bogus a b\n", "unknown_flag", 2),
    ("FROM alpine\nEXPOSE --x 80\n", "unknown_flag", 2),
    ("FROM alpine AS b\nFROM alpine\nCOPY --FROM=evil a b\n", "unknown_flag", 3),
    ("FROM alpine AS b\nFROM alpine\nCOPY --from=b --from=evil a b\n", "duplicate_flag", 3),
    ("FROM alpine\nCOPY --from a b\n", "flag_value", 2),
    ("RUN echo no stage\n", "no_stage", 1),
    ("ARG A=1\n\nENV B=2\nFROM alpine\n", "no_stage", 3),
    ("ARG A=1\n", "no_stage", 1),
    ("", "empty", 1),
    ("# only a comment\n\n", "empty", 1),
    ("FROM alpine AS\n", "from_arguments", 1),
    ("FROM alpine build\n", "from_arguments", 1),
    ("FROM alpine AS 1st\n", "stage_name", 1),
    ("FROM alpine AS a\nFROM alpine AS A\n", "duplicate_stage", 2),
    ("ARG BASE\nFROM ${BASE}\n", "blank_base", 2),
    ("ARG BASE='alpine AS x'\nFROM ${BASE}\n", "base_reference", 2),
    ("FROM alpine\nCOPY --from= a b\n", "copy_from_empty", 2),
    ("FROM alpine\nCOPY --from=0 a b\n", "copy_from_current", 2),
    ("FROM alpine\nFROM alpine\nCOPY --from=5 a b\n", "copy_from_later", 3),
    ("ARG A\nFROM ${A:?missing}\n", "substitution", 2),
    ("ARG A\nFROM ${A\n", "substitution", 2),
    ("# escape=x\nFROM alpine\n", "escape", 1),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key", "line"), SYNTAX, ids=[t[:40] for t, _, _ in SYNTAX])
def test_parse_errors_are_dockers_with_the_line(text: str, key: str, line: int) -> None:
    with pytest.raises(DockerfileSyntaxError) as caught:
        check_dockerfile(text)
    assert caught.value.key == f"sandbox.build.syntax.{key}"
    assert caught.value.line == line
    assert isinstance(caught.value, CommandSyntaxError)
    english, french = caught.value.message("en"), caught.value.message("fr")
    assert english != french
    if key not in _NO_LINE:  # the engine words those without a line too
        assert english.startswith(f"dockerfile parse error line {line}: ")
        assert f"ligne {line}" in french


_NO_LINE = {"no_stage", "empty", "blank_base", "escape", "copy_from_current", "copy_from_later"}


def test_unknown_instruction_reads_like_docker() -> None:
    with pytest.raises(DockerfileSyntaxError) as caught:
        check_dockerfile("FROM alpine\nRUN true\nform x\n")
    assert caught.value.message("en") == "dockerfile parse error line 3: unknown instruction: FORM"


REFUSED: list[tuple[bytes | str, str]] = [
    ("# syntax=docker/dockerfile:1\nFROM alpine\n", "syntax_directive"),
    ("# escape=`\n#Syntax = docker/dockerfile:1.7\nFROM alpine\n", "syntax_directive"),
    ("FROM alpine\nRUN --mount=type=cache,target=/root/.cache pip install x\n", "run_mount"),
    ("FROM alpine\nRUN --network=host wget x\n", "run_network"),
    ("FROM alpine\nRUN --security=insecure true\n", "run_security"),
    ("FROM alpine\nCOPY --chmod=755 run.sh /\n", "buildkit_flag"),
    ("FROM alpine\nCOPY --link a /a\n", "buildkit_flag"),
    ("FROM alpine\nCOPY --parents a/b /x\n", "buildkit_flag"),
    ("FROM alpine\nADD --checksum=sha256:00 a /a\n", "buildkit_flag"),
    ("FROM alpine\nADD --keep-git-dir=true a /a\n", "buildkit_flag"),
    ("FROM --platform=linux/arm64 alpine\n", "from_platform"),
    ("FROM alpine\nRUN <<EOF\necho hi\nEOF\n", "heredoc"),
    ("FROM alpine\nRUN cat <<-'END' > /x\nEND\n", "heredoc"),
    ("FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\n", "heredoc"),
    ("FROM alpine\nONBUILD RUN echo hi\n", "onbuild"),
    ("FROM alpine\nADD https://example.com/app.tar.gz /app\n", "add_url"),
    ("FROM alpine\nADD http://example.com/x /x\n", "add_url"),
    ('FROM alpine\nADD ["ftp://example.com/x", "/x"]\n', "add_url"),
    ("FROM alpine\nADD https://github.com/docker/app.git /src\n", "add_git"),
    ("FROM alpine\nADD git@github.com:docker/app.git /src\n", "add_git"),
    ("FROM alpine\nADD github.com/docker/app /src\n", "add_git"),
    ("FROM alpine\nADD git+https://example.com/x /x\n", "add_git"),
    ("FROM a AS one\nFROM one\nFROM one\nFROM one\nFROM one\nFROM one\n", "too_many_stages"),
    ("FROM alpine\nRUN a \\\u00a0\nFROM m-u43/app\n", "ambiguous"),  # NBSP after a backslash
    ("FROM alpine\nRUN a \\ \u2003\nFROM m-u43/app\n", "ambiguous"),
    ("FROM\u00a0alpine\n", "ambiguous"),
    ("FROM alpine\nRUN echo \x0b\n", "control_char"),
    ("FROM alpine\nRUN a \\\x0c\nFROM m-u43/app\n", "control_char"),
    ("FROM alpine\rRUN x\n", "control_char"),
    (b"FROM alpine\nRUN echo \xff\xfe\n", "binary"),
    (b"\x7fELF\x02\x01\x01\x00\x00", "binary"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "key"), REFUSED, ids=[repr(t)[:40] for t, _ in REFUSED])
def test_refused_with_the_reason(text: bytes | str, key: str) -> None:
    with pytest.raises(DockerfileError) as caught:
        check_dockerfile(text)
    assert caught.value.key == f"sandbox.build.refused.{key}"
    assert isinstance(caught.value, SandboxRefused)
    french, english = caught.value.message("fr"), caught.value.message("en")
    assert french != english and "{" not in french + english
    assert "\n" not in french + english


def test_the_line_of_the_refusal_is_named() -> None:
    with pytest.raises(DockerfileError) as caught:
        check_dockerfile("FROM alpine\n\n# cache\nRUN --mount=type=cache,target=/x true\n")
    assert caught.value.message("en").startswith("Line 4: RUN --mount")
    with pytest.raises(DockerfileError) as caught:
        check_dockerfile("FROM alpine\nRUN echo a \\\u00a0\nFROM evil\n")
    assert "line 2" in caught.value.message("en")  # the line with the odd space


def test_a_missing_target_reads_like_docker() -> None:
    with pytest.raises(DockerfileError) as caught:
        check_dockerfile(MULTI_STAGE, target="tests")
    assert caught.value.message("en") == "failed to reach build target tests in Dockerfile"


def test_limits_are_parameters() -> None:
    text = "FROM alpine\n" + "RUN true\n" * 9
    assert check_dockerfile(text, max_instructions=10).instructions == 10
    with pytest.raises(DockerfileError, match="too_many_instructions"):
        check_dockerfile(text, max_instructions=9)
    with pytest.raises(DockerfileError, match="too_many_stages"):
        check_dockerfile("FROM a\nFROM b\n", max_stages=1)
    with pytest.raises(DockerfileError, match="too_large"):
        check_dockerfile("FROM alpine\n" + "#" * 2048, max_bytes=2048)


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        # each also holds what a later check would refuse: the bound answers first
        ("1 MB", b"FROM alpine\nFORM x\x00\n" + b"RUN echo " + b"x" * (1 << 20), "too_large"),
        (
            "10,000 instructions",
            b"FROM alpine\n" + b"RUN a\n" * 10_000 + b"FROM\xc2\xa0evil\nFORM\n",
            "too_many_instructions",
        ),
        ("binary", bytes(range(256)) * 64, "binary"),
        ("binary, no NUL", b"FROM alpine\n" + bytes(range(1, 256)) * 64, "binary"),
    ],
)
def test_the_issues_bad_inputs_are_refused_by_their_bound(name: str, text: bytes, key: str) -> None:
    with pytest.raises(DockerfileError) as caught:
        check_dockerfile(text)
    assert caught.value.key == f"sandbox.build.refused.{key}", name


def test_ten_thousand_instructions_within_the_size_limit_stop_at_the_count() -> None:
    text = "FROM alpine\n" + "RUN a\n" * 10_000
    assert len(text.encode()) < 64 * 1024
    with pytest.raises(DockerfileError) as caught:
        check_dockerfile(text)
    assert caught.value.key == "sandbox.build.refused.too_many_instructions"
    assert caught.value.params == {"limit": 100}


def test_every_dockerfile_message_is_exercised() -> None:
    tested = {f"sandbox.build.syntax.{key}" for _, key, _ in SYNTAX}
    tested |= {f"sandbox.build.refused.{key}" for _, key in REFUSED}
    tested |= {"sandbox.build.refused.too_large", "sandbox.build.refused.too_many_instructions"}
    tested |= {"sandbox.build.refused.target"}
    defined = {
        key
        for key in MESSAGES
        if key.startswith(("sandbox.build.syntax.", "sandbox.build.refused."))
        and not key.startswith(("sandbox.build.syntax.tag_", "sandbox.build.syntax.context_"))
    }
    assert defined - tested == set()


_FRAGMENTS = [
    "FROM alpine",
    "FROM busybox AS b",
    "FROM b",
    "from  nginx  as  web",
    "FROM ${BASE:-alpine}",
    "ARG BASE=busybox",
    "COPY --from=b /a /a",
    "COPY --from=nginx /b /b",
    "COPY --from=0 /c /c",
    "RUN echo hi \\",
    "RUN echo hi \\ ",
    "RUN echo \\\u00a0",
    "  FROM m-u43/evil",
    "# FROM m-u43/evil",
    "# escape=`",
    "RUN a `",
    "",
    "   ",
    "USER app",
    "EXPOSE 80",
    "HEALTHCHECK CMD true",
    "\u2028FROM m-u43/evil",
]


def test_random_dockerfiles_are_refused_or_render_only_checked_bases() -> None:
    """Whatever the mix of continuations, comments and odd spaces, a file we accept renders to
    one whose every external base is one the caller mapped."""
    import random

    rng = random.Random(12)
    accepted = 0
    for _ in range(600):
        text = "\n".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 8)))
        try:
            plan = check_dockerfile(text)
        except (DockerfileError, DockerfileSyntaxError):
            continue
        accepted += 1
        again = check_dockerfile(plan.render(lambda ref: "engine/" + ref))
        assert all(base.startswith("engine/") for base in again.bases()), text
        assert len(again.stages) == len(plan.stages), text
    assert accepted > 50
