"""What the student's own CLI printed, remembered as if typed in the chat, for the labs' checks.

A lab step such as « affichez tous les conteneurs » is checked on the output of the student's
latest command (``last_output_contains`` with ``command = "docker ps"``). In the chat that output
is the sandbox's; in the student's own terminal the CLI prints it from our JSON, which never
comes back. So after each answer the endpoint writes down the command line the student most
likely typed and a plain rendering of what the CLI showed (a ``docker ps`` table with its
``Exited`` status, the ``docker images`` names, the ``inspect`` JSON, a run's output), and hands
both to the labs (``PracticeService.remember``). It is a lab aid, not an audit: the journal of
what ran is the sandbox's own.

The one inference: the CLI's ``docker run`` is ``create`` then ``attach`` then ``start``; the
line is known at the create (its image and command) and the output at the attach, so the line
is kept per container until its first attach.
"""

from __future__ import annotations

import json
import logging
import shlex
import struct
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from moussaillon.terminal.connection import Request

log = logging.getLogger(__name__)

Remember = Callable[[int, str, str], Awaitable[None]]
KEPT_CHARS = 16_000  # what a check looks at is near the end (the labs keep as much)
TAP_BYTES = 256 * 1024  # of one answer: a JSON list whole, else a stream's tail
PENDING_LINES = 256  # create lines waiting for their attach, across students (oldest dropped)
FRAME = struct.Struct(">BxxxI")


def demux(raw: bytes) -> str:
    """A multiplexed stream's payloads in order (a TTY's raw bytes pass through)."""
    out = bytearray()
    i = 0
    while i + 8 <= len(raw) and raw[i] in (0, 1, 2) and raw[i + 1 : i + 4] == b"\0\0\0":
        _, size = FRAME.unpack(raw[i : i + 8])
        out += raw[i + 8 : i + 8 + size]
        i += 8 + size
    if i == 0:
        return raw.decode("utf-8", "replace")
    return out.decode("utf-8", "replace")


def run_line(body: dict[str, Any], name: str | None) -> str:
    """The ``docker run`` a create body most likely came from."""
    words = ["docker", "run"]
    host = body.get("HostConfig") or {}
    if not (body.get("AttachStdout") or body.get("AttachStderr")):
        words.append("-d")
    if body.get("OpenStdin"):
        words.append("-i")
    if body.get("Tty"):
        words.append("-t")
    if host.get("AutoRemove"):
        words.append("--rm")
    if name:
        words += ["--name", name]
    words.append(str(body.get("Image") or ""))
    words += [str(a) for a in body.get("Cmd") or []]
    return shlex.join(words)


def ps_table(rows: list[dict[str, Any]]) -> str:
    lines = ["CONTAINER ID   IMAGE   COMMAND   STATUS   NAMES"]
    for c in rows:
        names = ",".join(n.lstrip("/") for n in c.get("Names") or [])
        lines.append(
            f"{str(c.get('Id', ''))[:12]}   {c.get('Image', '')}   "
            f'"{c.get("Command", "")}"   {c.get("Status", "")}   {names}'
        )
    return "\n".join(lines)


def images_table(rows: list[dict[str, Any]]) -> str:
    lines = ["REPOSITORY   TAG   IMAGE ID"]
    for image in rows:
        short = str(image.get("Id", "")).removeprefix("sha256:")[:12]
        for tag in image.get("RepoTags") or ["<none>:<none>"]:
            repo, _, version = str(tag).rpartition(":")
            lines.append(f"{repo}   {version}   {short}")
    return "\n".join(lines)


class Tap:
    """The status and the bytes one answer carried (its tail past ``TAP_BYTES``)."""

    def __init__(self, done: Callable[[Tap], Awaitable[None]] | None = None) -> None:
        self.status = 0
        self.data = bytearray()
        self.overflowed = False
        self._done = done

    async def complete(self) -> None:
        """The answer is whole: hand it over (once) before the client can read its end, so
        the lab check a student runs next already sees it."""
        done, self._done = self._done, None
        if done is not None:
            await done(self)

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > TAP_BYTES:
            del self.data[: len(self.data) - TAP_BYTES]
            self.overflowed = True

    def json(self) -> Any:
        if self.overflowed:
            return None
        try:
            return json.loads(self.data)
        except ValueError:
            return None


