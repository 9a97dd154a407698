"""The dashboard in a real headless Chromium (Debian's package), at a phone's width (390 px,
mobile emulation) and a laptop's (1,200 px): what the bot's signed link opens, and what an
expired one shows. Screenshots land in test-artifacts/. Without Chromium it skips with the
install command, and fails under CI."""

from __future__ import annotations

import time

from moussaillon.classes.charts import percent
from tests.classes.rest_harness import OTHER_TEACHER, STUDENTS, TEACHER, class_world
from tests.handlers.rest.browser import ARTIFACTS, DESKTOP, OVERFLOW, PHONE, chromium, serving

LONG_NAME = "Marie-Charlotte de La Tour-Dupont"

CHAPTER_HEADERS = """[...document.querySelectorAll('#students th.ch')].map(th => {
    const box = th.getBoundingClientRect();
    return [th.innerText.trim(), th.querySelector('abbr').title, box.width, box.height];
})"""
LEGEND = """[...document.querySelectorAll('#class-chart li')].map(li => [
    li.querySelector('.num').innerText, li.querySelector('.label').innerText,
    li.querySelector('.label').getBoundingClientRect().right <= innerWidth])"""
FRAME = """(() => { const f = document.getElementById('students-frame');
    return [f.scrollWidth, f.clientWidth]; })()"""


