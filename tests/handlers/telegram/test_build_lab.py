"""A build lab as a student does it in Telegram: /tp puts the starter files into the workspace
and says so, a ``docker build`` typed in the chat builds from them, the step's check ticks;
``/tp N fichiers`` puts the files back, ``/tp N correction`` waits for the steps to be done.

Needs the bot built with the workspace and builds (``app.build_services`` hands the workspace
to the lab service and to the sandbox)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from moussaillon.core.i18n import t
from moussaillon.labs.loader import load_labs
from tests.conftest import start_bot

LAB = load_labs().get("atelier-dockerfile")  # its first step needs only the alpine stand-in


async def test_a_student_builds_from_the_seeded_files_and_the_step_ticks(
    tmp_path: Path, standin_images, clean_user_id
):
    async with start_bot(
        tmp_path,
        sandbox=True,
        sandbox_timeout_s=60,
        sandbox_commands_per_minute=600,
        sandbox_burst=100,
    ) as running:
        stub, services = running.stub, running.services
        alice = stub.user(id=clean_user_id, first_name="Alice")
        try:
            [page] = await stub.wait_for(stub.send_text(alice, f"/tp {LAB.order}"))
            assert "Fichiers du TP placés dans votre espace" in page.text, page.text
            assert all(path in page.text for path in LAB.starter), page.text
            files = await services.workspace.snapshot(alice.id)
            assert {path: files[path].decode() for path in LAB.starter} == LAB.starter

            check = t("labs.tg.btn_check", "fr")
            stub.click(alice, page, text=check)
            page = await stub.wait_for_edit(page, timeout=30)
            assert "❌" in page.text and "veilleur:1" in page.text

            await stub.wait_for(stub.send_text(alice, "docker build -t veilleur:1 ."), timeout=120)
            [history] = await stub.wait_for(
                stub.send_text(alice, "docker history veilleur:1"), timeout=120
            )
            assert "COPY" in history.text, history.text
            stub.click(alice, page, text=check)
            page = await stub.wait_for_edit(page, timeout=30)
            assert t("labs.tg.check_ok", "fr", step=1).split("<b>")[0] in page.text, page.text
            assert (await services.labs.status(alice.id, LAB.id)).done == 1

            await services.workspace.delete(alice.id, "veilleur.sh")
            [again] = await stub.wait_for(stub.send_text(alice, f"/tp {LAB.order} fichiers"))
            assert "Fichiers de départ remis dans votre espace" in again.text, again.text
            assert "veilleur.sh" in await services.workspace.snapshot(alice.id)

            [locked] = await stub.wait_for(stub.send_text(alice, f"/tp {LAB.order} correction"))
            assert "(1/5)" in locked.text, locked.text
            assert ".dockerignore" not in await services.workspace.snapshot(alice.id)
        finally:
            with contextlib.suppress(Exception):
                await services.sandbox.reset(alice.id)
            with contextlib.suppress(Exception):
                await services.workspace.reset(alice.id)


async def test_the_correction_loads_its_files_once_it_may_be_seen(tmp_path: Path):
    async with start_bot(tmp_path, labs_corrections_always=True) as running:
        stub, services = running.stub, running.services
        alice = stub.user(first_name="Alice")
        [page] = await stub.wait_for(stub.send_text(alice, f"/tp {LAB.order}"))
        stub.click(alice, page, text=t("labs.tg.btn_correction", "fr"))
        page = await stub.wait_for_edit(page)
        assert f"/tp {LAB.order} correction" in page.text and "Dockerfile" in page.text
        [loaded] = await stub.wait_for(stub.send_text(alice, f"/tp {LAB.order} correction"))
        assert "Correction chargée dans votre espace" in loaded.text, loaded.text
        files = await services.workspace.snapshot(alice.id)
        assert b"USER nobody" in files["Dockerfile"] and ".dockerignore" in files
        assert files["notes.txt"] == LAB.starter["notes.txt"].encode()  # the rest stays


def test_the_lab_card_says_which_files_it_placed_and_which_it_kept():
    from moussaillon.handlers.telegram.labs_views import lab_page
    from moussaillon.labs.service import LabView

    def view(**files: list[str]) -> LabView:
        return LabView(
            lab_id=LAB.id,
            title=LAB.title,
            objective=LAB.objective,
            sandbox=LAB.sandbox,
            limitations=LAB.limitations,
            prerequisites=LAB.prerequisites,
            step=1,
            total=len(LAB.steps),
            instruction=LAB.steps[0].instruction,
            checkable=True,
            done_steps=[],
            starter=sorted(LAB.starter),
            **files,
        )

    placed, _ = lab_page(
        LAB, view(seeded=["notes.txt", "veilleur.sh"], kept=["Dockerfile"]), [], "fr"
    )
    assert "Fichiers du TP placés dans votre espace : <code>notes.txt</code>" in placed
    assert "Vous aviez déjà <code>Dockerfile</code> : vos versions sont gardées" in placed
    assert f"/tp {LAB.order} fichiers les remplace" in placed
    later, _ = lab_page(LAB, view(), [], "en", about=True)
    assert "This lab comes with files" in later and f"/tp {LAB.order} fichiers" in later
    assert "in your workspace:" not in later
