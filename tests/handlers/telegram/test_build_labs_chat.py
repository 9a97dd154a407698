"""The five build labs done in the chat, step by step, as a student on a phone does them: ``/tp
N`` announces the starter files and ``/fichiers`` shows them, the files a step asks for are
typed (``/fichier NOM`` and a fenced block) or sent as documents, each of the step's commands
is typed as a message (a build's answer shows its output live), the button under the last
answer checks the step on the real engine, and ``/tp N correction`` loads the correction once
every step is done. The verdict card stays on the step it passed (no check is offered under
the answers until the student moves on), so the student presses "next step" on it.

What is typed comes from the lab sheets (``tests/labs/walkthrough_plan.py``): a sheet change
is tested here. The bases are the Debian-based images (``debian_images``): missing, they fail
the test under CI, as the service-level walk in ``tests/labs/test_build_labs.py`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from moussaillon.core.i18n import t
from moussaillon.labs.model import Lab
from tests.conftest import Bot, start_bot
from tests.labs.walkthrough_plan import (
    BUILD_LABS,
    CURL_REFUSED,
    CURL_TRIES,
    allowlist,
    edits,
    is_build,
    is_probe,
)
from tests.sandbox.conftest import debian_images  # noqa: F401  (pytest fixture)
from tests.telegram_stub.models import FakeUser, StubMessage

RUNNING = t("tg.docker_running", "fr")
COMMAND_TIMEOUT = 300  # a cold build of the Node.js or PHP image on a busy machine


def exit_note(code: int) -> str:
    return t("tg.docker_exit", "fr", code=code)


class Student:
    """One student's private chat with the bot: every call waits for the bot's answer."""

    def __init__(self, running: Bot, user: FakeUser) -> None:
        self.stub, self.services, self.user = running.stub, running.services, user
        self.live_builds = 0

    async def say(self, text: str, wait_s: float = 30) -> StubMessage:
        [answer] = await self.stub.wait_for(self.stub.send_text(self.user, text), timeout=wait_s)
        return answer

    def current(self, message: StubMessage) -> StubMessage:
        return next(m for m in self.stub.messages(self.user) if m.message_id == message.message_id)

    async def write(self, path: str, text: str) -> None:
        """Short files typed in a fenced block; the others sent as documents, the caption
        naming the folder they go to."""
        folder, _, name = path.rpartition("/")
        if name.startswith("Dockerfile") or name == ".dockerignore":
            reply = await self.say(f"/fichier {path}\n```\n{text}```")
        else:
            injected = self.stub.send_document(
                self.user, text.encode(), name, caption=f"{folder}/" if folder else None
            )
            [reply] = await self.stub.wait_for(injected, timeout=30)
        assert path in (reply.text or ""), reply.text
        stored = await self.services.workspace.snapshot(self.user.id)
        assert stored[path] == text.encode(), (path, stored.get(path))

    async def run(self, line: str) -> StubMessage:
        """The command typed, its answer read once final (a probe retried while the server
        starts, as a student would retype it)."""
        for _ in range(CURL_TRIES):
            answer = await self.finished(line)
            if not (is_probe(line) and exit_note(CURL_REFUSED) in (answer.text or "")):
                break
            await asyncio.sleep(1)
        text = answer.text or ""
        assert not text.startswith("⛔") and "code de sortie" not in text, (line, text[-3000:])
        return answer

    async def finished(self, line: str) -> StubMessage:
        first = await self.say(line, wait_s=COMMAND_TIMEOUT)
        answer = self.current(first)
        while RUNNING in (answer.text or ""):
            answer = await self.stub.wait_for_edit(answer, timeout=COMMAND_TIMEOUT)
        if is_build(line):
            self.live_builds += RUNNING in (first.text or "") and "Step 1/" in (first.text or "")
            assert "Successfully built" in (answer.text or ""), answer.text
        if t("tg.docker_output_file", "fr", size="").split("(")[0] in (answer.text or ""):
            [log] = await self.stub.wait_for(self.user, after=first, timeout=30)
            assert log.filename and log.document, log.data
        return answer

    async def press(self, card: StubMessage, button: str) -> StubMessage:
        self.stub.click(self.user, card, text=button)
        return await self.stub.wait_for_edit(card, timeout=30)

    async def verify(self, lab: Lab, number: int, answer: StubMessage) -> StubMessage:
        """The button under the step's last answer: the verdict comes as a new lab card."""
        button = t("labs.tg.btn_verify", "fr", order=lab.order, step=number)
        click = self.stub.click(self.user, answer, text=button)
        [card] = await self.stub.wait_for(click, timeout=120)
        return card


@pytest.mark.parametrize("lab", BUILD_LABS, ids=[lab.id for lab in BUILD_LABS])
async def test_every_step_of_a_build_lab_is_done_in_the_chat(
    lab: Lab,
    tmp_path: Path,
    standin_images: dict[str, str],
    debian_images: dict[str, str],  # noqa: F811
    clean_user_id: int,
) -> None:
    async with start_bot(
        tmp_path,
        sandbox=True,
        sandbox_images=allowlist(standin_images, debian_images),
        sandbox_timeout_s=120,
        sandbox_commands_per_minute=6000,
        sandbox_burst=1000,
    ) as running:
        student = Student(running, running.stub.user(id=clean_user_id, first_name="Alice"))
        try:
            await walk(student, lab)
        finally:
            with contextlib.suppress(Exception):
                await running.services.sandbox.reset(clean_user_id)
            with contextlib.suppress(Exception):
                await running.services.workspace.reset(clean_user_id)


async def walk(student: Student, lab: Lab) -> None:
    card = await student.say(f"/tp {lab.order}")
    assert "Fichiers du TP placés dans votre espace" in (card.text or ""), card.text
    assert all(path in (card.text or "") for path in lab.starter), card.text
    listing = await student.say("/fichiers")
    assert all(path.rsplit("/", 1)[-1] in (listing.text or "") for path in lab.starter)
    stored = await student.services.workspace.snapshot(student.user.id)
    assert {path: stored[path].decode() for path in lab.starter} == lab.starter

    locked = await student.say(f"/tp {lab.order} correction")
    assert f"(0/{len(lab.steps)})" in (locked.text or ""), locked.text

    for number, (step, files) in enumerate(zip(lab.steps, edits(lab), strict=True), start=1):
        for path, text in files.items():
            await student.write(path, text)
        answers = [await student.run(line) for line in step.sandbox_commands]
        assert answers, f"{lab.id} step {number} has no command to type"
        verdict = await student.verify(lab, number, answers[-1])
        passed = t("labs.tg.check_ok", "fr", step=number).split("<b>")[1].split("</b>")[0]
        assert passed in (verdict.text or ""), (number, verdict.text, answers[-1].text)
        if number < len(lab.steps):  # the card stays on the passed step until the student moves
            card = await student.press(verdict, t("labs.tg.btn_next_step", "fr", step=number + 1))
            assert f"Étape {number + 1}/{len(lab.steps)}" in (card.text or ""), card.text
    status = await student.services.labs.status(student.user.id, lab.id)
    assert status.state == "done", status
    builds = [c for step in lab.steps for c in step.sandbox_commands if " build " in f"{c} "]
    if any(not c.startswith("docker compose") for c in builds):  # compose up does not stream
        assert student.live_builds, "no build answer showed its output while it ran"

    loaded = await student.say(f"/tp {lab.order} correction")
    assert "Correction chargée dans votre espace" in (loaded.text or ""), loaded.text
    stored = await student.services.workspace.snapshot(student.user.id)
    assert {path: stored[path].decode() for path in lab.correction.files} == lab.correction.files
