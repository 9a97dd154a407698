"""The labs (TP) as a student uses them: /tp, the buttons, checks on the real sandbox."""

import contextlib
from pathlib import Path

import pytest

from moussaillon.core.i18n import t
from moussaillon.labs.loader import load_labs
from moussaillon.sandbox import labels
from moussaillon.sandbox.reaper import purge_owner
from tests.conftest import start_bot

LAB = "volumes-docker"
LABS = load_labs()


def _button(message, text: str) -> dict:
    return next(b for b in message.buttons if b["text"] == text)


def _texts(message) -> list[str]:
    return [b["text"] for b in message.buttons]


async def _open(stub, user, lab_id: str = LAB):
    [page] = await stub.wait_for(stub.send_text(user, f"/tp {lab_id}"))
    return page


async def _press(stub, user, message, key: str, lang: str = "fr", **params):
    stub.click(user, message, text=t(key, lang, **params))
    return await stub.wait_for_edit(message)


def _row_of(listing, lab) -> str:
    return next(b["text"] for b in listing.buttons if b["callback_data"] == f"tp:{lab.id}:open:0")


async def test_tp_lists_every_lab_once_with_the_students_status(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [listing] = await stub.wait_for(stub.send_text(alice, "/tp"))
    assert len(listing.buttons) == len(LABS)
    for lab in LABS:  # once: on its button, not again in the text above
        assert lab.title not in listing.text
        assert _row_of(listing, lab) == f"▫️ {lab.order}. {lab.title}"
    assert t("labs.tg.legend", "fr") in listing.text
    first = LABS.labs[0]
    assert listing.buttons[0]["callback_data"] == f"tp:{first.id}:open:0"

    stub.click(alice, listing, data=f"tp:{LAB}:open:0")
    page = await stub.wait_for_edit(listing)
    assert page.message_id == listing.message_id  # edited in place
    [again] = await stub.wait_for(stub.send_text(alice, "/tp"))
    lab = LABS.get(LAB)
    assert _row_of(again, lab) == f"⏳ {lab.order}. {lab.title} · 0/4"  # opened, nothing done


async def test_tp_opens_a_lab_by_the_number_it_lists_or_by_its_id(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    second = next(lab for lab in LABS if lab.order == 2)
    for typed in ("2", " 2. ", second.id, second.id.upper()):
        [page] = await stub.wait_for(stub.send_text(alice, f"/tp {typed}"))
        assert page.text.startswith(f"🧪 TP 2 · {second.title}"), typed
    [unknown] = await stub.wait_for(stub.send_text(alice, f"/tp {len(LABS) + 1}"))
    assert f"Je ne connais pas de TP « {len(LABS) + 1} »" in unknown.text
    [odd] = await stub.wait_for(stub.send_text(alice, "/tp <b>x"))  # echoed, never as HTML
    assert "« bx »" in odd.text and len(odd.buttons) == len(LABS)


async def test_every_lab_card_has_three_rows_of_three_buttons_at_most(tmp_path):
    """The card stays on a phone's screen: later steps are short, the keyboard small."""
    async with start_bot(tmp_path) as running:
        stub = running.stub
        alice = stub.user(first_name="Alice")
        [message] = await stub.wait_for(stub.send_text(alice, "/tp"))
        for lab in LABS:
            for step in range(1, len(lab.steps) + 1):
                stub.callback(alice, message, f"tp:{lab.id}:go:{step}")
                message = await stub.wait_for_edit(message)
                rows = message["reply_markup"]["inline_keyboard"]
                assert len(rows) <= 3 and all(len(row) <= 3 for row in rows), (lab.id, step)
                if step > 1:
                    assert len(message.text) < 700, (lab.id, step, len(message.text))


async def test_a_lab_shows_objective_limits_prerequisites_and_the_first_step(bot):
    stub, lab = bot.stub, LABS.get(LAB)
    alice = stub.user(first_name="Alice")
    page = await _open(stub, alice)
    assert lab.title in page.text and "Écrire des données dans un volume nommé" in page.text
    assert t("labs.tg.limitations", "fr").split("<b>")[1].split("</b>")[0] in page.text
    assert "Étape 1/4" in page.text and "/data/journal.txt" in page.text
    # no engine behind this bot: no check button, the rest is there
    texts = _texts(page)
    assert t("labs.tg.btn_check", "fr") not in texts
    for key in ("btn_hint", "btn_done", "btn_correction", "btn_about", "btn_list"):
        assert t(f"labs.tg.{key}", "fr") in texts
    assert t("labs.tg.btn_next_step", "fr", step=2) in texts
    assert not [b for b in page.buttons if b["callback_data"].startswith("s:")]

    # the course sections to read first are one button away, with a way back
    read = t("labs.tg.btn_read", "fr", count=len(lab.prerequisites))
    page = await _press(stub, alice, page, "labs.tg.btn_read", count=len(lab.prerequisites))
    assert read not in _texts(page) and "Étape 1/4" in page.text
    sections = [b["callback_data"] for b in page.buttons if b["callback_data"].startswith("s:")]
    assert sections == [f"s:{section}:0" for section in lab.prerequisites]
    page = await _press(stub, alice, page, "labs.tg.btn_back")
    assert read in _texts(page)

    # past the first step the objective and limits are asked for, not repeated
    page = await _press(stub, alice, page, "labs.tg.btn_next_step", step=2)
    assert "Étape 2/4" in page.text and t("labs.tg.objective", "fr") not in page.source_text
    page = await _press(stub, alice, page, "labs.tg.btn_about")
    assert "Étape 2/4" in page.text and "Écrire des données dans un volume nommé" in page.text
    page = await _press(stub, alice, page, "labs.tg.btn_read", count=len(lab.prerequisites))

    section = bot.services.course.course.section(lab.prerequisites[0])
    stub.click(alice, page, data=sections[0])
    reader = await stub.wait_for_edit(page)
    assert section.title in reader.text


async def test_hint_done_next_and_previous_edit_the_message(bot):
    stub, lab = bot.stub, LABS.get(LAB)
    alice = stub.user(first_name="Alice")
    page = await _open(stub, alice)

    page = await _press(stub, alice, page, "labs.tg.btn_hint")
    assert "Indice" in page.text and "echo 'il était une fois'" in page.text
    hints = await bot.services.store.read(
        lambda db: db.execute(
            "SELECT hints FROM lab_runs WHERE user_id = ? AND lab_id = ?", [alice.id, LAB]
        ).fetchone()[0]
    )
    assert hints == 1

    page = await _press(stub, alice, page, "labs.tg.btn_done")
    assert "Étape 1 notée comme faite" in page.text and "Étape 2/4" in page.text
    assert (await bot.services.labs.status(alice.id, LAB)).done == 1

    page = await _press(stub, alice, page, "labs.tg.btn_next_step", step=3)
    assert "Étape 3/4" in page.text and "gardien" in page.text
    page = await _press(stub, alice, page, "labs.tg.btn_prev_step", step=2)
    assert "Étape 2/4" in page.text

    # the last step has no "next" button
    stub.callback(alice, page, f"tp:{LAB}:go:4")
    page = await stub.wait_for_edit(page)
    assert not [text for text in _texts(page) if text.endswith("➡️")]
    assert lab.steps[3].instruction.split("`")[0] in page.text
    [listing] = await stub.wait_for(stub.send_text(alice, "/tp"))
    assert _row_of(listing, lab).endswith(" · 1/4")


async def test_the_correction_is_locked_until_every_step_is_done(bot):
    stub, lab = bot.stub, LABS.get(LAB)
    alice = stub.user(first_name="Alice")
    page = await _open(stub, alice)
    page = await _press(stub, alice, page, "labs.tg.btn_correction")
    assert "🔒" in page.text and "0/4" in page.text
    assert lab.correction.commands[0] not in page.text

    for step in range(1, 5):
        assert f"Étape {step}/4" in page.text
        page = await _press(stub, alice, page, "labs.tg.btn_done")
    assert t("labs.tg.finished", "fr") in page.text
    page = await _press(stub, alice, page, "labs.tg.btn_correction")
    assert "🔒" not in page.text
    assert "docker volume rm donnees" in page.text and "<pre>" in page.source_text
    [listing] = await stub.wait_for(stub.send_text(alice, "/tp"))
    assert _row_of(listing, lab) == f"✅ {lab.order}. {lab.title}"


async def test_corrections_always_shows_the_solution_at_once(tmp_path):
    async with start_bot(tmp_path, labs_corrections_always=True) as running:
        stub = running.stub
        alice = stub.user(first_name="Alice")
        page = await _open(stub, alice)
        page = await _press(stub, alice, page, "labs.tg.btn_correction")
        assert "🔒" not in page.text and "docker volume ls" in page.text


async def test_every_lab_step_and_solution_fits_in_a_telegram_message(tmp_path):
    """The stand-in refuses what Telegram would: too long, or HTML Telegram cannot parse."""
    async with start_bot(tmp_path, labs_corrections_always=True) as running:
        stub = running.stub
        alice = stub.user(first_name="Alice")
        [listing] = await stub.wait_for(stub.send_text(alice, "/tp"))
        message = listing
        for lab in LABS:
            for step in range(1, len(lab.steps) + 1):
                for action in ("go", "hint", "fix"):
                    stub.callback(alice, message, f"tp:{lab.id}:{action}:{step}")
                    message = await stub.wait_for_edit(message)
                    assert f"{step}/{len(lab.steps)}" in message.text, (lab.id, step, action)
        assert all(call.ok for call in stub.calls("editMessageText"))


async def test_unknown_lab_and_forged_buttons_get_a_polite_answer(bot):
    stub = bot.stub
    alice = stub.user(first_name="Alice")
    [reply] = await stub.wait_for(stub.send_text(alice, "/tp pas-un-tp"))
    assert "pas-un-tp" in reply.text and len(reply.buttons) == len(LABS)

    page = await _open(stub, alice)
    no_check = next(
        (lab.id, n) for lab in LABS for n, s in enumerate(lab.steps, 1) if s.check is None
    )
    forged = [
        "tp:pas-un-tp:open:0",
        f"tp:{LAB}:hint:9",
        f"tp:{LAB}:done:0",
        f"tp:{LAB}:rm:1",
        "tp:" + "a" * 41 + ":open:0",
        "tp:",
        f"tp:{LAB}:check:1",  # no engine behind this bot
        f"tp:{no_check[0]}:check:{no_check[1]}",
    ]
    for data in forged:
        answer = await stub.wait_for_answer(stub.callback(alice, page, data))
        assert answer["show_alert"] and answer["text"], data
    answer = await stub.wait_for_answer(stub.callback(alice, page, f"tp:{LAB}:check:1"))
    assert answer["text"] == t("labs.no_sandbox", "fr")
    assert (await bot.services.labs.status(alice.id, LAB)).done == 0
    [listing] = await stub.wait_for(stub.send_text(alice, "/tp"))
    assert listing.buttons


async def test_english_speakers_get_english(bot):
    stub = bot.stub
    john = stub.user(first_name="John", language_code="en")
    [listing] = await stub.wait_for(stub.send_text(john, "/tp"))
    assert "Hands-on labs" in listing.text and "not started" in listing.text
    page = await _open(stub, john)
    assert "Step 1/4" in page.text and t("labs.tg.btn_hint", "en") in _texts(page)


@pytest.fixture
async def lab_bot(tmp_path: Path, standin_images, clean_user_id):
    """A bot with a real sandbox, allowing the burst of commands a lab takes."""
    async with start_bot(
        tmp_path,
        sandbox=True,
        sandbox_timeout_s=25,
        sandbox_commands_per_minute=600,
        sandbox_burst=100,
    ) as running:
        yield running
        with contextlib.suppress(Exception):
            await purge_owner(running.services.sandbox.engine, labels.owner_key(clean_user_id))


async def test_check_on_the_real_sandbox_fails_then_passes_after_the_commands(
    lab_bot, clean_user_id
):
    stub, lab = lab_bot.stub, LABS.get(LAB)
    alice = stub.user(id=clean_user_id, first_name="Alice")
    page = await _open(stub, alice)
    check = t("labs.tg.btn_check", "fr")
    assert check in _texts(page)

    stub.click(alice, page, text=check)
    page = await stub.wait_for_edit(page, timeout=30)
    assert "❌" in page.text and "donnees" in page.text
    assert (await lab_bot.services.labs.status(alice.id, LAB)).done == 0

    for number, step in enumerate(lab.steps, start=1):
        for line in step.sandbox_commands:
            await stub.wait_for(
                stub.send_text(alice, f"/docker {line.removeprefix('docker ')}"), timeout=60
            )
        assert f"Étape {number}/4" in page.text
        stub.click(alice, page, text=check)
        page = await stub.wait_for_edit(page, timeout=30)
        assert t("labs.tg.check_ok", "fr", step=number).split("<b>")[0] in page.text, page.text
        assert "❌" not in page.text
        if number < len(lab.steps):
            page = await _press(stub, alice, page, "labs.tg.btn_next_step", step=number + 1)

    status = await lab_bot.services.labs.status(alice.id, LAB)
    assert status.state == "done"
    page = await _press(stub, alice, page, "labs.tg.btn_correction")
    assert lab.correction.commands[-1] in page.text and "🔒" not in page.text


async def test_a_command_answer_carries_a_check_of_the_open_step(lab_bot, clean_user_id):
    stub, lab = lab_bot.stub, LABS.get("premiers-conteneurs")
    alice = stub.user(id=clean_user_id, first_name="Alice")
    [before] = await stub.wait_for(stub.send_text(alice, "/docker ps"), timeout=60)
    assert before.buttons == []  # no lab open: a plain answer

    await stub.wait_for(stub.send_text(alice, f"/tp {lab.order}"))
    [answer] = await stub.wait_for(stub.send_text(alice, "docker run hello-world"), timeout=60)
    assert "Hello from Docker" in answer.text
    [verify] = answer.buttons
    assert verify["text"] == t("labs.tg.btn_verify", "fr", step=1, order=lab.order)
    mark = stub.mark()
    stub.click(alice, answer, text=verify["text"])
    [card] = await stub.wait_for(alice, after=mark, timeout=30)
    assert t("labs.tg.check_ok", "fr", step=1).split("<b>")[0] in card.text
    assert "Étape 1/4" in card.text and (await lab_bot.services.labs.status(alice.id, lab.id)).done
    answer = await stub.wait_for_edit(answer)
    assert answer.buttons == [] and "Hello from Docker" in answer.text  # output kept

    # the step is done: no check offered until the student moves on to the next one
    [done] = await stub.wait_for(stub.send_text(alice, "docker ps"), timeout=60)
    assert done.buttons == []
    stub.click(alice, card, text=t("labs.tg.btn_next_step", "fr", step=2))
    await stub.wait_for_edit(card)
    [listed] = await stub.wait_for(stub.send_text(alice, "docker ps"), timeout=60)
    assert listed.buttons[0]["callback_data"] == f"tp:{lab.id}:verify:2"
    mark = stub.mark()
    stub.click(alice, listed, data=f"tp:{lab.id}:verify:2")
    [card] = await stub.wait_for(alice, after=mark, timeout=30)
    assert "❌" in card.text and "Étape 2/4" in card.text  # docker ps, not docker ps -a
