"""A student's Dockerfile, checked before anything reaches the engine.

The engine's classic builder parses the file again, so what we check must be what it will run:
line boundaries follow Docker's own parser (escape directive, continuations, comments and
empty lines inside them), and ``dockerfile-parse`` must find the same instructions on the same
lines, or the file is refused as ambiguous. ``render`` then hands the engine a copy where every
external image reference has been replaced by the one the caller checked.

Bounds come first (size, binary content, instruction count) so a 1 MB or 10,000-line file costs
a scan, not a parse.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dockerfile_parse import DockerfileParser
from dockerfile_parse.util import WordSplitter

from moussaillon.sandbox.build.errors import DockerfileError, DockerfileSyntaxError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "INSTRUCTIONS",
    "DockerfilePlan",
    "Stage",
    "check_dockerfile",
]

DEFAULT_MAX_BYTES = 64 * 1024
INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
# Flags Docker 20.10's classic builder knows, per instruction.
_CLASSIC_FLAGS: dict[str, frozenset[str]] = {
    "FROM": frozenset({"platform"}),
    "COPY": frozenset({"from", "chown"}),
    "ADD": frozenset({"chown"}),
    "HEALTHCHECK": frozenset({"interval", "timeout", "start-period", "retries"}),
}
# Flags only BuildKit understands: refused with the reason rather than "Unknown flag".
_BUILDKIT_FLAGS: dict[str, frozenset[str]] = {
    "RUN": frozenset({"mount", "network", "security"}),
    "COPY": frozenset({"chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chmod", "link", "checksum", "keep-git-dir", "exclude"}),
}
# dockerd 20.10 lets an empty RUN through to a failing container; we say so at once.
_NEED_ONE = ("RUN", "ENV", "LABEL", "EXPOSE", "VOLUME", "HEALTHCHECK", "SHELL", "ONBUILD", "ARG")
_EXACTLY_ONE = ("USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9_.-]*")
_ARG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_SPLIT = re.compile(r"[\t\v\f\r ]+")
_HEREDOC = re.compile(r"<<-?\s*[\"']?[A-Za-z_]")
_URL = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://")
_GIT = re.compile(r"(?i)^(git@|git://|git\+|github\.com/)")
_GIT_URL = re.compile(r"(?i)\.git(#.*)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PORT = re.compile(r"\d+(-\d+)?(/(tcp|udp|sctp))?", re.I)


@dataclass(frozen=True)
class Stage:
    index: int
    name: str | None
    base: str  # after ARG substitution, as written


@dataclass(frozen=True)
class _Ref:
    """Where an image reference sits in the text, for ``render``."""

    start: int  # 0-based first and last line of the instruction
    end: int
    kind: str  # "from" or "copy"
    ref: str
    external: bool
    stage_name: str | None = None
    flags: tuple[tuple[str, str | None], ...] = ()  # COPY's, to write it out again
    args: str = ""


@dataclass(frozen=True)
class DockerfilePlan:
    stages: tuple[Stage, ...]
    instructions: int
    user: str | None  # last USER of the target (final) stage, None if none
    healthcheck: bool  # the target stage has a HEALTHCHECK other than NONE
    exposed: tuple[str, ...]  # EXPOSE of the target stage, "80/tcp"
    target: str | None
    _lines: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _refs: tuple[_Ref, ...] = field(default=(), repr=False, compare=False)

    def bases(self) -> list[str]:
        """External images the build reads (FROM and COPY --from), each once, in order:
        neither ``scratch`` nor an earlier stage. The caller checks them."""
        seen: list[str] = []
        for ref in self._refs:
            if ref.external and ref.ref not in seen:
                seen.append(ref.ref)
        return seen

    def render(self, engine_ref: Callable[[str], str]) -> str:
        """The Dockerfile the engine builds: every external reference replaced by
        ``engine_ref(ref)``, every FROM written out after ARG substitution, lines kept in place
        so the engine's messages name the student's line numbers."""
        lines = list(self._lines)
        names = {ref.ref: _one_word(engine_ref(ref.ref)) for ref in self._refs if ref.external}
        for ref in self._refs:
            if ref.kind == "from":
                image = names[ref.ref] if ref.external else ref.ref
                alias = f" AS {ref.stage_name}" if ref.stage_name else ""
                lines[ref.start] = f"FROM {image}{alias}\n"
                for i in range(ref.start + 1, ref.end + 1):
                    lines[i] = "\n"
            elif ref.external:
                # written out whole, as Docker joins it: a "--from=" in a comment inside the
                # continuation must not be the one replaced
                flags = [
                    f"--{name}" + ("" if value is None else f"={value}")
                    for name, value in ref.flags
                    if name != "from"
                ]
                words = ["COPY", f"--from={names[ref.ref]}", *flags, ref.args]
                lines[ref.start] = " ".join(words) + "\n"
                for i in range(ref.start + 1, ref.end + 1):
                    lines[i] = "\n"
        return "".join(lines)


def _one_word(ref: str) -> str:
    """An engine reference goes into the Dockerfile as one word, or not at all."""
    if not ref or any(char.isspace() for char in ref):
        raise ValueError(f"not an image reference: {ref!r}")
    return ref


@dataclass
class _Instruction:
    start: int  # 0-based
    end: int
    name: str
    flags: list[tuple[str, str | None]]
    args: str

    @property
    def line(self) -> int:
        return self.start + 1


@dataclass
class _StageState:
    index: int
    name: str | None
    base: str
    parent: int | None  # index of the earlier stage it builds on
    user: str | None = None
    healthcheck: bool | None = None
    exposed: list[str] = field(default_factory=list)


def _refuse(key: str, **params: object) -> DockerfileError:
    return DockerfileError(f"sandbox.build.refused.{key}", **params)


def _syntax(key: str, line: int, **params: object) -> DockerfileSyntaxError:
    return DockerfileSyntaxError(f"sandbox.build.syntax.{key}", line=line, **params)


def _decode(text: bytes | str, max_bytes: int) -> str:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(data) > max_bytes:
        raise _refuse("too_large", size_kb=-(-len(data) // 1024), limit_kb=max_bytes // 1024)
    if b"\x00" in data:
        raise _refuse("binary")
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse("binary") from None
    decoded = decoded.removeprefix("\ufeff").replace("\r\n", "\n")
    bad = _CONTROL.search(decoded)
    if bad is not None:
        line = decoded[: bad.start()].count("\n") + 1
        raise _refuse("control_char", code=f"U+{ord(bad.group()):04X}", line=line)
    if not decoded.endswith("\n"):
        decoded += "\n"
    return decoded


def _directives(lines: list[str]) -> str:
    """Docker reads parser directives only at the very top; returns the escape character."""
    escape = "\\"
    for number, line in enumerate(lines, 1):
        match = _DIRECTIVE.match(line.strip())
        if match is None:
            break
        name, value = match.group(1).lower(), match.group(2)
        if name not in ("syntax", "escape"):
            break
        if name == "syntax":
            raise _refuse("syntax_directive", line=number, value=value[:80])
        if name == "escape":
            if value not in ("\\", "`"):
                raise _syntax("escape", number, value=value[:10])
            escape = value
    return escape


def _scan(lines: list[str], escape: str, limit: int) -> list[tuple[int, int, str]]:
    """Instructions as Docker's parser cuts them: (first line, last line, joined text).

    Comment lines and empty lines inside a continuation are skipped; a continuation that
    reaches the end of the file ends there. Stops with a refusal past ``limit``.
    """
    continued = re.compile(re.escape(escape) + r"[ \t]*$")
    found: list[tuple[int, int, str]] = []
    i, count = 0, len(lines)
    while i < count:
        text = lines[i].rstrip("\n").lstrip()
        if not text or text.startswith("#"):
            i += 1
            continue
        start, ended = i, not continued.search(text)
        parts = [continued.sub("", text)]
        i += 1
        while not ended and i < count:
            line = lines[i].rstrip("\n")
            i += 1
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            ended = not continued.search(line)
            parts.append(continued.sub("", line))
        found.append((start, i - 1, "".join(parts)))
        if len(found) > limit:
            raise _refuse("too_many_instructions", limit=limit)
    return found


def _cross_check(lines: list[str], scanned: list[tuple[int, int, str]]) -> None:
    """``dockerfile-parse`` must see the same instructions on the same lines as our
    Docker-exact scan; where they differ (odd whitespace after a backslash, say) the engine
    might read an instruction we did not check, so the file is refused."""
    inside = {j for start, end, _ in scanned for j in range(start + 1, end + 1)}
    fed = ["#\n" if j in inside and not line.strip() else line for j, line in enumerate(lines)]
    fed.append("\n")  # it drops a continuation still open at the end; Docker ends it there
    parser = DockerfileParser(fileobj=io.StringIO("".join(fed)))
    theirs = [
        (item["startline"], min(item["endline"], len(lines) - 1), item["instruction"])
        for item in parser.structure
        if item["instruction"] != "COMMENT"
    ]
    ours = [(start, end, _SPLIT.split(text.strip(), 1)[0].upper()) for start, end, text in scanned]
    if theirs != ours:
        pairs = zip(ours, theirs, strict=False)
        first = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(ours), len(theirs)))
        longer = ours if len(ours) > first else theirs
        raise _refuse("ambiguous", line=longer[first][0] + 1)


def _split_flags(rest: str) -> tuple[list[tuple[str, str | None]], str]:
    """Leading ``--name[=value]`` words, as Docker's parser takes them from every line."""
    flags: list[tuple[str, str | None]] = []
    while rest.startswith("--"):
        word, *after = _SPLIT.split(rest, 1)
        rest = after[0] if after else ""
        if word == "--":
            break
        name, eq, value = word[2:].partition("=")
        flags.append((name, value if eq else None))
    return flags, rest


