"""``/api/v1/sandbox/shell`` through the app's own uvicorn listener and a real WebSocket client."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
import websockets
from websockets.asyncio.client import connect

from moussaillon.app import build_services, http_server
from moussaillon.handlers.rest.app import create_api
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import make_settings
from tests.handlers.rest.served import free_port

pytestmark = pytest.mark.docker

PATH = "/api/v1/sandbox/shell"
WAIT_S = 30


@contextlib.asynccontextmanager
async def served(tmp_path, user, **overrides):
    """The app behind its real uvicorn listener; the ws:// URL and a bearer token for ``user``."""
    settings = make_settings(tmp_path, **overrides)
    async with build_services(settings) as services:
        port = free_port()
        server = http_server(create_api(services), settings, "127.0.0.1", port, lifespan="off")
        serving = asyncio.create_task(server.serve())
        async with asyncio.timeout(WAIT_S):
            while not server.started:
                assert not serving.done(), serving
                await asyncio.sleep(0.05)
        try:
            token = await services.tokens.create(user)
            yield services, f"ws://127.0.0.1:{port}{PATH}", token
        finally:
            server.should_exit = True
            await serving
            with contextlib.suppress(Exception):
                await purge_owner(services.sandbox.engine, labels.owner_key(user))


async def frames_until(ws, kind, needle=""):
    """Frames until one of ``kind`` (holding ``needle`` in its data); all of them."""
    got = []
    async with asyncio.timeout(WAIT_S):
        while True:
            frame = json.loads(await ws.recv())
            got.append(frame)
            if frame["type"] == kind and needle in frame.get("data", ""):
                return got


async def test_a_shell_over_the_websocket_keeps_its_state_and_ends_on_exit(
    tmp_path, standin_images, clean_user_id
):
    user = clean_user_id
    async with served(tmp_path, user) as (_, url, token):
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send("docker run -it --rm --name term alpine sh")
            opened = json.loads(await ws.recv())
            assert opened == {"type": "opened", "kind": "run", "name": "term", "stdin": True}
            await ws.send("cd /etc")
            await ws.send("printf '\\033[31mred\\033[0m '; pwd")
            frames = await frames_until(ws, "output", "/etc")
            printed = "".join(f.get("data", "") for f in frames)
            assert "\x1b[31m" in printed  # a terminal over the socket gets the escapes
            await ws.send("exit 2")
            frames = await frames_until(ws, "end")
            end = frames[-1]
            assert end["reason"] == "exited" and end["exit_code"] == 2
            with pytest.raises(websockets.ConnectionClosedOK):
                await asyncio.wait_for(ws.recv(), WAIT_S)


async def test_closing_the_socket_leaves_the_shell_and_the_command_can_be_a_query(
    tmp_path, standin_images, clean_user_id
):
    user = clean_user_id
    async with served(tmp_path, user) as (services, url, token):
        headers = {"Authorization": f"Bearer {token}"}
        async with connect(
            f"{url}?command=docker+run+-it+--rm+alpine+sh", additional_headers=headers
        ) as ws:
            assert json.loads(await ws.recv())["type"] == "opened"
            assert services.sandbox.shell_of(user, "websocket") is not None
            assert services.sandbox.shell_of(user) is None  # the chat's messages stay commands
        async with asyncio.timeout(WAIT_S):
            while services.sandbox.shell_of(user, "websocket") is not None:
                await asyncio.sleep(0.1)
        listed = await services.sandbox.run_command(user, "docker ps -a -q")
        assert listed.output.strip() == ""


async def test_without_a_token_or_with_a_one_shot_command_nothing_opens(
    tmp_path, standin_images, clean_user_id
):
    user = clean_user_id
    async with served(tmp_path, user) as (_, url, token):
        async with connect(url) as ws:
            refused = json.loads(await ws.recv())
            assert refused["type"] == "error" and refused["code"] == "api.unauthorized"
            with pytest.raises(websockets.ConnectionClosedError) as closed:
                await ws.recv()
            assert closed.value.rcvd.code == 4401
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send("docker run --rm alpine echo hi")
            answer = json.loads(await ws.recv())
            assert answer["type"] == "refused" and "opens no shell" in answer["reason"]
