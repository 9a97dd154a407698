"""``parse(line)``: a docker command line, as a student types it on a phone, into a typed request.

The grammar is the real docker CLI's (see ``flags``), so what students learn here works on their
own machine; only the errors are friendlier. Nothing here talks to an engine or decides what
is allowed: forbidden flags come out as data and the policy refuses them.
"""

from __future__ import annotations

import shlex

from pydantic import TypeAdapter

from moussaillon.sandbox.errors import CommandSyntaxError
from moussaillon.sandbox.parser.compose import parse_compose
from moussaillon.sandbox.parser.containers import CONTAINER_COMMANDS
from moussaillon.sandbox.parser.flags import HelpWanted, Spec, flag, opt, parse_flags
from moussaillon.sandbox.parser.objects import (
    IMAGE_COMMANDS,
    INFO,
    INSPECT,
    NETWORK_COMMANDS,
    SYSTEM_COMMANDS,
    VERSION,
    VOLUME_COMMANDS,
)
from moussaillon.sandbox.parser.table import Command
from moussaillon.sandbox.parser.transfer import TRANSFER_COMMANDS
from moussaillon.sandbox.parser.usage import GROUP_USAGE, ROOT_USAGE, usage_line
from moussaillon.sandbox.requests import (
    DockerRequest,
    HelpRequest,
    UnavailableRequest,
    VersionRequest,
)

__all__ = ["GROUPS", "MAX_LINE_BYTES", "TOP_LEVEL", "UNAVAILABLE", "parse", "tokenize"]

MAX_LINE_BYTES = 8 * 1024

GROUPS: dict[str, dict[str, Command]] = {
    "container": {**CONTAINER_COMMANDS, **TRANSFER_COMMANDS},
    "image": IMAGE_COMMANDS,
    "volume": VOLUME_COMMANDS,
    "network": NETWORK_COMMANDS,
    "system": SYSTEM_COMMANDS,
}

TOP_LEVEL: dict[str, Command] = {
    **{
        name: CONTAINER_COMMANDS[name]
        for name in (
            "run",
            "exec",
            "attach",
            "logs",
            "stop",
            "start",
            "restart",
            "kill",
            "rm",
            "stats",
            "top",
            "port",
            "rename",
            "pause",
            "unpause",
            "wait",
            "create",
            "diff",
        )
    },
    **TRANSFER_COMMANDS,
    "ps": CONTAINER_COMMANDS["ls"],
    "images": IMAGE_COMMANDS["ls"],
    "rmi": IMAGE_COMMANDS["rm"],
    "build": IMAGE_COMMANDS["build"],
    "pull": IMAGE_COMMANDS["pull"],
    "history": IMAGE_COMMANDS["history"],
    "tag": IMAGE_COMMANDS["tag"],
    "version": VERSION,
    "info": INFO,
    "inspect": INSPECT,
}

# Real docker commands the sandbox does not offer; the policy explains why, per command.
UNAVAILABLE: frozenset[str] = frozenset(
    {
        "builder",
        "buildx",
        "checkpoint",
        "config",
        "context",
        "debug",
        "events",
        "export",
        "import",
        "init",
        "load",
        "login",
        "logout",
        "manifest",
        "node",
        "plugin",
        "push",
        "save",
        "scout",
        "search",
        "secret",
        "service",
        "stack",
        "swarm",
        "trust",
        "update",
    }
)
_GROUP_UNAVAILABLE = {
    "container": {"export", "update"},
    "image": {"import", "load", "push", "save"},
    "system": {"events"},
}

_GLOBAL_REFUSED = (
    "config",
    "context",
    "host",
    "tls",
    "tlscacert",
    "tlscert",
    "tlskey",
    "tlsverify",
)
GLOBAL_SPEC = Spec(
    flags=(
        opt("--config"),
        opt("-c", "--context"),
        opt("-H", "--host"),
        flag("--tls"),
        opt("--tlscacert"),
        opt("--tlscert"),
        opt("--tlskey"),
        flag("--tlsverify"),
        flag("-D", "--debug"),
        opt("-l", "--log-level"),
        flag("-v", "--version"),
    ),
    interspersed=False,
)

_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "})
_SMART_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"}
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}

_ADAPTER: TypeAdapter[DockerRequest] = TypeAdapter(DockerRequest)


def _shell_operator(line: str) -> str | None:
    """The first unquoted shell operator (``|``, ``&&``, ``;``, ``>``, ``$(`` …), if any.

    A real shell would act on these before docker ever saw them; passing them on as words
    would make ``docker run alpine echo hi | wc -l`` print ``hi | wc -l``, so they are refused.
    """
    quote: str | None = None
    i = 0
    while i < len(line):
        char = line[i]
        if quote == "'":
            quote = None if char == "'" else quote
        elif char == "\\":
            i += 1
        elif quote == '"':
            quote = None if char == '"' else quote
        elif char in "'\"":
            quote = char
        elif char in "|;&<>\n`" or line.startswith("$(", i):
            if char in "|&<>" and line[i + 1 : i + 2] in ("|", "&", ">"):
                return line[i : i + 2]
            return "$(" if char == "$" else char
        i += 1
    return None


