"""The classroom screen in a real headless Chromium: it shows the question, then the scores,
updating itself without a reload. Chromium is driven over its DevTools protocol (aiohttp's
WebSocket client). Without Chromium it skips with the install command, and fails under CI
(the ``chromium_binary`` fixture)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import uvicorn

from moussaillon.handlers.rest.app import create_api
from moussaillon.quiz.scoring import answer_points
from tests.quiz.quiz_clock import ManualClock

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


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
    """Just enough of the DevTools protocol: navigate, evaluate, screenshot."""

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
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, seconds: float = 10.0) -> Any:
        async with asyncio.timeout(seconds):
            while not (value := await self.js(expression)):
                await asyncio.sleep(0.1)
        return value

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        await asyncio.to_thread(_save, path, base64.b64decode(shot["data"]))


def _save(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@contextlib.asynccontextmanager
async def chromium(binary: str, tmp_path: Path) -> AsyncIterator[Page]:
    profile = tmp_path / "chromium-profile"
    process = await asyncio.create_subprocess_exec(
        binary,
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
        async with asyncio.timeout(20):
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
                yield page
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


async def test_screen_shows_the_question_then_the_scores_without_reloading(
    services, tmp_path, chromium_binary
):
    clock = ManualClock()
    services.quiz.set_clock(clock)
    live = services.quiz.live
    session = await live.create(-4242, 1000, chapter="images", n=3, period=20)
    asked = await live.next_question(session.id)
    await live.question_opened(asked, poll_id="screen-1", message_id=1)
    async with serving(services) as base, chromium(chromium_binary, tmp_path) as page:
        await page.call("Page.navigate", url=f"{base}/live/{session.id}")
        shown = await page.wait_for(
            "document.getElementById('question') && document.getElementById('question').textContent"
        )
        assert shown == asked.question.question
        options = await page.js(
            "[...document.querySelectorAll('#options li')].map(e => e.textContent)"
        )
        assert options == list(asked.shown.options)
        assert await page.js("document.getElementById('countdown').textContent") == "20 s"
        assert await page.js("document.getElementById('answered').textContent") == "0 réponses"
        await page.js("window.sameDocument = true")
        await page.screenshot(ARTIFACTS / "live_page_question.png")

        right, wrong = (
            asked.shown.correct_index,
            (asked.shown.correct_index + 1) % len(asked.shown.options),
        )
        clock.advance(2)
        await live.record_answer("screen-1", 1, "Ana", [right])
        clock.advance(3)
        await live.record_answer("screen-1", 2, "Bruno", [right])
        await live.record_answer("screen-1", 3, "Chloé", [wrong])
        await page.wait_for("document.getElementById('answered').textContent === '3 réponses'")
        clock.advance(15)
        await live.close_question(session.id, 0)

        await page.wait_for("document.getElementById('answer').textContent !== ''")
        board = await page.js(
            "[...document.querySelectorAll('#leaderboard li')].map(e => e.innerText)"
        )
        assert [line.split("\n") for line in board] == [
            ["1.", "Ana", f"{answer_points(True, 2, 20)} pts"],
            ["2.", "Bruno", f"{answer_points(True, 5, 20)} pts"],
            ["3.", "Chloé", "0 pts"],
        ]
        right_option = asked.question.options[asked.question.correct_index]
        assert (
            await page.js("document.getElementById('answer').textContent") == f"✅ {right_option}"
        )
        assert await page.js("document.querySelector('#options li.right').textContent") == (
            right_option
        )
        assert await page.js("window.sameDocument") is True  # updated in place, never reloaded
        await page.screenshot(ARTIFACTS / "live_page.png")
    assert (ARTIFACTS / "live_page.png").stat().st_size > 10_000
