"""``docker cp`` and ``docker commit``: files and images out of a container.

``cp`` splits its two arguments as the docker CLI does (``splitCpArg``): an absolute path is
local, otherwise ``NAME:PATH`` names a container unless the part before ``:`` starts with a
dot (``./a:b.txt``). Here the local side is the student's workspace; the policy refuses what
would be a host path.
"""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.parser.flags import Parsed, Spec, flag, opt
from moussaillon.sandbox.parser.table import Command
from moussaillon.sandbox.requests import CommitRequest, CpRequest

CP_SPEC = Spec(
    flags=(
        flag("-a", "--archive"),
        flag("-L", "--follow-link"),
        flag("-q", "--quiet"),
    )
)
COMMIT_SPEC = Spec(
    flags=(
        opt("-a", "--author"),
        opt("-c", "--change"),
        opt("-m", "--message"),
        flag("-p", "--pause"),
    )
)


def split_cp_arg(arg: str) -> tuple[str | None, str]:
    """(container or None, path), the docker CLI's rule."""
    if arg.startswith("/"):
        return None, arg
    container, colon, path = arg.partition(":")
    if not colon or container.startswith("."):
        return None, arg
    return container, path


def build_cp(p: Parsed) -> dict[str, Any]:
    source, destination = p.positionals
    src_container, src_path = split_cp_arg(source)
    dst_container, dst_path = split_cp_arg(destination)
    fields: dict[str, Any] = {
        "source": source,
        "destination": destination,
        "archive": p.get_bool("archive"),
        "follow_link": p.get_bool("follow_link"),
        "quiet": p.get_bool("quiet"),
    }
    if src_container is not None and dst_container is not None:
        return {**fields, "both_containers": True}
    if dst_container is not None:
        return {
            **fields,
            "container": dst_container,
            "container_path": dst_path,
            "local_path": src_path,
            "to_container": True,
        }
    if src_container is not None:
        return {
            **fields,
            "container": src_container,
            "container_path": src_path,
            "local_path": dst_path,
        }
    return fields


def build_commit(p: Parsed) -> dict[str, Any]:
    return {
        "container": p.positionals[0],
        "repository": p.positionals[1] if len(p.positionals) > 1 else None,
        "author": p.get_str("author"),
        "message": p.get_str("message"),
        "changes": p.get_list("change"),
        "pause": p.get_bool("pause", default=True),
    }


TRANSFER_COMMANDS: dict[str, Command] = {
    "cp": Command(CpRequest, CP_SPEC, build_cp, min_args=2, max_args=2),
    "commit": Command(CommitRequest, COMMIT_SPEC, build_commit, min_args=1, max_args=2),
}
