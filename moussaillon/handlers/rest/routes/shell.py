"""``/api/v1/sandbox/shell``: the same interactive shells as in the chat, over a WebSocket.

The bearer token comes in the ``Authorization`` header of the upgrade request, the command line
in the ``command`` query parameter or, without it, as the first text frame. Then every text
frame is a line typed into the shell, and the server sends JSON frames: ``opened``, ``output``
(escapes kept, for a terminal), ``error`` (a line refused: too long, no stdin), and last
``end`` (why the shell ended) or ``refused`` (it could not open: the result ``/sandbox/run``
would give). Closing the socket leaves the shell, as ``/quitter_shell`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import bearer_owner, lang_of
from moussaillon.sandbox.errors import SandboxError
from moussaillon.sandbox.results import CommandResult

if TYPE_CHECKING:
    from moussaillon.sandbox import ShellSession
    from moussaillon.services import Services

router = APIRouter(tags=["sandbox"])

UNAUTHORIZED = 4401  # the WebSocket twin of HTTP 401
UNAVAILABLE = 4503
MAX_FRAME_CHARS = 8192  # the shell refuses past 4 KiB itself; a frame is read whole first


@router.websocket("/sandbox/shell")
async def shell(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    lang = lang_of(websocket.headers.get("accept-language"))
    await websocket.accept()
    owner = await bearer_owner(services, websocket.headers.get("authorization"))
    if owner is None:
        await _close(websocket, UNAUTHORIZED, "api.unauthorized", t("api.unauthorized", lang))
        return
    if services.sandbox is None:
        await _close(websocket, UNAVAILABLE, "tg.docker_disabled", t("tg.docker_disabled", lang))
        return
    line = websocket.query_params.get("command")
    try:
        if not line:
            line = (await websocket.receive_text())[:MAX_FRAME_CHARS]
    except WebSocketDisconnect:
        return
    opened = await services.sandbox.open_shell(owner.user_id, line, lang, origin="websocket")
    if isinstance(opened, CommandResult):
        await websocket.send_json(
            {
                "type": "refused",
                "refused": opened.refused,
                "reason": opened.reason,
                "exit_code": opened.exit_code,
                "output": opened.output,
            }
        )
        await websocket.close()
        return
    await _serve(websocket, opened)


async def _serve(websocket: WebSocket, session: ShellSession) -> None:
    await websocket.send_json(
        {"type": "opened", "kind": session.kind, "name": session.target, "stdin": session.stdin}
    )
    output = asyncio.create_task(_send_output(websocket, session))
    try:
        while True:
            receiving = asyncio.ensure_future(websocket.receive_text())
            await asyncio.wait({receiving, output}, return_when=asyncio.FIRST_COMPLETED)
            if not receiving.done():  # the shell ended first
                receiving.cancel()
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                    await receiving
                break
            text = receiving.result()[:MAX_FRAME_CHARS]
            try:
                await session.send(text)
            except SandboxError as exc:
                await websocket.send_json({"type": "error", "message": exc.message(session.lang)})
    except WebSocketDisconnect:
        pass
    finally:
        await session.close("quit")
        with contextlib.suppress(Exception):
            await output
        session.abandon()  # a socket gone mid-burst left output nobody will read
    with contextlib.suppress(Exception):
        await websocket.close()


async def _send_output(websocket: WebSocket, session: ShellSession) -> None:
    async for burst in session.bursts():
        frame: dict[str, Any] = {"type": "output", "data": burst.raw}
        if burst.dropped:
            frame["dropped"] = burst.dropped
        await websocket.send_json(frame)
    ended = session.ended
    if ended is not None:
        await websocket.send_json(
            {
                "type": "end",
                "reason": ended.reason,
                "exit_code": ended.exit_code,
                "message": ended.message,
            }
        )


async def _close(websocket: WebSocket, code: int, key: str, message: str) -> None:
    await websocket.send_json({"type": "error", "code": key, "message": message})
    await websocket.close(code)
