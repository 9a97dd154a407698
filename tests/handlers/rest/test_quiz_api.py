"""The quiz over REST: the bank without its answers, practice with a token, live game state."""

from __future__ import annotations

from datetime import timedelta

from moussaillon.quiz.scoring import answer_points
from tests.quiz.quiz_clock import ManualClock


async def auth(services, user_id: int = 4242) -> dict[str, str]:
    return {"Authorization": f"Bearer {await services.tokens.create(user_id)}"}


async def test_chapters_with_their_counts(api, services):
    body = (await api.get("/api/v1/quizzes")).json()
    bank = services.quiz.bank
    assert [c["id"] for c in body["chapters"]] == bank.chapters
    assert sum(c["count"] for c in body["chapters"]) == body["total"] == len(bank) == 147
    docker = next(c for c in body["chapters"] if c["id"] == "docker")
    assert docker["count"] == len(bank.by_chapter("docker"))


async def test_chapter_questions_never_reveal_the_answer(api, services):
    response = await api.get("/api/v1/quizzes/reseaux")
    assert response.status_code == 200
    questions = response.json()["questions"]
    assert [q["id"] for q in questions] == [q.id for q in services.quiz.bank.by_chapter("reseaux")]
    for question in questions:
        assert set(question) == {
            "id",
            "chapter",
            "section",
            "type",
            "difficulty",
            "question",
            "code",
            "options",
        }
        bank_question = services.quiz.bank.question(question["id"])
        assert question["options"] == list(bank_question.options)
        assert bank_question.explanation not in response.text
    missing = await api.get("/api/v1/quizzes/nowhere")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "quiz.unknown_chapter"


async def test_answers_need_a_token_and_feed_spaced_repetition(api, services):
    clock = ManualClock()
    services.quiz.set_clock(clock)
    question = services.quiz.bank.by_chapter("volumes")[0]
    wrong_choice = (question.correct_index + 1) % len(question.options)
    body = {"question_id": question.id, "choice": wrong_choice}
    assert (await api.post("/api/v1/quizzes/answers", json=body)).status_code == 401
    headers = await auth(services)
    wrong = (await api.post("/api/v1/quizzes/answers", json=body, headers=headers)).json()
    assert wrong == {
        "question_id": question.id,
        "correct": False,
        "correct_index": question.correct_index,
        "correct_option": question.options[question.correct_index],
        "explanation": question.explanation,
        "section": question.section,
        "pending_mistakes": 1,
    }
    right = {"question_id": question.id, "choice": question.correct_index}
    first = (await api.post("/api/v1/quizzes/answers", json=right, headers=headers)).json()
    assert first["correct"] and first["pending_mistakes"] == 1  # right once: still to review
    clock.advance(days=1)
    second = (await api.post("/api/v1/quizzes/answers", json=right, headers=headers)).json()
    assert second["correct"] and second["pending_mistakes"] == 0
    state = (await services.quiz.solo.states(4242))[question.id]
    assert state.streak == 2 and state.wrong_count == 1


async def test_bad_answers_are_clear_errors(api, services):
    headers = await auth(services)
    question = services.quiz.bank.questions[0]
    out_of_range = {"question_id": question.id, "choice": len(question.options)}
    response = await api.post("/api/v1/quizzes/answers", json=out_of_range, headers=headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "quiz.bad_choice"
    unknown = {"question_id": "nowhere-01", "choice": 0}
    response = await api.post("/api/v1/quizzes/answers", json=unknown, headers=headers)
    assert response.status_code == 404


async def test_live_state_follows_the_game(api, services):
    clock = ManualClock()
    services.quiz.set_clock(clock)
    live = services.quiz.live
    t0 = clock.now
    session = await live.create(-100, 1000, chapter="docker", n=2, period=10)
    body = (await api.get(f"/api/v1/live/{session.id}")).json()
    assert body["status"] == "running" and body["position"] == 0 and body["question"] is None
    asked = await live.next_question(session.id)
    await live.question_opened(asked, poll_id="p-1", message_id=1)
    clock.advance(4)
    right_shown = asked.shown.correct_index
    await live.record_answer("p-1", 1, "Ana", [right_shown])
    body = (await api.get(f"/api/v1/live/{session.id}")).json()
    assert body["open"] and body["answered"] == 1 and body["remaining_s"] == 6
    assert body["question"]["text"] == asked.question.question
    assert body["question"]["options"] == list(asked.shown.options)
    assert body["correct_option"] is None  # not while the question is open
    clock.at(t0 + timedelta(seconds=10))
    await live.close_question(session.id, 0)
    body = (await api.get(f"/api/v1/live/{session.id}")).json()
    assert not body["open"] and body["remaining_s"] == 0
    assert body["correct_option"] == asked.question.options[asked.question.correct_index]
    assert body["leaderboard"] == [
        {"rank": 1, "user_id": 1, "name": "Ana", "points": answer_points(True, 4, 10)}
    ]
    assert (await api.get("/api/v1/live/999")).status_code == 404
    page = await api.get(f"/live/{session.id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'"session": {session.id}' in page.text and "<script src" not in page.text
    assert (await api.get("/live/999")).status_code == 404
