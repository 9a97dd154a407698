"""The /progres picture, drawn from a student's real progress (sections read, quiz answers, a
lab step, all through the services), measured with Pillow, shown in Chromium at the width
Telegram gives a photo on a phone, saved for a human to look at."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
from PIL import Image

from moussaillon.classes.charts import LABS, READ, RIGHT, STEPS, WRONG, number, student_caption
from moussaillon.classes.charts import student_png as draw
from tests.handlers.rest.browser import PHONE, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STUDENT = 4242


def _count(pixels: np.ndarray, colour: str) -> int:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return int(np.all(pixels == rgb, axis=-1).sum())


async def _progress(services):
    await services.users.ensure(STUDENT, first_name="Ana")
    first, second = services.course.course.chapters[:2]
    for section in [*first.sections[:5], *second.sections[:2]]:
        await services.progress.record_view(STUDENT, section.id)
    for i, question in enumerate(services.quiz.bank.questions[:4]):
        wrong = (question.correct_index + 1) % len(question.options)
        await services.quiz.solo.answer_rest(
            STUDENT, question.id, wrong if i == 3 else question.correct_index
        )
    lab = next(iter(services.labs.labs))
    await services.labs.mark_done(STUDENT, lab.id, 1)
    return await services.classes.progress.student(STUDENT)


async def test_the_picture_shows_sections_quiz_and_labs_at_a_phone_friendly_size(services):
    progress = await _progress(services)
    assert (progress.sections_read, progress.quiz_answers, progress.quiz_correct) == (7, 4, 3)
    assert progress.steps_done == 1

    png = draw(progress, "fr")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "progres.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    assert width == 900, "laid out 600 px wide (22 px text reads at 12 px in a 330 px bubble)"
    assert 1000 <= height <= 1400, height  # one phone screen once shown 330 px wide
    pixels = np.asarray(image)
    ink = float((pixels.min(axis=-1) < 235).mean())
    assert ink > 0.35, f"only {ink:.0%} of the picture is not white"
    for name, colour, least in (
        ("sections", READ, 5000),
        ("right answers", RIGHT, 5000),
        ("wrong answers", WRONG, 1500),
        ("lab steps", STEPS, 50),
        ("labs", LABS, 0),
    ):
        found = _count(pixels, colour)
        assert found >= least, f"{name}: {found} pixels of {colour}"
    assert _count(pixels, LABS) == 0  # no lab finished: its bar stays empty


async def test_the_caption_says_the_same_in_words_with_french_numbers(services):
    progress = await _progress(services)
    labs, steps = progress.labs_total, progress.steps_total
    assert student_caption(progress, "fr") == (
        "Votre progression : 7 sections lues sur 158 · 3 bonnes réponses sur 4 au quiz"
        f" (75\u00a0%) · 0 TP terminé sur {labs}, 1 étape sur {steps}"
    )
    assert student_caption(progress, "en") == (
        "Your progress: 7 sections read of 158 · 3 right answers out of 4 (75%)"
        f" · 0 labs done of {labs}, 1 step of {steps}"
    )
    assert number(12345, "fr") == "12\u202f345" and number(12345, "en") == "12,345"
    nobody = await services.classes.progress.student(STUDENT + 1)
    assert "pas encore de quiz" in student_caption(nobody, "fr")
    assert Image.open(io.BytesIO(draw(nobody, "en"))).size[0] == 900


async def test_on_a_phone_the_picture_shows_at_telegrams_width(services, tmp_path):
    png = draw(await _progress(services), "fr")
    data = base64.b64encode(png).decode()
    page_html = (
        '<meta name="viewport" content="width=device-width">'
        '<body style="margin:0;background:#dfe7ef;padding:12px 30px 12px 30px">'
        f'<img id="photo" style="width:100%;border-radius:12px" src="data:image/png;base64,{data}">'
    )
    async with chromium(tmp_path) as page:
        await page.size(*PHONE)
        await page.goto("about:blank")
        await page.js(f"document.write({json.dumps(page_html)}); document.close()")
        await page.wait_for("document.getElementById('photo').complete")
        shown, natural = await page.js("[photo.width, photo.naturalWidth]")
        await page.screenshot(ARTIFACTS / "progres-phone.png", full=True)
    assert (shown, natural) == (PHONE[0] - 60, 900)  # a 330 px bubble, as Telegram's
    assert 22 * shown / 600 >= 12  # the smallest text, in CSS px once shown
