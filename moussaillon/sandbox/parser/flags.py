"""A small pflag look-alike: docker's own flag grammar, so students meet docker's behaviour.

``--opt=value`` and ``--opt value``, combined shorthands (``-dit``, ``-p8080:80``, ``-e=A=1``),
``--`` ending options, flags interspersed with arguments except where docker stops at the
first argument (``run``, ``exec``, ``top``): there everything after it belongs to the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moussaillon.sandbox.errors import CommandSyntaxError

_TRUE = {"1", "t", "T", "true", "TRUE", "True"}
_FALSE = {"0", "f", "F", "false", "FALSE", "False"}


@dataclass(frozen=True)
class Flag:
    names: tuple[str, ...]  # e.g. ("-e", "--env")
    dest: str
    takes_value: bool
    unsupported: bool = False  # recognised, reported in ``unsupported`` for the policy to refuse
    ignored: bool = False  # meaningless in chat (``--sig-proxy``): accepted and dropped

    @property
    def label(self) -> str:
        return self.names[-1]

    @property
    def shown(self) -> str:
        """How docker names the flag in its errors: ``-a, --all``, ``--rm``."""
        short = [name for name in self.names if len(name) == 2 and name[1] != "-"]
        if not short or short[0] == self.label:
            return self.label
        return f"{short[0]}, {self.label}"


def _dest(names: tuple[str, ...]) -> str:
    return names[-1].lstrip("-").replace("-", "_")


def flag(*names: str, dest: str | None = None) -> Flag:
    """A boolean flag (``--rm``, ``-d``)."""
    return Flag(names, dest or _dest(names), takes_value=False)


def opt(*names: str, dest: str | None = None) -> Flag:
    """A flag that takes a value (``--name web``); repeated ones accumulate."""
    return Flag(names, dest or _dest(names), takes_value=True)


def unsupported(*names: str, value: bool = True) -> Flag:
    return Flag(names, _dest(names), takes_value=value, unsupported=True)


def ignored(*names: str, value: bool = False) -> Flag:
    return Flag(names, _dest(names), takes_value=value, ignored=True)


@dataclass(frozen=True)
class Spec:
    flags: tuple[Flag, ...] = ()
    interspersed: bool = True
    short_help: bool = True  # ``-h`` means help, except where docker uses it (run's hostname)

    def lookup(self, name: str) -> Flag | None:
        for candidate in self.flags:
            if name in candidate.names:
                return candidate
        return None


@dataclass
class Parsed:
    command: str  # e.g. "docker run", for error messages
    values: dict[str, list[str]] = field(default_factory=dict)
    positionals: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # dest -> the flag's display name
    shown: dict[str, str] = field(default_factory=dict)  # dest -> docker's ``-a, --all``

    def has(self, dest: str) -> bool:
        return dest in self.values

    def get_bool(self, dest: str, default: bool = False) -> bool:
        found = self.values.get(dest)
        return default if not found else found[-1] in _TRUE

    def get_str(self, dest: str) -> str | None:
        found = self.values.get(dest)
        return found[-1] if found else None

    def get_list(self, dest: str) -> list[str]:
        return list(self.values.get(dest, []))

    def get_int(self, dest: str) -> int | None:
        value = self.get_str(dest)
        if value is None:
            return None
        try:
            return int(value.strip())
        except ValueError:
            raise CommandSyntaxError(
                "sandbox.syntax.invalid_value",
                value=value,
                flag=self.labels.get(dest, dest),
                names=self.shown.get(dest, dest),
                kind="int",
                command=self.command,
            ) from None


class HelpWanted(Exception):
    """Raised when ``--help`` shows up among the options: the caller answers with help."""


def _record(parsed: Parsed, spec_flag: Flag, value: str, typed: str) -> None:
    if spec_flag.ignored:
        return
    if spec_flag.unsupported:
        if typed not in parsed.unsupported:
            parsed.unsupported.append(typed)
        return
    if not spec_flag.takes_value and value not in _TRUE | _FALSE:
        raise CommandSyntaxError(
            "sandbox.syntax.invalid_value",
            value=value,
            flag=typed,
            names=spec_flag.shown,
            kind="bool",
            command=parsed.command,
        )
    parsed.values.setdefault(spec_flag.dest, []).append(value)
    parsed.labels[spec_flag.dest] = spec_flag.label
    parsed.shown[spec_flag.dest] = spec_flag.shown


def _is_help(arg: str, spec: Spec) -> bool:
    return arg == "--help" or arg.startswith("--help=") or (spec.short_help and arg == "-h")


def parse_flags(args: list[str], spec: Spec, command: str) -> Parsed:
    """Split ``args`` into flag values and positionals; raises ``HelpWanted`` on ``--help``."""
    try:
        return _parse(args, spec, command)
    except CommandSyntaxError:
        if any(_is_help(arg, spec) for arg in args[: args.index("--") if "--" in args else None]):
            raise HelpWanted from None
        raise


def _parse(args: list[str], spec: Spec, command: str) -> Parsed:
    parsed = Parsed(command=command)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            parsed.positionals.extend(args[i + 1 :])
            break
        if _is_help(arg, spec):
            raise HelpWanted
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            found = spec.lookup(name)
            if found is None:
                raise CommandSyntaxError("sandbox.syntax.unknown_flag", flag=name, command=command)
            if found.takes_value and not eq:
                if i + 1 >= len(args):
                    raise CommandSyntaxError(
                        "sandbox.syntax.needs_argument", flag=name, command=command
                    )
                i += 1
                value = args[i]
            _record(parsed, found, value if eq or found.takes_value else "true", name)
        elif arg.startswith("-") and len(arg) > 1:
            i = _parse_shorthands(args, i, spec, parsed)
        else:
            parsed.positionals.append(arg)
            if not spec.interspersed:
                parsed.positionals.extend(args[i + 1 :])
                break
        i += 1
    return parsed


def _parse_shorthands(args: list[str], i: int, spec: Spec, parsed: Parsed) -> int:
    arg = args[i]
    letters = arg[1:]
    j = 0
    while j < len(letters):
        letter = letters[j]
        found = spec.lookup("-" + letter)
        if found is None:
            if letter == "h" and spec.short_help:
                raise HelpWanted
            raise CommandSyntaxError(
                "sandbox.syntax.unknown_shorthand",
                char=letter,
                arg="-" + letters[j:],  # pflag names the rest of the group: ``-dx`` → ``-x``
                command=parsed.command,
            )
        rest = letters[j + 1 :]
        if found.takes_value:
            if rest:
                value = rest[1:] if rest.startswith("=") else rest
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                raise CommandSyntaxError(
                    "sandbox.syntax.needs_argument",
                    flag=f"'{letter}' in {arg}",
                    command=parsed.command,
                )
            _record(parsed, found, value, "-" + letter)
            return i
        if rest.startswith("="):
            _record(parsed, found, rest[1:], "-" + letter)
            return i
        _record(parsed, found, "true", "-" + letter)
        j += 1
    return i