def _instruction(start: int, end: int, text: str) -> _Instruction:
    parts = _SPLIT.split(text.strip(), 1)
    name = parts[0].upper()
    rest = parts[1] if len(parts) > 1 else ""
    flags, args = _split_flags(rest)
    return _Instruction(start, end, name, flags, args.strip())


def _expand(word: str, variables: Mapping[str, str], line: int) -> str:
    """Docker's word expansion for FROM: quotes, ``\\x``, ``$V``, ``${V}``, ``${V:-w}``,
    ``${V:+w}``; an unset variable is empty."""
    out: list[str] = []
    i, quote = 0, None
    while i < len(word):
        char = word[i]
        if quote == "'":
            if char == "'":
                quote = None
            else:
                out.append(char)
            i += 1
            continue
        if char == "\\" and i + 1 < len(word):
            out.append(word[i + 1])
            i += 2
            continue
        if char in "'\"" and quote in (None, char):
            quote = None if quote else char
            i += 1
            continue
        if char != "$":
            out.append(char)
            i += 1
            continue
        if word.startswith("${", i):
            close = word.find("}", i)
            if close < 0:
                raise _syntax("substitution", line, word=word[:80])
            body = word[i + 2 : close]
            name_match = _ARG_NAME.match(body)
            if name_match is None:
                raise _syntax("substitution", line, word=word[:80])
            name, modifier = name_match.group(0), body[name_match.end() :]
            value = variables.get(name, "")
            if modifier.startswith(":-"):
                value = value or _expand(modifier[2:], variables, line)
            elif modifier.startswith(":+"):
                value = _expand(modifier[2:], variables, line) if value else ""
            elif modifier:
                raise _syntax("substitution", line, word=word[:80])
            out.append(value)
            i = close + 1
            continue
        name_match = _ARG_NAME.match(word, i + 1)
        if name_match is None:
            out.append(char)
            i += 1
            continue
        out.append(variables.get(name_match.group(0), ""))
        i = name_match.end()
    return "".join(out)


