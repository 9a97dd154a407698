"""Live quizzes on the web: the JSON state, and the classroom screen that polls it.

``GET /live/{id}`` (outside /api/v1: it is a page, not an API) serves one self-contained HTML
file, no external asset, that fetches ``/api/v1/live/{id}`` every second and redraws: question,
countdown, how many answered, leaderboard. Polling rather than SSE: one projector per room makes
one request a second, and a plain GET survives proxies and restarts without reconnect logic.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import HTMLResponse

from moussaillon.core.i18n import normalize_lang, t
from moussaillon.handlers.rest.deps import ServicesDep
from moussaillon.handlers.rest.routes.quizzes import quiz_of
from moussaillon.quiz.live_models import LiveState

router = APIRouter(tags=["live"])
page_router = APIRouter(tags=["live"])

PAGE = Path(__file__).resolve().parent.parent / "static" / "live.html"
LABELS = ("title", "answered", "waiting", "finished")


@router.get("/live/{session_id}", responses={404: {"description": "Unknown session"}})
async def live_state(session_id: int, services: ServicesDep) -> LiveState:
    return await quiz_of(services).live.state(session_id)


@page_router.get("/live/{session_id}", response_class=HTMLResponse)
async def live_page(
    session_id: int, services: ServicesDep, lang: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    """The projector's language is the class's (the default), not the laptop's: ``?lang=en``."""
    await quiz_of(services).live.session(session_id)  # 404 for an unknown game
    lang = normalize_lang(lang or services.settings.default_language)
    labels = {name: t(f"quiz.screen.{name}", lang) for name in LABELS}
    labels["leaderboard"] = t("quiz.live.leaderboard_title", lang)
    config = json.dumps({"session": session_id, "labels": labels}).replace("</", "<\\/")
    html = (
        PAGE.read_text(encoding="utf-8")
        .replace("{{lang}}", escape(lang))
        .replace("{{title}}", escape(labels["title"]))
        .replace("{{leaderboard}}", escape(labels["leaderboard"]))
        .replace("{{config}}", config)
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def include_quiz_routes(api: FastAPI) -> None:
    """The quiz API under /api/v1 and the classroom screen at /live/{id}."""
    from moussaillon.handlers.rest.routes import quizzes

    api.include_router(quizzes.router, prefix="/api/v1")
    api.include_router(router, prefix="/api/v1")
    api.include_router(page_router)
