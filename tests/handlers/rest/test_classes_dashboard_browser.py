"""The dashboard in a real headless browser (Debian's chromium): the page the bot's signed link
opens renders its table and chart. Without chromium it skips with the install command, and fails
under CI (the ``chromium_binary`` fixture)."""

import asyncio
import contextlib
import socket
from pathlib import Path

import uvicorn

from moussaillon.handlers.rest.app import create_api
from tests.classes.rest_harness import STUDENTS, TEACHER, class_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _browse(chromium: str, tmp_path: Path, *args: str) -> tuple[str, str]:
    process = await asyncio.create_subprocess_exec(
        chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
        *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return out.decode(), err.decode()


@contextlib.asynccontextmanager
async def _served(services):
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_api(services), host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_the_signed_dashboard_link_renders_table_and_chart_in_chromium(
    tmp_path, chromium_binary
):
    async with class_world(tmp_path) as world:
        services = world.services
        first = services.course.course.chapters[0]
        for section in first.sections[:3]:
            await services.progress.record_view(STUDENTS[0], section.id)
        async with _served(services) as base:
            url = f"{base}/classes/{world.class_id}?" + services.classes.dashboard_query(
                world.class_id, TEACHER)
            dom, err = await _browse(chromium_binary, tmp_path, "--dump-dom", url)
            assert "<table" in dom, err[-2000:]
            assert dom.count("<tr data-user=") == len(STUDENTS)
            assert f'<td class="n c" title="{first.title}">3/{len(first.sections)}</td>' in dom
            assert 'id="class-chart"' in dom and 'class="bar"' in dom
            assert 'id="csv"' in dom

            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "classes-dashboard.png"
            shot.unlink(missing_ok=True)
            await _browse(chromium_binary, tmp_path, "--window-size=1200,900",
                          f"--screenshot={shot}", url)
            assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert shot.stat().st_size > 5000

            denied, _ = await _browse(chromium_binary, tmp_path, "--dump-dom",
                                      f"{base}/classes/{world.class_id}")
            assert "<table" not in denied and "classes.dash_expired" in denied