async def _activity(services) -> None:
    chapters = services.course.course.chapters
    for student, count in zip(STUDENTS, (3, 6, 9), strict=True):
        for chapter in chapters[:count]:
            for section in chapter.sections[: count // 3 + 1]:
                await services.progress.record_view(student, section.id)
    for question in services.quiz.bank.questions[:5]:
        await services.quiz.solo.answer_rest(STUDENTS[0], question.id, question.correct_index)
    await services.labs.mark_done(STUDENTS[0], next(iter(services.labs.labs)).id, 1)

    def rename(db) -> None:  # names as long as real ones, to see them cut, not the table
        db.execute("UPDATE users SET first_name = ? WHERE id = ?", [LONG_NAME, STUDENTS[1]])

    await services.store.write(rename)


async def test_the_signed_link_reads_on_a_phone_and_fits_a_laptop(tmp_path):
    async with class_world(tmp_path) as world:
        services = world.services
        await _activity(services)
        chapters = services.course.course.chapters
        first = chapters[0]
        url = f"/classes/{world.class_id}?" + services.classes.dashboard_query(
            world.class_id, TEACHER
        )
        async with serving(services) as base, chromium(tmp_path) as page:
            await page.language("fr-FR,fr;q=0.9")

            await page.size(*DESKTOP)
            await page.goto(base + url)
            await page.screenshot(ARTIFACTS / "dashboard-desktop.png", full=True)
            assert await page.js("document.querySelectorAll('tr[data-user]').length") == 3
            cell = f'tr[data-user="{STUDENTS[0]}"] td[title="{first.title}"]'
            cell = await page.js(f"document.querySelector('{cell}').innerText")
            assert cell == f"2/{len(first.sections)}"
            expected = [[str(i), c.title] for i, c in enumerate(chapters, start=1)]
            headers = await page.js(CHAPTER_HEADERS)
            assert [h[:2] for h in headers] == expected  # a visible number, the title for AT
            assert all(width > 0 and height > 0 for *_, width, height in headers)
            legend = await page.js(LEGEND)
            assert [row[:2] for row in legend] == expected  # the chart names every number
            mean = round(100 * sum(n // 3 + 1 for n in (3, 6, 9)) / 3 / len(first.sections))
            assert await page.js("document.querySelector('#class-chart .pct').innerText") == (
                percent(mean, 100, "fr")
            )
            scroll, visible = await page.js(FRAME)
            assert scroll <= visible, f"columns cut at 1,200 px: {scroll} > {visible}"
            assert await page.js(OVERFLOW)
            csv = await page.js(
                "fetch(document.getElementById('csv').href)"
                ".then(r => [r.status, r.headers.get('content-type')])"
            )
            assert csv == [200, "text/csv; charset=utf-8"]

            await page.size(*PHONE)
            await page.goto(base + url)
            await page.screenshot(ARTIFACTS / "dashboard-phone.png", full=True)
            width, scroll_width = await page.js(
                "[innerWidth, document.documentElement.scrollWidth]"
            )
            assert width == PHONE[0], "no viewport meta: the phone lays the page out at 980 px"
            assert scroll_width <= width, f"the page scrolls sideways: {scroll_width} px"
            assert all(fits for *_, fits in await page.js(LEGEND))
            assert (
                await page.js(
                    "parseFloat(getComputedStyle(document.querySelector('#students td')).fontSize)"
                )
                >= 12
            )
            scroll, visible = await page.js(FRAME)
            assert scroll > visible  # the table scrolls inside its frame, not the page
            name_left = await page.js(
                """(() => { const f = document.getElementById('students-frame');
                f.scrollLeft = f.scrollWidth;
                return new Promise(done => requestAnimationFrame(() => done([
                    f.scrollLeft,
                    f.getBoundingClientRect().left,
                    document.querySelector('#students tbody td').getBoundingClientRect().left,
                ])));
                })()"""
            )
            scrolled, frame_left, cell_left = name_left
            assert scrolled > 0 and abs(cell_left - frame_left) <= 2, name_left  # sticky names
            await page.screenshot(ARTIFACTS / "dashboard-phone-scrolled.png")


async def test_an_expired_link_shows_a_page_saying_to_ask_tableau_again(tmp_path):
    async with class_world(tmp_path) as world:
        services = world.services
        path = f"/classes/{world.class_id}"
        past = int(time.time()) - 60  # really signed by this server, a minute out of date
        sig = services.classes._signature(world.class_id, TEACHER, past)
        expired = f"{path}?u={TEACHER}&exp={past}&sig={sig}"
        forged = f"{path}?u={TEACHER}&exp={int(time.time()) + 600}&sig=" + "0" * 64

        html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        for url in (expired, forged, f"{path}/progress.csv?" + expired.split("?")[1]):
            answer = await world.client.get(url, headers=html)
            assert answer.status_code == 403, url
            assert answer.headers["content-type"].startswith("text/html")
            assert "<code>/tableau</code>" in answer.text and "<table" not in answer.text
            api = await world.client.get(url)  # an API client keeps the JSON error
            assert api.status_code == 403 and api.json()["error"]["code"] == "classes.dash_expired"
        tampered = await world.client.get(f"{path}?u=x&exp=1&sig=1", headers=html)
        assert tampered.status_code == 422 and "/tableau" in tampered.text

        async with serving(services) as base, chromium(tmp_path) as page:
            await page.size(*PHONE)
            await page.language("fr-FR,fr;q=0.9,en;q=0.5")
            await page.goto(base + expired)
            text = await page.js("document.getElementById('refused').innerText")
            assert "valable 60 minutes" in text and "envoyez /tableau au bot" in text
            assert await page.js("document.documentElement.lang") == "fr"
            assert await page.js("document.querySelector('table')") is None
            assert await page.js("[innerWidth, document.documentElement.scrollWidth]") == [390, 390]
            await page.screenshot(ARTIFACTS / "dashboard-expired-phone.png")

            await page.language("en-GB,en;q=0.9")
            await page.goto(base + forged)
            assert "send /tableau to the bot" in await page.js("document.body.innerText")
            assert await page.js("document.documentElement.lang") == "en"


async def test_an_empty_class_says_how_students_join(tmp_path):
    async with class_world(tmp_path) as world:
        hub = world.services.classes
        query = hub.dashboard_query(world.other_class_id, OTHER_TEACHER)
        page = await world.client.get(f"/classes/{world.other_class_id}?{query}")
        code = (await hub.classes.get(world.other_class_id)).code
        assert page.status_code == 200 and "<table" not in page.text
        assert f"<code>{code}</code> (/rejoindre {code})" in page.text