def tokenize(line: str) -> list[str]:
    """Shell-style words, forgiving what phone keyboards do to quotes, dashes and spaces."""
    if len(line) > MAX_LINE_BYTES or len(line.encode("utf-8", "replace")) > MAX_LINE_BYTES:
        raise CommandSyntaxError("sandbox.syntax.too_long", limit=MAX_LINE_BYTES)
    bad = next(
        (c for c in line if (ord(c) < 32 and c not in _ALLOWED_CONTROLS) or c == "\x7f"), None
    )
    if bad is not None:
        raise CommandSyntaxError("sandbox.syntax.control_char", code=f"U+{ord(bad):04X}")
    line = line.replace("\\\r\n", " ").replace("\\\n", " ").replace("\r\n", "\n")
    line = line.translate(_SPACES).strip()
    if "'" not in line and '"' not in line:
        line = line.translate(_SMART_QUOTES)
    operator = _shell_operator(line)
    if operator == "\n":
        raise CommandSyntaxError("sandbox.syntax.several_lines")
    if operator in ("$(", "`"):
        raise CommandSyntaxError("sandbox.syntax.substitution")
    if operator is not None:
        raise CommandSyntaxError("sandbox.syntax.shell_operator", operator=operator)
    try:
        words = shlex.split(line)
    except ValueError:
        raise CommandSyntaxError("sandbox.syntax.quotes") from None
    return [("--" + word[1:]) if word[:1] in ("—", "–") else word for word in words]


def parse(line: str) -> DockerRequest:
    """Parse one docker command line; raises ``CommandSyntaxError`` with docker's wording."""
    words = tokenize(line)
    if not words:
        raise CommandSyntaxError("sandbox.syntax.empty")
    if words[0].lower() == "docker-compose":
        return parse_compose(words[1:], line.strip(), legacy=True)
    if words[0].lower() != "docker":
        raise CommandSyntaxError("sandbox.syntax.not_docker", word=words[0][:40])
    raw = line.strip()
    try:
        top = parse_flags(words[1:], GLOBAL_SPEC, "docker")
    except HelpWanted:
        return HelpRequest(raw=raw)
    except CommandSyntaxError as exc:
        exc.params.setdefault("usage", ROOT_USAGE)
        raise
    refused = next((name for name in _GLOBAL_REFUSED if top.has(name)), None)
    if refused is not None:
        raise CommandSyntaxError("sandbox.syntax.global_flag", flag=top.labels[refused])
    if not top.positionals:
        return VersionRequest(raw=raw) if top.get_bool("version") else HelpRequest(raw=raw)
    name, *rest = top.positionals
    if name == "help":
        return HelpRequest(raw=raw, topic=help_topic(rest))
    if name == "compose":
        return parse_compose(rest, raw)
    if name in GROUPS:
        return _parse_group(name, rest, raw)
    if name in TOP_LEVEL:
        return _run(TOP_LEVEL[name], f"docker {name}", rest, raw)
    if name in UNAVAILABLE:
        return _unavailable(name, rest, raw)
    raise CommandSyntaxError("sandbox.syntax.unknown_command", name=name[:40])


def _parse_group(group: str, rest: list[str], raw: str) -> DockerRequest:
    if not rest or rest[0] in ("--help", "-h"):
        return HelpRequest(raw=raw, topic=group)
    sub, *args = rest
    if sub.startswith("-"):
        if sub.startswith("--"):
            raise CommandSyntaxError(
                "sandbox.syntax.unknown_flag",
                flag=sub.partition("=")[0],
                command=f"docker {group}",
                usage=GROUP_USAGE[group],
            )
        raise CommandSyntaxError(
            "sandbox.syntax.unknown_shorthand",
            char=sub[1:2],
            arg=sub,
            flag=sub,
            command=f"docker {group}",
            usage=GROUP_USAGE[group],
        )
    if sub in GROUPS[group]:
        return _run(GROUPS[group][sub], f"docker {group} {sub}", args, raw)
    if sub in _GROUP_UNAVAILABLE.get(group, ()):
        return _unavailable(sub if sub in UNAVAILABLE else f"{group} {sub}", args, raw)
    raise CommandSyntaxError("sandbox.syntax.unknown_command", name=f"{group} {sub}"[:60])


def _unavailable(command: str, args: list[str], raw: str) -> DockerRequest:
    before_end = args[: args.index("--")] if "--" in args else args
    if "--help" in before_end or "-h" in before_end:
        return HelpRequest(raw=raw, topic=command)
    return UnavailableRequest(raw=raw, command=command, args=args)


def _run(command: Command, path: str, args: list[str], raw: str) -> DockerRequest:
    try:
        parsed = parse_flags(args, command.spec, path)
        command.check_args(parsed)
        fields = command.build(parsed)
    except HelpWanted:
        return HelpRequest(raw=raw, topic=command.verb)
    except CommandSyntaxError as exc:  # docker's answer names the command and its usage
        exc.params.setdefault("command", path)
        exc.params.setdefault("usage", usage_line(command.verb, path))
        raise
    fields.setdefault("unsupported", parsed.unsupported)
    return _ADAPTER.validate_python({**fields, "verb": command.verb, "raw": raw})


def help_topic(words: list[str]) -> str | None:
    """``docker help run`` → ``container.run``; a group or unavailable command names itself."""
    if not words:
        return None
    first = words[0]
    if first in GROUPS:
        if len(words) > 1 and words[1] in GROUPS[first]:
            return GROUPS[first][words[1]].verb
        if len(words) > 1 and words[1] in _GROUP_UNAVAILABLE.get(first, ()):
            return words[1] if words[1] in UNAVAILABLE else f"{first} {words[1]}"
        return first
    if first in TOP_LEVEL:
        return TOP_LEVEL[first].verb
    if first in UNAVAILABLE:
        return first
    raise CommandSyntaxError("sandbox.syntax.unknown_command", name=first[:40], help_topic=True)
