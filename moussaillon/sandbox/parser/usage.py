"""What the docker CLI prints when a command line does not parse, word for word.

Students learn the real CLI's answers, so a usage error here reads as docker's own: the same
first line, the same ``Usage:`` line, the same ``Run/See 'docker run --help'`` hint and the
same exit code (125 for a flag docker's flag parser rejects or a value its checks reject, 1
for a wrong number of arguments or an unknown command). The wording follows the docker CLI
28.2 (``cli/required.go``, spf13/pflag's errors); the sandbox's own explanation (French by
default) goes on a separate line, as a note.

Errors of the line itself (unbalanced quotes, a shell ``|``, a word that is not ``docker``)
are not docker's: a shell would have stopped first, so they stay the sandbox's refusals.
"""

from __future__ import annotations

from moussaillon.sandbox.errors import CommandSyntaxError

USAGE_ERROR = 1  # cobra's argument checks and unknown commands
FLAG_ERROR = 125  # pflag, and the run/create option checks

# The argument part of each command's ``Usage:`` line (``docker <name> --help``).
TAILS: dict[str, str] = {
    "container.run": "[OPTIONS] IMAGE [COMMAND] [ARG...]",
    "container.create": "[OPTIONS] IMAGE [COMMAND] [ARG...]",
    "container.exec": "[OPTIONS] CONTAINER COMMAND [ARG...]",
    "container.ls": "[OPTIONS]",
    "container.logs": "[OPTIONS] CONTAINER",
    "container.stop": "[OPTIONS] CONTAINER [CONTAINER...]",
    "container.start": "[OPTIONS] CONTAINER [CONTAINER...]",
    "container.restart": "[OPTIONS] CONTAINER [CONTAINER...]",
    "container.kill": "[OPTIONS] CONTAINER [CONTAINER...]",
    "container.rm": "[OPTIONS] CONTAINER [CONTAINER...]",
    "container.inspect": "[OPTIONS] CONTAINER [CONTAINER...]",
    "container.stats": "[OPTIONS] [CONTAINER...]",
    "container.top": "CONTAINER [ps OPTIONS]",
    "container.port": "CONTAINER [PRIVATE_PORT[/PROTO]]",
    "container.rename": "CONTAINER NEW_NAME",
    "container.pause": "CONTAINER [CONTAINER...]",
    "container.unpause": "CONTAINER [CONTAINER...]",
    "container.wait": "CONTAINER [CONTAINER...]",
    "container.diff": "CONTAINER",
    "container.prune": "[OPTIONS]",
    "image.ls": "[OPTIONS] [REPOSITORY[:TAG]]",
    "image.inspect": "[OPTIONS] IMAGE [IMAGE...]",
    "image.pull": "[OPTIONS] NAME[:TAG|@DIGEST]",
    "image.history": "[OPTIONS] IMAGE",
    "image.tag": "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    "image.rm": "[OPTIONS] IMAGE [IMAGE...]",
    "image.build": "[OPTIONS] PATH | URL | -",
    "volume.create": "[OPTIONS] [VOLUME]",
    "volume.ls": "[OPTIONS]",
    "volume.inspect": "[OPTIONS] VOLUME [VOLUME...]",
    "volume.rm": "[OPTIONS] VOLUME [VOLUME...]",
    "volume.prune": "[OPTIONS]",
    "network.create": "[OPTIONS] NETWORK",
    "network.ls": "[OPTIONS]",
    "network.inspect": "[OPTIONS] NETWORK [NETWORK...]",
    "network.rm": "NETWORK [NETWORK...]",
    "network.connect": "[OPTIONS] NETWORK CONTAINER",
    "network.disconnect": "[OPTIONS] NETWORK CONTAINER",
    "network.prune": "[OPTIONS]",
    "system.version": "[OPTIONS]",
    "system.info": "[OPTIONS]",
    "system.df": "[OPTIONS]",
    "system.prune": "[OPTIONS]",
    "inspect": "[OPTIONS] NAME|ID [NAME|ID...]",
}
# What docker prints under an unknown ``docker <group> foo`` (cobra's use line of the group).
GROUP_USAGE = {
    "container": "docker container",
    "image": "docker image",
    "network": "docker network",
    "system": "docker system",
    "volume": "docker volume COMMAND",
}
ROOT_USAGE = "docker [OPTIONS] COMMAND [ARG...]"

