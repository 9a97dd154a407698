"""A real headless Chromium (Debian's package) driven over its DevTools protocol with aiohttp's
WebSocket client, and the app served by a real uvicorn on a free loopback port.

Phone sizes use mobile emulation, so a page without a viewport meta lays out at 980 px as a real
phone would (and ``innerWidth`` says so). A missing Chromium or emoji font skips with the
command that adds it, and fails under CI (``tests/optional.py``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import uvicorn

from moussaillon.handlers.rest.app import create_api
from tests.optional import missing

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = (390, 844)
PROJECTOR = (1920, 1080)
DESKTOP = (1200, 900)

OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@contextlib.asynccontextmanager
async def serving(services) -> AsyncIterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_api(services), host="127.0.0.1", port=port, log_config=None)
    )
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class Page:
    """Just enough of the DevTools protocol: size, navigate, evaluate, screenshot."""

    def __init__(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = socket_
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self.ids)
        await self.ws.send_json({"id": call_id, "method": method, "params": params})
        async with asyncio.timeout(15):
            async for message in self.ws:
                data = json.loads(message.data)
                if data.get("id") == call_id:
                    if "error" in data:
                        raise RuntimeError(f"{method}: {data['error']}")
                    return data["result"]
        raise RuntimeError(f"{method}: the browser closed the connection")

    async def js(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, seconds: float = 10.0) -> Any:
        async with asyncio.timeout(seconds):
            while not (value := await self.js(expression)):
                await asyncio.sleep(0.1)
        return value

    async def size(self, width: int, height: int) -> None:
        """A phone (narrower than 800 px: mobile, touch, viewport meta honoured) or a screen."""
        await self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 800,
        )

    async def language(self, accept: str) -> None:
        await self.call("Network.setExtraHTTPHeaders", headers={"Accept-Language": accept})

    async def goto(self, url: str) -> None:
        await self.js("window.__left = true")
        await self.call("Page.navigate", url=url)
        await self.wait_for("!window.__left && document.readyState === 'complete'")

    async def screenshot(self, path: Path, *, full: bool = False) -> None:
        """The viewport, or the whole page (``full``) as a long phone screenshot shows it."""
        params: dict[str, Any] = {"format": "png"}
        if full:
            width, height = await self.js(
                "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
            )
            params |= {
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            }
        shot = await self.call("Page.captureScreenshot", **params)
        await asyncio.to_thread(_save, path, base64.b64decode(shot["data"]))


CHROMIUM_INSTALL = "sudo apt-get install chromium fonts-noto-color-emoji"
EMOJI_INSTALL = "sudo apt-get install fonts-noto-color-emoji"


def _save(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _binary() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        missing("Chromium is not installed (the browser tests need it)", CHROMIUM_INSTALL)
    listed = (
        shutil.which("fc-list")
        and subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, check=False
        ).stdout
    )
    if "Noto Color Emoji" not in (listed or ""):  # the screenshots would show empty boxes
        missing("no colour emoji font (screenshots would show empty boxes)", EMOJI_INSTALL)
    return found


@contextlib.asynccontextmanager
async def chromium(tmp_path: Path) -> AsyncIterator[Page]:
    profile = tmp_path / "chromium-profile"
    process = await asyncio.create_subprocess_exec(
        _binary(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,800",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        async with asyncio.timeout(60):
            while not port_file.exists() or not port_file.read_text().strip():
                await asyncio.sleep(0.05)
        port = port_file.read_text().split()[0]
        async with aiohttp.ClientSession() as http:
            async with asyncio.timeout(10):
                while True:
                    targets = await (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
                    pages = [t for t in targets if t.get("type") == "page"]
                    if pages:
                        break
                    await asyncio.sleep(0.05)
            async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws)
                await page.call("Page.enable")
                await page.call("Runtime.enable")
                await page.call("Network.enable")
                yield page
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
