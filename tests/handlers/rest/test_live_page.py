"""The classroom screen in a real headless Chromium: it shows the question, then the scores,
updating itself without a reload; on a phone and on a projector nothing is cut or too small.
Chromium is driven over its DevTools protocol (``browser``); a missing Chromium skips with
the install command and fails under CI. Screenshots land in test-artifacts/."""

from __future__ import annotations

from moussaillon.quiz.scoring import answer_points
from tests.handlers.rest.browser import ARTIFACTS, PHONE, PROJECTOR, chromium, serving
from tests.quiz.quiz_clock import ManualClock


async def test_screen_shows_the_question_then_the_scores_without_reloading(services, tmp_path):
    clock = ManualClock()
    services.quiz.set_clock(clock)
    live = services.quiz.live
    session = await live.create(-4242, 1000, chapter="images", n=3, period=20)
    asked = await live.next_question(session.id)
    await live.question_opened(asked, poll_id="screen-1", message_id=1)
    async with serving(services) as base, chromium(tmp_path) as page:
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


NAMES = ("Ana", "Bruno", "Chloé", "Dominique-Alexandre de La Fontaine", "Émile", "Fatou")

MEASURE = """(() => {
  const box = (el) => el.getBoundingClientRect();
  const font = (el) => parseFloat(getComputedStyle(el).fontSize);
  const all = (selector) => [...document.querySelectorAll(selector)];
  const code = document.getElementById('code');
  const shown = [...all('#options li'), document.getElementById('meta'), ...all('#leaderboard li')];
  return {
    width: innerWidth, height: innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    question: font(document.getElementById('question')),
    option: Math.min(...all('#options li').map(font)),
    board: font(document.getElementById('leaderboard')),
    code: font(code),
    codeFits: code.scrollWidth <= code.clientWidth,
    right: Math.max(...shown.map((el) => box(el).right)),
    bottom: Math.max(...shown.map((el) => box(el).bottom)),
    lines: all('#leaderboard li').length,
  };
})()"""


def _widest_code(bank):
    coded = [q for q in bank.questions if q.code]
    return max(coded, key=lambda q: max(len(line) for line in q.code.splitlines()))


async def _ask(services, clock, question):
    """A live game on the question's chapter, moved on until that question is the open one."""
    live = services.quiz.live
    count = len(services.quiz.bank.by_chapter(question.chapter))
    session = await live.create(-4343, 1000, chapter=question.chapter, n=count, period=20)
    while True:
        asked = await live.next_question(session.id)
        poll = f"poll-{asked.position}"
        await live.question_opened(asked, poll_id=poll, message_id=asked.position + 1)
        if asked.question.id == question.id:
            return session, asked, poll
        clock.advance(20)
        await live.close_question(session.id, asked.position)


async def _look(page, url: str, size: tuple[int, int], ready: str, shot: str) -> dict:
    await page.size(*size)
    await page.goto(url)
    await page.wait_for(ready)
    await page.screenshot(ARTIFACTS / shot, full=size == PHONE)
    return await page.js(MEASURE)


def _phone_checks(seen: dict) -> None:
    assert seen["width"] == PHONE[0], "no viewport meta: a phone would lay it out at 980 px"
    assert seen["scrollWidth"] <= seen["width"], seen  # no sideways scroll of the page
    assert seen["right"] <= seen["width"], seen  # options, counts and points all inside
    assert seen["question"] >= 20 and seen["option"] >= 16 and seen["board"] >= 16, seen
    assert seen["code"] >= 11, seen  # wider output scrolls inside its own box


def _projector_checks(seen: dict) -> None:
    assert seen["scrollWidth"] <= seen["width"] and seen["scrollHeight"] <= seen["height"], seen
    assert seen["bottom"] <= seen["height"] and seen["right"] <= seen["width"], seen
    assert seen["codeFits"], "the command output's widest line is cut"
    assert seen["question"] >= 36 and seen["option"] >= 28 and seen["board"] >= 28, seen
    assert seen["code"] >= 14, seen


async def test_phone_and_projector_show_the_widest_question_whole(services, tmp_path):
    clock = ManualClock()
    services.quiz.set_clock(clock)
    live = services.quiz.live
    question = _widest_code(services.quiz.bank)
    session, asked, poll = await _ask(services, clock, question)
    for user_id, name in enumerate(NAMES, start=1):
        await live.record_answer(poll, user_id, name, [user_id % len(asked.shown.options)])
    async with serving(services) as base, chromium(tmp_path) as page:
        url = f"{base}/live/{session.id}"
        opened = f"document.getElementById('question').textContent === {question.question!r}"
        _phone_checks(await _look(page, url, PHONE, opened, "live-phone-question.png"))
        _projector_checks(await _look(page, url, PROJECTOR, opened, "live-projector-question.png"))

        clock.advance(20)
        await live.close_question(session.id, asked.position)
        closed = "document.getElementById('answer').textContent !== ''"
        seen = await _look(page, url, PHONE, closed, "live-phone-scores.png")
        _phone_checks(seen)
        assert seen["lines"] == len(NAMES)
        seen = await _look(page, url, PROJECTOR, closed, "live-projector-scores.png")
        _projector_checks(seen)
        assert seen["lines"] == len(NAMES)