_PFLAG = {
    "sandbox.syntax.unknown_flag": "unknown flag: {flag}",
    "sandbox.syntax.unknown_shorthand": "unknown shorthand flag: '{char}' in {arg}",
    "sandbox.syntax.needs_argument": "flag needs an argument: {flag}",
}
_ARGS = {
    "sandbox.syntax.no_args": ("accepts no arguments", "Run"),
    "sandbox.syntax.exact_args_one": ("requires 1 argument", "Run"),
    "sandbox.syntax.exact_args": ("requires {count} arguments", "Run"),
    "sandbox.syntax.min_args_one": ("requires at least 1 argument", "See"),
    "sandbox.syntax.min_args": ("requires at least {count} arguments", "See"),
    "sandbox.syntax.max_args_one": ("requires at most 1 argument", "Run"),
    "sandbox.syntax.max_args": ("requires at most {count} arguments", "Run"),
    "sandbox.syntax.range_args": ("requires at least {low} and at most {high} arguments", "Run"),
}
# Values docker's own option checks reject after parsing: "docker: <reason>", no usage line.
_VALUES = {
    "sandbox.syntax.invalid_port": "invalid port mapping: {value}",
    "sandbox.syntax.invalid_volume": (
        "Error response from daemon: invalid volume specification: '{value}'"
    ),
    "sandbox.syntax.invalid_restart": (
        "Error response from daemon: invalid restart policy '{value}'"
    ),
}
_FLAG_VALUES = {
    "sandbox.syntax.invalid_env": ("-e, --env", "invalid environment variable: {value}"),
    "sandbox.syntax.invalid_filter": ("-f, --filter", "bad format of filter (expected name=value)"),
    "sandbox.syntax.invalid_mount": ("--mount", "invalid mount specification: {value}"),
}
_PARSE_REASON = {
    "bool": 'strconv.ParseBool: parsing "{value}": invalid syntax',
    "int": 'strconv.ParseInt: parsing "{value}": invalid syntax',
}


def usage_line(verb: str, path: str) -> str:
    """``docker container list`` → ``docker container ls [OPTIONS]``: cobra prints the command's
    own name after the typed path's parent, whichever alias was typed."""
    tail = TAILS.get(verb, "")
    words = path.split()
    if len(words) == 3:  # docker <group> <sub>: the canonical sub name
        words[2] = verb.partition(".")[2] or words[2]
    return " ".join([*words, tail]).strip()


def _with_usage(first: str, usage: str | None, hint: str, command: str) -> str:
    parts = [first]
    if usage:
        parts += ["", f"Usage:  {usage}"]
    parts += ["", f"{hint} '{command} --help' for more information"]
    return "\n".join(parts)


def docker_text(exc: CommandSyntaxError) -> tuple[str, int] | None:
    """The docker CLI's text and exit code for ``exc``; None when docker has no such error."""
    key, p = exc.key, exc.params
    command = str(p.get("command") or "docker")
    usage = p.get("usage")
    usage_text = str(usage) if usage else None
    if key == "sandbox.syntax.unknown_command":
        if p.get("help_topic"):
            return f"unknown help topic: {p.get('name')}", USAGE_ERROR
        name = str(p.get("name", ""))
        group = name.split()[0] if " " in name else ""
        first = f"docker: unknown command: docker {name}"
        where = f"docker {group}" if group else "docker"
        return _with_usage(first, GROUP_USAGE.get(group), "Run", where), USAGE_ERROR
    if key in _PFLAG:
        text = _PFLAG[key].format(**p)
        return _with_usage(text, usage_text, "Run", command), FLAG_ERROR
    if key in _ARGS:
        wording, hint = _ARGS[key]
        first = f"docker: '{command}' " + wording.format(**p)
        return _with_usage(first, usage_text, hint, command), USAGE_ERROR
    if key == "sandbox.syntax.invalid_value":
        value = str(p.get("value", ""))
        # a reason given with the error already holds the value: never format it again
        reason = p.get("reason") or _PARSE_REASON.get(str(p.get("kind")), "").format(value=value)
        names = p.get("names") or p.get("flag")
        first = f'invalid argument "{value}" for "{names}" flag'
        if reason:
            first += f": {reason}"
        if p.get("checked"):  # rejected by docker's own check after parsing, not by pflag
            return _with_usage(f"docker: {reason}", None, "Run", command), FLAG_ERROR
        return _with_usage(first, usage_text, "Run", command), FLAG_ERROR
    if key in _FLAG_VALUES:
        names, reason = _FLAG_VALUES[key]
        first = f'invalid argument "{p.get("value")}" for "{names}" flag: ' + reason.format(**p)
        return _with_usage(first, usage_text, "Run", command), FLAG_ERROR
    if key == "sandbox.syntax.invalid_port" and p.get("part"):
        first = f"docker: invalid {p['part']}: {p.get('bad')}"
        return _with_usage(first, None, "Run", command), FLAG_ERROR
    if key in _VALUES:
        first = "docker: " + _VALUES[key].format(**p)
        return _with_usage(first, None, "Run", command), FLAG_ERROR
    return None


def explanation(exc: CommandSyntaxError, lang: str) -> str | None:
    """The sandbox's own sentence for ``exc`` (French by default), to show under docker's text;
    None when it would only repeat it (in English, docker's words say it all except for values
    whose expected form the sandbox spells out)."""
    if not lang.startswith("fr") and exc.key not in {*_VALUES, *_FLAG_VALUES}:
        return None
    text = exc.message(lang)
    kept = [line for line in text.splitlines() if "--help'" not in line]
    text = "\n".join(kept).strip()
    return text or None
