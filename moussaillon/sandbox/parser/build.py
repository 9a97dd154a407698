"""``docker build`` and ``docker image build``: the classic builder's flags.

Flags the sandbox refuses (it forces the build's network and limits itself, and BuildKit's
outputs, secrets and caches do not exist here) are recognised and handed to the policy, which
says why for each; meaningless ones (``--rm``, ``--force-rm``: intermediate containers are always
removed) are accepted and dropped.
"""

from __future__ import annotations

import re
from typing import Any

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser import values as v
from moussaillon.sandbox.parser.flags import Flag, Parsed, Spec, flag, ignored, opt, unsupported
from moussaillon.sandbox.parser.table import Command
from moussaillon.sandbox.requests import BuildRequest

__all__ = ["BUILD", "REFUSED_BUILD_FLAGS", "tag_problem"]

# Refused flags, as their long name; the policy has a reason for each.
REFUSED_BUILD_FLAGS: dict[str, tuple[str, ...]] = {
    "network": ("--network",),
    "secret": ("--secret", "--ssh"),
    "platform": ("--platform",),
    "output": ("-o", "--output", "--push", "--load"),
    "cache": ("--cache-from", "--cache-to"),
    "iidfile": ("--iidfile", "--metadata-file"),
    "limits": (
        "--isolation",
        "--cgroup-parent",
        "-m",
        "--memory",
        "--memory-swap",
        "-c",
        "--cpu-shares",
        "--cpu-period",
        "--cpu-quota",
        "--cpuset-cpus",
        "--cpuset-mems",
        "--shm-size",
        "--ulimit",
    ),
    "add_host": ("--add-host",),
    "security_opt": ("--security-opt",),
    "buildx": (
        "--builder",
        "--allow",
        "--attest",
        "--sbom",
        "--provenance",
        "--build-context",
        "--no-cache-filter",
        "--annotation",
        "--call",
        "--check",
    ),
}
_BOOLEAN = {"--push", "--load", "--check"}


_SHORT = {"--output": "-o", "--memory": "-m", "--cpu-shares": "-c"}


def _refused_flags() -> tuple[Flag, ...]:
    longs = [name for names in REFUSED_BUILD_FLAGS.values() for name in names if name[1] == "-"]
    return tuple(
        unsupported(*([_SHORT[name]] if name in _SHORT else []), name, value=name not in _BOOLEAN)
        for name in longs
    )


BUILD_SPEC = Spec(
    flags=(
        opt("-t", "--tag"),
        opt("-f", "--file"),
        opt("--build-arg"),
        opt("--target"),
        flag("--no-cache"),
        flag("--pull"),
        opt("--label"),
        flag("-q", "--quiet"),
        ignored("--rm"),
        ignored("--force-rm"),
        ignored("--compress"),
        ignored("--disable-content-trust"),
        ignored("--progress", value=True),
        unsupported("--squash", value=False),
        *_refused_flags(),
    )
)

# The reference grammar of docker's ``distribution/reference`` (name[:tag], no digest here).
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(rf"(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?")
_ID = re.compile(r"[a-f0-9]{64}")


def tag_problem(tag: str) -> str | None:
    """Why docker's ``-t`` would reject this name, as its message says it; None when valid."""
    name = tag.rsplit(":", 1)[0] if ":" in tag.rsplit("/", 1)[-1] else tag
    if _ID.fullmatch(tag):
        return "tag_id"
    if len(name) > 255:
        return "tag_length"
    if _REFERENCE.fullmatch(tag):
        return None
    if _REFERENCE.fullmatch(name.lower() + tag[len(name) :]):
        return "tag_lowercase"
    return "tag_format"


def _build_args(p: Parsed) -> dict[str, str]:
    """``K=V``; a bare ``K`` would take the shell's value, and the sandbox has none: the
    Dockerfile's default applies, as with an unset variable."""
    found: dict[str, str] = {}
    for value in p.get_list("build_arg"):
        key, eq, val = value.partition("=")
        if not key.strip():
            raise CommandSyntaxError(
                "sandbox.syntax.invalid_value", value=value, flag="--build-arg", command=p.command
            )
        if eq:
            found[key] = val
    return found


def build_build(p: Parsed) -> dict[str, Any]:
    if len(p.positionals) != 1:
        raise CommandSyntaxError("sandbox.build.syntax.context_required", command=p.command)
    tags = p.get_list("tag")
    for tag in tags:
        problem = tag_problem(tag)
        if problem is not None:
            raise CommandSyntaxError(
                f"sandbox.build.syntax.{problem}", value=tag[:100], command=p.command
            )
    return {
        "context": p.positionals[0],
        "tags": tags,
        "file": p.get_str("file"),
        "build_args": _build_args(p),
        "target": p.get_str("target"),
        "no_cache": p.get_bool("no_cache"),
        "pull": p.get_bool("pull"),
        "labels": v.parse_key_values(p.get_list("label"), "--label", p.command),
        "quiet": p.get_bool("quiet"),
    }


BUILD = Command(BuildRequest, BUILD_SPEC, build_build)
