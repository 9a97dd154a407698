"""Where the labs meet the sandbox: run a student's command, check a step on their sandbox.

The sandbox keeps no command output, yet ``last_output_contains`` checks need the output of the
student's latest command. Rather than teach the sandbox about labs, every transport runs
students' commands through ``PracticeService.run``, which remembers the output of the latest one
(``OutputJournal``) before handing the result back unchanged. A check reads the student's
sandbox through the sandbox's public surface only (``snapshot.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moussaillon.core.errors import MoussaillonError
from moussaillon.labs.checks import CheckResult, required_files
from moussaillon.labs.outputs import OutputJournal
from moussaillon.labs.service import LabService
from moussaillon.labs.snapshot import snapshot
from moussaillon.labs.state import SandboxState

if TYPE_CHECKING:
    from moussaillon.sandbox import CommandResult, OnOutput, OnWait, SandboxService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queued:
    """The command waits in the sandbox's fair queue, at this place."""

    position: int


@dataclass(frozen=True)
class Printed:
    """A chunk of the command's output, as the CLI would print it, as soon as it came."""

    text: str


StreamEvent = Queued | Printed  # then the CommandResult, last


class NoSandbox(MoussaillonError):
    """This deployment runs without a Docker engine: nothing to run or check against."""

    status = 503


class PracticeService:
    def __init__(
        self,
        sandbox: SandboxService | None,
        labs: LabService,
        journal: OutputJournal,
    ) -> None:
        self._sandbox = sandbox
        self._labs = labs
        self._journal = journal
        self._detached: set[asyncio.Task[Any]] = set()

    @property
    def available(self) -> bool:
        return self._sandbox is not None

    def _require_sandbox(self) -> SandboxService:
        if self._sandbox is None:
            raise NoSandbox("labs.no_sandbox")
        return self._sandbox

    async def run(
        self,
        user_id: int,
        line: str,
        lang: str = "fr",
        on_wait: OnWait | None = None,
        on_output: OnOutput | None = None,
    ) -> CommandResult:
        """``SandboxService.run_command``, remembering the output of commands that ran."""
        result = await self._require_sandbox().run_command(
            user_id, line, lang, on_wait=on_wait, on_output=on_output
        )
        if not result.refused:
            try:
                await self._journal.record(user_id, line, result.output)
            except Exception:
                log.exception("labs: recording the last output failed")
        return result

    async def remember(self, user_id: int, line: str, output: str) -> None:
        """A command that ran elsewhere (the student's own terminal), kept like ``run``'s, so
        a step checked on its output passes wherever the student typed it."""
        await self._journal.record(user_id, line, output)

    async def stream(
        self, user_id: int, line: str, lang: str = "fr"
    ) -> AsyncGenerator[StreamEvent | CommandResult, None]:
        """``run`` as events, for transports that stream (REST's ndjson): the queue places and
        the output chunks as they come, then the ``CommandResult``, always last.

        A reader who stops early (a closed connection) does not stop the command: like the
        command of a request whose client went away, it finishes and is journaled."""
        self._require_sandbox()
        events: asyncio.Queue[StreamEvent | None] = asyncio.Queue()

        async def on_wait(position: int) -> None:
            events.put_nowait(Queued(position))

        async def on_output(text: str) -> None:
            events.put_nowait(Printed(text))

        task = asyncio.create_task(
            self.run(user_id, line, lang, on_wait=on_wait, on_output=on_output),
            name="practice-stream",
        )
        task.add_done_callback(lambda _: events.put_nowait(None))
        try:
            while (event := await events.get()) is not None:
                yield event
            yield task.result()
        finally:
            if not task.done():
                self._detached.add(task)
                task.add_done_callback(self._detached.discard)

    async def check(self, user_id: int, lab_id: str, step: int, lang: str = "fr") -> CheckResult:
        """The step's check on the student's real sandbox; a pass marks the step done."""
        lab = self._labs.labs.get(lab_id)
        check = lab.steps[step - 1].check if 1 <= step <= len(lab.steps) else None
        if check is None:
            # LabService refuses these (unknown step, nothing to check) before any state is read.
            return await self._labs.check(user_id, lab_id, step, SandboxState(), lang)
        sandbox = self._require_sandbox()
        command, output = await self._journal.last_entry(user_id)
        state = await snapshot(  # EngineUnavailable when the engine cannot answer
            sandbox,
            user_id,
            last_output=output,
            last_command=command,
            files=required_files(check),
        )
        return await self._labs.check(user_id, lab_id, step, state, lang)
