"""HTTP face of the stand-in: the Bot API routes, file downloads, and the ``/_stub`` control API.

Served by uvicorn inside the caller's event loop, so tests and the bot share one loop and the
stub's state needs no locks.
"""

from __future__ import annotations

import inspect
import time
from typing import TYPE_CHECKING, Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .bodies import parse_body
from .models import ApiCall, ApiError, Injected, StubMessage, bad_request

if TYPE_CHECKING:
    from .stub import TelegramStub


def _message_json(message: StubMessage) -> dict[str, Any]:
    return {"seq": message.seq, "version": message.version, "parse_mode": message.parse_mode,
            "source_text": message.source_text, "message": message.data}


def _injected_json(injected: Injected) -> dict[str, Any]:
    return {"update": injected.update, "marker": injected.marker, "chat_id": injected.chat_id}


def build_app(stub: TelegramStub) -> Starlette:
    world, api, faults = stub.world, stub.api, stub.faults

    async def bot_method(request: Request) -> Response:
        method = request.path_params["method"]
        params: dict[str, Any] = {}
        try:
            if request.path_params["token"] != stub.token:
                raise ApiError(401, "Unauthorized")
            params = parse_body(request.headers.get("content-type", ""), await request.body(),
                                dict(request.query_params))
            name = method.lower()
            handler = api.sync.get(name) or api.asynchronous.get(name)
            if handler is None:
                raise bad_request(f'method "{method}" is not implemented by the Telegram stub')
            chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
            faults.check(name, chat_id)
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
            faults.record_send(name, chat_id)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, body = err.code, err.envelope()
        except Exception as err:  # a stub bug must reach the test, not vanish into a retry loop
            status, body = 500, ApiError(
                500, f"Internal Server Error: the Telegram stub failed on {method}: {err!r}"
            ).envelope()
        world.requests.append(ApiCall(method, params, status, body, time.monotonic()))
        return JSONResponse(body, status_code=status)

    async def download(request: Request) -> Response:
        if request.path_params["token"] != stub.token:
            return JSONResponse(ApiError(401, "Unauthorized").envelope(), status_code=401)
        file_id = request.path_params["path"].split("/", 1)[0]
        stored = world.files.get(file_id)
        if stored is None or stored.content is None:
            return JSONResponse(ApiError(404, "Not Found").envelope(), status_code=404)
        return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")

    async def control_user(request: Request) -> Response:
        body = await request.json()
        return JSONResponse(stub.user(**body).to_dict())

    async def control_text(request: Request) -> Response:
        body = await request.json()
        chat = body.get("chat_id")
        injected = stub.send_text(stub.known_user(int(body["user_id"])), body["text"],
                                  chat=int(chat) if chat is not None else None)
        return JSONResponse(_injected_json(injected))

    async def control_click(request: Request) -> Response:
        body = await request.json()
        message = world.find(int(body["chat_id"]), int(body["message_id"]))
        if message is None:
            return JSONResponse({"error": "unknown message"}, status_code=404)
        injected = stub.click(stub.known_user(int(body["user_id"])), message,
                              text=body.get("text"), data=body.get("data"))
        return JSONResponse(_injected_json(injected))

    async def control_inject(request: Request) -> Response:
        return JSONResponse(_injected_json(stub.inject(await request.json())))

    async def control_messages(request: Request) -> Response:
        """Bot messages after ``after`` (in ``chat_id`` or all chats), waiting up to ``timeout``."""
        query = request.query_params
        after = int(query.get("after", 0))
        count = int(query.get("count", 1))
        chat = int(query["chat_id"]) if "chat_id" in query else None
        found = await stub.sent_since(after, chat_id=chat, count=count,
                                      timeout=float(query.get("timeout", 0)))
        cursor = found[-1].seq if found else after
        return JSONResponse({"messages": [_message_json(m) for m in found], "cursor": cursor})

    return Starlette(routes=[
        Route("/bot{token}/{method}", bot_method, methods=["GET", "POST"]),
        Route("/file/bot{token}/{path:path}", download, methods=["GET"]),
        Route("/_stub/users", control_user, methods=["POST"]),
        Route("/_stub/text", control_text, methods=["POST"]),
        Route("/_stub/click", control_click, methods=["POST"]),
        Route("/_stub/inject", control_inject, methods=["POST"]),
        Route("/_stub/messages", control_messages, methods=["GET"]),
    ])


class Server:
    """uvicorn driven step by step (startup/shutdown) so it never touches signal handlers."""

    def __init__(self, app: Starlette, port: int = 0) -> None:
        # Keep-alive as long as Telegram's: with uvicorn's 5 s, a busy client reusing a pooled
        # connection races the server closing it and gets spurious ReadErrors.
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                access_log=False, lifespan="off", ws="none", http="h11",
                                timeout_graceful_shutdown=3, timeout_keep_alive=600,
                                proxy_headers=False, server_header=False, date_header=False)
        config.load()
        self._server = uvicorn.Server(config)
        self._server.lifespan = config.lifespan_class(config)
        self.port = 0

    async def start(self) -> None:
        await self._server.startup()
        sockets = self._server.servers[0].sockets
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self._server.shutdown()