def _words(args: str) -> list[str]:
    """JSON form or whitespace-separated words, as Docker reads ADD/COPY arguments."""
    if args.startswith("["):
        try:
            parsed = json.loads(args)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
            return parsed
    return [word for word in _SPLIT.split(args) if word]


def _check_flags(ins: _Instruction) -> None:
    seen: set[str] = set()
    for name, value in ins.flags:
        if name in _BUILDKIT_FLAGS.get(ins.name, ()):
            key = f"run_{name}" if ins.name == "RUN" else "buildkit_flag"
            raise _refuse(key, line=ins.line, flag=f"--{name}", instruction=ins.name)
        if ins.name == "FROM" and name == "platform":
            raise _refuse("from_platform", line=ins.line)
        if name not in _CLASSIC_FLAGS.get(ins.name, ()):
            raise _syntax("unknown_flag", ins.line, flag=name[:40])
        if name in seen:
            raise _syntax("duplicate_flag", ins.line, flag=name)
        if value is None:
            raise _syntax("flag_value", ins.line, flag=name)
        seen.add(name)


def _check_arguments(ins: _Instruction) -> None:
    if ins.name in ("ADD", "COPY") and len(_words(ins.args)) < 2:
        raise _syntax("two_arguments", ins.line, instruction=ins.name)
    if not ins.args and ins.name in _NEED_ONE:
        raise _syntax("one_argument", ins.line, instruction=ins.name)
    if ins.name in _EXACTLY_ONE and not ins.args:
        raise _syntax("exactly_one", ins.line, instruction=ins.name)
    if ins.name == "SHELL" and not (ins.args.startswith("[") and len(_words(ins.args)) > 0):
        raise _syntax("shell_json", ins.line)
    if ins.name in ("RUN", "COPY", "ADD") and _HEREDOC.search(ins.args):
        raise _refuse("heredoc", line=ins.line, instruction=ins.name)
    if ins.name == "ONBUILD":
        raise _refuse("onbuild", line=ins.line)


