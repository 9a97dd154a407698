"""PracticeService.stream: a command's queue places and output as events, its result last; a
reader who leaves early does not stop the command."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiodocker

from moussaillon.areas import migrations
from moussaillon.config import Settings
from moussaillon.core.store import Store
from moussaillon.labs.loader import load_labs
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.practice import PracticeService, Printed, Queued
from moussaillon.labs.service import LabService
from moussaillon.sandbox import CommandResult
from moussaillon.sandbox.service import SandboxService


class PrintingSandbox:
    """What a streaming command hands the service's ``on_output``: steps, a pause between
    each, then the result with the whole output (as bx's build does)."""

    def __init__(self, steps: int, pause: float) -> None:
        self.steps, self.pause = steps, pause
        self.finished = asyncio.Event()

    async def run_command(self, user_id, line, lang="fr", on_wait=None, on_output=None):
        printed = []
        for step in range(1, self.steps + 1):
            await asyncio.sleep(self.pause)
            chunk = f"Step {step}/{self.steps} : RUN true\n"
            printed.append(chunk)
            if on_output is not None:
                await on_output(chunk)
        self.finished.set()
        return CommandResult(
            exit_code=0,
            output="".join(printed),
            refused=False,
            reason=None,
            duration_ms=1,
            verdict="ran",
        )


def practice_over(sandbox, store: Store) -> PracticeService:
    return PracticeService(sandbox, LabService(store, load_labs()), OutputJournal(store))


async def test_chunks_come_as_they_are_printed_then_the_result(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", migrations())
    try:
        practice = practice_over(PrintingSandbox(4, 0.2), store)
        events = [event async for event in practice.stream(7, "docker build .")]
        assert events[:4] == [Printed(f"Step {n}/4 : RUN true\n") for n in range(1, 5)]
        [result] = events[4:]
        assert isinstance(result, CommandResult)
        assert result.output == "".join(event.text for event in events[:4])
        assert await OutputJournal(store).last(7) == result.output
    finally:
        store.close()


async def test_a_reader_leaving_early_does_not_stop_the_command(tmp_path: Path) -> None:
    store = Store(tmp_path / "e.db", migrations())
    try:
        sandbox = PrintingSandbox(5, 0.2)
        practice = practice_over(sandbox, store)
        events = practice.stream(8, "docker build .")
        assert await anext(events) == Printed("Step 1/5 : RUN true\n")
        await events.aclose()
        assert not sandbox.finished.is_set()
        await asyncio.wait_for(sandbox.finished.wait(), 30)
        for _ in range(100):  # the journal line follows the result
            if await OutputJournal(store).last(8):
                break
            await asyncio.sleep(0.05)
        assert (await OutputJournal(store).last(8)).endswith("Step 5/5 : RUN true\n")
    finally:
        store.close()


async def test_a_queued_command_says_its_place_before_its_result(
    tmp_path: Path, docker: aiodocker.Docker, standin_images: dict[str, str], make_user_id
) -> None:
    settings = Settings(
        sandbox_images=",".join(f"{k}={v}" for k, v in standin_images.items()),
        sandbox_timeout_s=25,
        sandbox_concurrency=1,
    )
    store = Store(tmp_path / "q.db", migrations())
    sandbox = SandboxService(settings, store, docker)
    practice = practice_over(sandbox, store)
    first, second = make_user_id(), make_user_id()
    try:
        busy = asyncio.create_task(practice.run(first, "docker run --rm alpine sleep 8"))
        while sandbox.active_operations == 0:
            await asyncio.sleep(0.05)
        events = practice.stream(second, "docker run --rm alpine echo après")
        assert await anext(events) == Queued(1)
        assert not busy.done()  # the place came while the other command still ran
        [result] = [event async for event in events]
        assert isinstance(result, CommandResult) and result.output == "après\n"
        assert (await busy).exit_code == 0
    finally:
        await sandbox.close()
        store.close()
