"""Which ``-it`` lines open a session and which just run.

A session is worth opening only when a person is expected to type into the program: a shell or
a REPL started with nothing to run. ``docker run --rm -it alpine ip a`` has its whole work on
the line, so it runs like any command and its output comes back at once, as on a terminal.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from moussaillon.sandbox.requests import AttachRequest, ExecRequest, RunRequest

# Programs that read their commands from a terminal when given no script (``sh``), no
# ``-c``/``-e`` and no file to run.
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})
REPLS = frozenset(
    {"mariadb", "mysql", "psql", "node", "python", "python3", "irb", "redis-cli", "sqlite3"}
)
ONE_SHOT_FLAGS = frozenset({"-c", "-e", "--execute", "--eval", "-p", "--print"})


def opens_program(command: list[str]) -> bool:
    """``sh``, ``bash -l``, ``mariadb -uroot -p``, ``python3``, ``php -a``: yes; ``sh -c 'ls'``,
    ``node app.js``, ``ip a``: no. An empty command is the image's default (a shell for
    ``alpine``, ``debian``, ``busybox``), which is what ``docker run -it IMAGE`` opens."""
    if not command:
        return True
    program = PurePosixPath(command[0]).name
    args = command[1:]
    if program == "php":
        return "-a" in args
    if program == "busybox":  # ``busybox sh`` is the shell, ``busybox ls`` a one-shot
        return len(args) >= 1 and opens_program(args)
    if program not in SHELLS and program not in REPLS:
        return False
    if any(a in ONE_SHOT_FLAGS or a.startswith(("--execute=", "--eval=")) for a in args):
        return False
    if program in SHELLS or program in ("node", "python", "python3", "irb"):
        return not any(not a.startswith("-") for a in args)  # a script file: it just runs
    return True  # mariadb/mysql/psql's positionals name a database, still a prompt


def opens_session(request: object) -> bool:
    """The line, once parsed, asks for a terminal: ``attach``, or ``-i`` on a foreground
    ``run``/``exec`` of an interactive program (``-t`` alone gives no input to type into)."""
    if isinstance(request, AttachRequest):
        return True
    if isinstance(request, RunRequest | ExecRequest):
        return request.interactive and not request.detach and opens_program(request.command)
    return False