def _check_add(ins: _Instruction) -> None:
    for source in _words(ins.args)[:-1]:
        if _GIT.match(source) or (_URL.match(source) and _GIT_URL.search(source)):
            raise _refuse("add_git", line=ins.line, source=source[:100])
        if _URL.match(source):
            raise _refuse("add_url", line=ins.line, source=source[:100])


def _healthcheck(ins: _Instruction) -> bool:
    kind, *rest = _SPLIT.split(ins.args, 1)
    kind, command = kind.upper(), rest[0] if rest else ""
    if kind == "NONE":
        if command.strip() or ins.flags:
            raise _syntax("healthcheck_none", ins.line)
        return False
    if kind != "CMD":
        raise _syntax("healthcheck_type", ins.line, kind=kind[:40])
    if not command.strip():
        raise _syntax("healthcheck_cmd", ins.line)
    return True


def _exposed(ins: _Instruction) -> list[str]:
    ports: list[str] = []
    for word in _SPLIT.split(ins.args):
        if not word:
            continue
        if not _PORT.fullmatch(word):
            return [*ports, word]  # a variable or a typo: the engine says what it thinks
        ports.append(word.lower() if "/" in word else f"{word}/tcp")
    return ports


class _Checker:
    def __init__(self, build_args: Mapping[str, str], max_stages: int) -> None:
        self.build_args = build_args
        self.max_stages = max_stages
        self.meta: dict[str, str] = {}
        self.stages: list[_StageState] = []
        self.names: dict[str, int] = {}
        self.refs: list[_Ref] = []

    def feed(self, ins: _Instruction) -> None:
        _check_flags(ins)
        _check_arguments(ins)
        if ins.name == "FROM":
            self._from(ins)
            return
        if not self.stages:
            if ins.name == "ARG":
                self._meta_arg(ins)
                return
            raise _syntax("no_stage", ins.line)
        stage = self.stages[-1]
        if ins.name == "ADD":
            _check_add(ins)
        elif ins.name == "COPY":
            self._copy_from(ins)
        elif ins.name == "USER":
            stage.user = ins.args
        elif ins.name == "HEALTHCHECK":
            stage.healthcheck = _healthcheck(ins)
        elif ins.name == "EXPOSE":
            stage.exposed.extend(p for p in _exposed(ins) if p not in stage.exposed)

    def _meta_arg(self, ins: _Instruction) -> None:
        words = WordSplitter(ins.args).split(dequote=False)  # quotes keep their spaces
        for word in filter(None, words):
            name, eq, default = word.partition("=")
            value = self.build_args.get(name)
            if value is None:
                value = _expand(default, self.meta, ins.line) if eq else ""
            self.meta[name] = value

    def _from(self, ins: _Instruction) -> None:
        words = [w for w in _SPLIT.split(ins.args) if w]
        if len(words) == 3 and words[1].lower() == "as":
            name: str | None = words[2].lower()
        elif len(words) == 1:
            name = None
        else:
            raise _syntax("from_arguments", ins.line)
        if name is not None and not _STAGE_NAME.fullmatch(name):
            raise _syntax("stage_name", ins.line, name=words[2][:40])
        if name is not None and name in self.names:
            raise _syntax("duplicate_stage", ins.line, name=name)
        base = _expand(words[0], self.meta, ins.line).strip()
        if not base:
            raise _syntax("blank_base", ins.line, base=words[0][:80])
        if any(char.isspace() for char in base):
            raise _syntax("base_reference", ins.line, base=base[:80])
        if len(self.stages) >= self.max_stages:
            raise _refuse("too_many_stages", limit=self.max_stages)
        index = len(self.stages)
        parent = self.names.get(base.lower())
        external = parent is None and base.lower() != "scratch"
        self.refs.append(
            _Ref(ins.start, ins.end, "from", base, external, words[2] if name else None)
        )
        self.stages.append(_StageState(index, name, base, parent))
        if name is not None:
            self.names[name] = index

    def _copy_from(self, ins: _Instruction) -> None:
        source = next((value for flag, value in ins.flags if flag == "from"), None)
        if source is None:
            return
        if not source:
            raise _syntax("copy_from_empty", ins.line)
        current = len(self.stages) - 1
        if source.isdigit():
            if int(source) == current:
                raise _syntax("copy_from_current", ins.line, value=source[:10])
            if int(source) > current:
                raise _syntax("copy_from_later", ins.line, value=source[:10])
            return
        if source.lower() in self.names:
            return
        self.refs.append(
            _Ref(ins.start, ins.end, "copy", source, True, flags=tuple(ins.flags), args=ins.args)
        )

    def resolve(self, stage: _StageState) -> tuple[str | None, bool, tuple[str, ...]]:
        """USER, HEALTHCHECK and EXPOSE as the stage ends up, through the earlier stages it
        builds on (an external base's own settings are unknown here)."""
        chain = [stage]
        parent = stage.parent
        while parent is not None:
            chain.append(self.stages[parent])
            parent = chain[-1].parent
        user: str | None = None
        healthcheck: bool | None = None
        exposed: list[str] = []
        for item in reversed(chain):
            user = item.user if item.user is not None else user
            healthcheck = item.healthcheck if item.healthcheck is not None else healthcheck
            exposed.extend(p for p in item.exposed if p not in exposed)
        return user, bool(healthcheck), tuple(exposed)


