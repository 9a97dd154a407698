"""``docker compose`` and its verbs."""

from __future__ import annotations

from typing import Literal

from moussaillon.sandbox.requests.base import BaseRequest

ComposeVerb = Literal[
    "compose.up",
    "compose.ps",
    "compose.logs",
    "compose.down",
    "compose.stop",
    "compose.start",
    "compose.restart",
    "compose.config",
    "compose.exec",
    "compose.run",
    "compose.version",
    "compose.build",
    "compose.images",
    "compose.top",
]


class ComposeRequest(BaseRequest):
    """``docker compose [-f F] [-p P] [--profile X] SUB …``: one model for every subcommand.

    The executor loads the project from the workspace and turns it into the same typed
    requests (``RunRequest`` …) the parser would make, so the policy sees every object.
    """

    verb: ComposeVerb = "compose.up"
    file: str | None = None
    project: str | None = None
    profiles: list[str] = []
    services: list[str] = []  # up/ps/logs/stop/start/restart/build/images/top; exec/run: one
    command: list[str] = []  # exec/run
    detach: bool = False
    build: bool = False
    all: bool = False
    follow: bool = False
    tail: int | None = None
    volumes: bool = False  # down -v
    remove: bool = False  # run --rm
    short: bool = False  # version --short
    legacy: bool = False  # typed as ``docker-compose``
