"""What the terminal tells the labs the CLI printed: the lines and renderings, without an engine."""

from __future__ import annotations

import struct

from moussaillon.terminal.connection import Request
from moussaillon.terminal.transcript import Tap, Transcript, demux, run_line


def test_run_line_is_the_command_a_create_body_came_from() -> None:
    body = {"Image": "alpine", "Cmd": ["sh", "-c", "echo a b"], "AttachStdout": True}
    assert run_line(body, None) == "docker run alpine sh -c 'echo a b'"
    detached = {"Image": "nginx", "HostConfig": {"AutoRemove": True}}
    assert run_line(detached, "web") == "docker run -d --rm --name web nginx"


def test_demux_joins_the_frames_payloads_and_passes_a_tty_through() -> None:
    frame = struct.Struct(">BxxxI")
    raw = frame.pack(1, 3) + b"hi\n" + frame.pack(2, 4) + b"err\n"
    assert demux(raw) == "hi\nerr\n"
    assert demux(b"/ # ls\r\n") == "/ # ls\r\n"


async def test_a_foreground_run_is_remembered_with_its_output_at_the_attach() -> None:
    said: list[tuple[int, str, str]] = []

    async def remember(user_id: int, line: str, output: str) -> None:
        said.append((user_id, line, output))

    transcript = Transcript(remember)
    body = b'{"Image": "hello-world", "AttachStdout": true}'
    create = Request("POST", "/containers/create", {}, body)
    create.path = "/containers/create"
    tap = Tap()
    tap.status, tap.data = 201, bytearray(b'{"Id": "abc123"}')
    await transcript.answered(7, create, tap)
    assert said == []  # the output comes with the attach
    attach = Request("POST", "/containers/abc123/attach", {})
    attach.path = "/containers/abc123/attach"
    tap = Tap()
    tap.status = 101
    tap.add(struct.pack(">BxxxI", 1, 18) + b"Hello from Docker!")
    await transcript.answered(7, attach, tap)
    assert said == [(7, "docker run hello-world", "Hello from Docker!")]
    # Another student's attach to the same id is theirs: no line of student 7's.
    await transcript.answered(8, attach, tap)
    assert said[-1][:2] == (8, "docker attach abc123")


async def test_refusals_and_oversized_lists_are_not_remembered() -> None:
    said: list[str] = []

    async def remember(user_id: int, line: str, output: str) -> None:
        said.append(line)

    transcript = Transcript(remember)
    ps = Request("GET", "/containers/json?all=1", {})
    ps.path, ps.query = "/containers/json", {"all": "1"}
    refused = Tap()
    refused.status, refused.data = 429, bytearray(b'{"message": "trop"}')
    await transcript.answered(1, ps, refused)
    huge = Tap()
    huge.status = 200
    huge.add(b"[" + b'{"Id": "x"},' * 40_000 + b'{"Id": "y"}]')
    await transcript.answered(1, ps, huge)
    assert said == []
    fine = Tap()
    fine.status, fine.data = 200, bytearray(b'[{"Id": "0123456789abcdef", "Status": "Exited (0)"}]')
    await transcript.answered(1, ps, fine)
    assert said == ["docker ps -a"]