def check_dockerfile(
    text: bytes | str,
    *,
    build_args: Mapping[str, str] | None = None,
    target: str | None = None,
    max_instructions: int = 100,
    max_stages: int = 5,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DockerfilePlan:
    """Check a Dockerfile and describe it; raises ``DockerfileSyntaxError`` (Docker's parse
    errors, with the line) or ``DockerfileError`` (refused, with the reason)."""
    decoded = _decode(text, max_bytes)
    lines = _lines(decoded)
    escape = _directives(lines)
    scanned = _scan(lines, escape, max_instructions)
    if not scanned:
        raise _syntax("empty", 1)
    _cross_check(lines, scanned)
    checker = _Checker(build_args or {}, max_stages)
    for start, end, joined in scanned:
        ins = _instruction(start, end, joined)
        if ins.name not in INSTRUCTIONS:
            raise _syntax("unknown_instruction", ins.line, instruction=ins.name[:40])
        checker.feed(ins)
    if not checker.stages:
        raise _syntax("no_stage", scanned[-1][0] + 1)
    chosen = checker.stages[-1]
    if target is not None:
        index = checker.names.get(target.lower())
        if index is None:
            raise _refuse("target", target=target[:64])
        chosen = checker.stages[index]
    user, healthcheck, exposed = checker.resolve(chosen)
    return DockerfilePlan(
        stages=tuple(Stage(s.index, s.name, s.base) for s in checker.stages),
        instructions=len(scanned),
        user=user,
        healthcheck=healthcheck,
        exposed=exposed,
        target=target,
        _lines=tuple(lines),
        _refs=tuple(checker.refs),
    )


def _lines(text: str) -> list[str]:
    """Lines cut at ``\\n`` only, as Docker's scanner cuts them (``str.splitlines`` would also
    cut at U+2028 and friends)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