class Transcript:
    """Turns the endpoint's answers into (line, output) pairs for ``remember``."""

    def __init__(self, remember: Remember | None) -> None:
        self._remember = remember
        self._pending: OrderedDict[tuple[int, str], str] = OrderedDict()

    @property
    def on(self) -> bool:
        return self._remember is not None

    async def _say(self, user_id: int, line: str, output: str) -> None:
        if self._remember is None:
            return
        try:
            await self._remember(user_id, line, output[-KEPT_CHARS:])
        except Exception:
            log.exception("terminal: remembering an output for the labs failed")

    def _expect(self, user_id: int, key: str, line: str) -> None:
        self._pending[(user_id, key)] = line
        while len(self._pending) > PENDING_LINES:
            self._pending.popitem(last=False)

    async def answered(self, user_id: int, request: Request, tap: Tap) -> None:
        """After ``request`` was answered (``tap`` holds what it got back)."""
        if self._remember is None or (not 200 <= tap.status < 300 and tap.status != 101):
            return
        method, path, query = request.method, request.path, request.query
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/containers/json":
            rows = tap.json()
            if isinstance(rows, list):
                all_ = query.get("all", "").lower() in ("1", "true")
                await self._say(user_id, "docker ps -a" if all_ else "docker ps", ps_table(rows))
        elif method == "GET" and path == "/images/json":
            rows = tap.json()
            if isinstance(rows, list):
                await self._say(user_id, "docker images", images_table(rows))
        elif method == "POST" and path == "/containers/create":
            await self._created(user_id, request, tap.json())
        elif method == "POST" and parts[0] == "containers" and parts[-1] == "exec":
            await self._exec_created(user_id, parts[1], request, tap.json())
        elif method == "GET" and len(parts) >= 3 and parts[-1] == "json":
            kind = {"containers": "docker inspect", "images": "docker image inspect"}.get(parts[0])
            found = tap.json()
            if kind is not None and found is not None:
                ref = "/".join(parts[1:-1])
                await self._say(user_id, f"{kind} {ref}", json.dumps([found], indent=4))
        elif method == "POST" and parts[0] == "containers" and parts[-1] == "attach":
            line = self._pending.pop((user_id, parts[1]), "") or f"docker attach {parts[1]}"
            await self._say(user_id, line, demux(bytes(tap.data)))
        elif method == "POST" and parts[0] == "exec" and parts[-1] == "start":
            line = self._pending.pop((user_id, f"exec:{parts[1]}"), "") or "docker exec"
            await self._say(user_id, line, demux(bytes(tap.data)))
        elif method == "GET" and parts[0] == "containers" and parts[-1] == "logs":
            await self._say(user_id, f"docker logs {parts[1]}", demux(bytes(tap.data)))

    async def _created(self, user_id: int, request: Request, sent: Any) -> None:
        """A detached run is complete now (the CLI prints the id); a foreground one waits for
        its attach, which brings the output."""
        try:
            body = request.json()
        except ValueError:
            return
        if not isinstance(body, dict) or not isinstance(sent, dict) or "Id" not in sent:
            return
        line = run_line(body, request.query.get("name"))
        if body.get("AttachStdout") or body.get("AttachStderr"):
            self._expect(user_id, str(sent["Id"]), line)
        else:
            await self._say(user_id, line, str(sent["Id"]) + "\n")

    async def _exec_created(self, user_id: int, ref: str, request: Request, sent: Any) -> None:
        try:
            body = request.json()
        except ValueError:
            return
        if isinstance(body, dict) and isinstance(sent, dict) and "Id" in sent:
            words = ["docker", "exec"]
            if body.get("Tty"):
                words.append("-it" if body.get("AttachStdin") else "-t")
            words += [ref, *(str(a) for a in body.get("Cmd") or [])]
            self._expect(user_id, f"exec:{sent['Id']}", shlex.join(words))
