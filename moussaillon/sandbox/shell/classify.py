"""Which ``-it`` lines open a session and which just run.

A session is worth opening only when a person is expected to type into the program: a shell or
a REPL started with nothing to run. ``docker run --rm -it alpine ip a`` has its whole work on
the line, so it runs like any command and its output comes back at once, as on a terminal.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from moussaillon.sandbox.requests import AttachRequest, ExecRequest, RunRequest, StartRequest

# Programs that read their commands from a terminal when given nothing to run; for each, the
# flags that hand it the work on the line instead (``sh -c``, ``mariadb -e``, ``node -p``).
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
ONE_SHOT_FLAGS: dict[str, frozenset[str]] = {
    **{shell: frozenset({"-c"}) for shell in SHELLS},
    "mariadb": frozenset({"-e", "--execute"}),
    "mysql": frozenset({"-e", "--execute"}),
    "psql": frozenset({"-c", "--command", "-f", "--file", "-l", "--list"}),
    "node": frozenset({"-e", "--eval", "-p", "--print", "-v", "--version"}),
    "python": frozenset({"-c", "-m", "-V", "--version"}),
    "python3": frozenset({"-c", "-m", "-V", "--version"}),
    "irb": frozenset({"-e", "-v", "--version"}),
    "redis-cli": frozenset(),
    "sqlite3": frozenset({"-cmd", "-version"}),
}
# Their positional arguments are a script to run (a one-shot), not a database to open.
SCRIPTED = SHELLS | {"node", "python", "python3", "irb", "redis-cli"}


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
    one_shot = ONE_SHOT_FLAGS.get(program)
    if one_shot is None:
        return False
    if any(a.split("=", 1)[0] in one_shot for a in args) or "--version" in args:
        return False
    if program == "sqlite3" and len([a for a in args if not a.startswith("-")]) > 1:
        return False  # ``sqlite3 db.sqlite 'SELECT 1'``
    if program in SCRIPTED:
        return not any(not a.startswith("-") for a in args)
    return True  # mariadb/mysql/psql's positionals name a database: still a prompt


def opens_session(request: object) -> bool:
    """The line, once parsed, asks for a terminal: ``attach``, ``start -i``, or ``-i`` on a
    foreground ``run``/``exec`` of an interactive program (``-t`` alone gives no input)."""
    if isinstance(request, AttachRequest):
        return True
    if isinstance(request, StartRequest):  # ``start -ai``: start, then attach
        return request.interactive
    if isinstance(request, RunRequest | ExecRequest):
        return request.interactive and not request.detach and opens_program(request.command)
    return False
