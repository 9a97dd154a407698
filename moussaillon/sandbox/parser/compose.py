"""``docker compose …`` (and the retired ``docker-compose …``) into a ``ComposeRequest``.

Compose v2's grammar: global flags (``-f``, ``-p``, ``--profile``) before the subcommand, then
the subcommand's own. Reading the file is the executor's job (it lives in the workspace).
"""

from __future__ import annotations

from typing import Any

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser.flags import (
    HelpWanted,
    Parsed,
    Spec,
    flag,
    ignored,
    opt,
    parse_flags,
    unsupported,
)
from moussaillon.sandbox.requests import ComposeRequest, DockerRequest, HelpRequest

GLOBAL = Spec(
    flags=(
        opt("-f", "--file"),
        opt("-p", "--project-name"),
        opt("--profile"),
        unsupported("--project-directory"),
        unsupported("--env-file"),
        ignored("--ansi", value=True),
        ignored("--progress", value=True),
        ignored("--compatibility"),
    ),
    interspersed=False,
)

_TIMEOUT = ignored("-t", "--timeout", value=True)
_ENV = unsupported("-e", "--env")
SUBCOMMANDS: dict[str, Spec] = {
    "up": Spec(
        flags=(
            flag("-d", "--detach"),
            flag("--build"),
            ignored("--no-build"),
            ignored("--force-recreate"),
            ignored("--no-recreate"),
            ignored("--remove-orphans"),
            ignored("--wait"),
            ignored("--quiet-pull"),
            unsupported("--scale"),
            unsupported("--abort-on-container-exit", value=False),
        )
    ),
    "ps": Spec(flags=(flag("-a", "--all"), ignored("--services"), unsupported("-q", "--quiet"))),
    "logs": Spec(
        flags=(
            flag("-f", "--follow"),
            opt("-n", "--tail"),
            ignored("-t", "--timestamps"),
            ignored("--no-color"),
            ignored("--no-log-prefix"),
        )
    ),
    "down": Spec(
        flags=(flag("-v", "--volumes"), ignored("--remove-orphans"), unsupported("--rmi"), _TIMEOUT)
    ),
    "stop": Spec(flags=(_TIMEOUT,)),
    "start": Spec(),
    "restart": Spec(flags=(_TIMEOUT,)),
    "config": Spec(flags=(ignored("-q", "--quiet"),)),
    "exec": Spec(
        flags=(
            ignored("-T", "--no-TTY"),
            ignored("-i", "--interactive"),
            ignored("-t", "--tty"),
            unsupported("-d", "--detach", value=False),
            unsupported("-u", "--user"),
            unsupported("-w", "--workdir"),
            _ENV,
            unsupported("--privileged", value=False),
        ),
        interspersed=False,
    ),
    "run": Spec(
        flags=(
            flag("--rm"),
            ignored("-T", "--no-TTY"),
            ignored("-i", "--interactive"),
            unsupported("-d", "--detach", value=False),
            unsupported("-p", "--publish"),
            unsupported("-v", "--volume"),
            unsupported("--entrypoint"),
            unsupported("--name"),
            _ENV,
        ),
        interspersed=False,
    ),
    "build": Spec(flags=(ignored("--no-cache"), ignored("--pull"), ignored("-q", "--quiet"))),
    "images": Spec(),
    "top": Spec(),
    "version": Spec(flags=(flag("--short"), ignored("-f", "--format"))),
}
_NEEDS_SERVICE = ("exec", "run")
_NO_ARGS = ("config", "version")


def parse_compose(args: list[str], raw: str, *, legacy: bool = False) -> DockerRequest:
    path = "docker-compose" if legacy else "docker compose"
    try:
        top = parse_flags(args, GLOBAL, path)
    except HelpWanted:
        return HelpRequest(raw=raw, topic="compose")
    if not top.positionals:
        return HelpRequest(raw=raw, topic="compose")
    sub, *rest = top.positionals
    if sub not in SUBCOMMANDS:
        raise CommandSyntaxError("sandbox.syntax.unknown_command", name=f"compose {sub}"[:60])
    try:
        parsed = parse_flags(rest, SUBCOMMANDS[sub], f"{path} {sub}")
    except HelpWanted:
        return HelpRequest(raw=raw, topic="compose")
    fields: dict[str, Any] = {
        "verb": f"compose.{sub}",
        "raw": raw,
        "file": top.get_str("file"),
        "project": top.get_str("project_name"),
        "profiles": top.get_list("profile"),
        "unsupported": top.unsupported + parsed.unsupported,
        "legacy": legacy,
    }
    fields.update(_sub_fields(sub, parsed))
    return ComposeRequest.model_validate(fields)


def _sub_fields(sub: str, parsed: Parsed) -> dict[str, Any]:
    words = parsed.positionals
    if sub in _NEEDS_SERVICE:
        if not words:
            raise CommandSyntaxError("sandbox.syntax.min_args_one", command=parsed.command, count=1)
        service, *command = words
        return {"services": [service], "command": command, "remove": parsed.get_bool("rm")}
    if sub in _NO_ARGS and words:
        raise CommandSyntaxError("sandbox.syntax.no_args", command=parsed.command)
    return {
        "services": words,
        "detach": parsed.get_bool("detach"),
        "build": parsed.get_bool("build"),
        "all": parsed.get_bool("all"),
        "follow": parsed.get_bool("follow"),
        "tail": _tail(parsed),
        "volumes": parsed.get_bool("volumes"),
        "short": parsed.get_bool("short"),
    }


def _tail(parsed: Parsed) -> int | None:
    value = parsed.get_str("tail")
    if value is None or value == "all":
        return None
    number = parsed.get_int("tail")
    return None if number is None or number < 0 else number
