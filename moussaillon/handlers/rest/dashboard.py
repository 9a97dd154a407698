"""The instructor's dashboard: ``/classes/{id}``, one HTML page served by the app.

A browser cannot easily send a bearer token, so the bot hands out a signed, short-lived link
(``?u=…&exp=…&sig=…``, HMAC with a secret kept in SQLite); a bearer token of the class's
instructor works too (read by ``deps``, as for every route); ``permissions.check`` decides. The
page is self-contained (its stylesheet inlined): a chart, a table, a CSV link. A browser whose
link expired gets a page saying how to get a new one; API clients keep their JSON errors.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from html import escape
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from moussaillon.classes.charts import class_chart
from moussaillon.classes.permissions import Caller, check
from moussaillon.classes.progress import StudentProgress, to_csv
from moussaillon.core.clock import local
from moussaillon.core.errors import MoussaillonError
from moussaillon.core.i18n import number, t, t_count
from moussaillon.handlers.rest.deps import LangDep, MaybeOwnerDep, ServicesDep, lang_of

STYLE = (FilePath(__file__).resolve().parent / "static" / "dashboard.css").read_text("utf-8")
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
ACTION = "classes.dashboard"


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def refusal_page(request: Request, exc: MoussaillonError | RequestValidationError) -> HTMLResponse:
    """What a browser shows for a refused, expired, tampered or unknown link: the reason, and
    how to get a fresh link (``/tableau``), in the language the browser asks for."""
    lang = lang_of(request.headers.get("accept-language"))
    status, reason = 422, ""  # a tampered query: the help below says it all
    if isinstance(exc, MoussaillonError):
        status = exc.status
        if exc.key != "classes.dash_expired":  # an unknown class, say
            reason = f"<p>{escape(exc.message(lang))}</p>"
    ttl = round(request.app.state.services.settings.dashboard_link_ttl_min)
    title = escape(t("classes.dash_refused_title", lang))
    body = (
        f'<main class="refused" id="refused"><h1>{title}</h1>{reason}'
        f"<p>{t('classes.dash_refused_help', lang, ttl=ttl)}</p></main>"
    )
    return HTMLResponse(_page(lang, title, body), status_code=status, headers=PRIVATE)


class PageRoute(APIRoute):
    """A route whose errors a browser reads as a page: when the request asks for HTML (a
    browser's navigation does, ``httpx`` and ``curl`` do not), a domain or validation error
    becomes ``refusal_page``; otherwise the app's JSON errors apply, as for every route."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except (MoussaillonError, RequestValidationError) as exc:
                if "text/html" not in request.headers.get("accept", ""):
                    raise
                return refusal_page(request, exc)

        return run


router = APIRouter(tags=["dashboard"], include_in_schema=False, route_class=PageRoute)
ClassId = Annotated[int, Path(ge=1, le=2**62)]


async def dashboard_instructor(
    class_id: ClassId,
    services: ServicesDep,
    owner: MaybeOwnerDep,
    u: Annotated[int | None, Query()] = None,
    exp: Annotated[int | None, Query()] = None,
    sig: Annotated[str | None, Query(max_length=128)] = None,
) -> int:
    """The instructor this request speaks for: a link signed for this class, else a bearer
    token; ``permissions.check`` decides, first on the role, then on the class's owner."""
    hub = services.classes
    if u is not None and exp is not None and sig and hub.verify_link(class_id, u, exp, sig):
        caller = Caller.link(u)
    elif owner is not None:
        caller = Caller.token(owner)
    else:
        caller = Caller.link(None)
    check(ACTION, caller, hub.roles)
    info = await hub.classes.get(class_id)
    check(ACTION, caller, hub.roles, owner=info.instructor_id)
    return info.instructor_id


dashboard_instructor.action = ACTION  # type: ignore[attr-defined]  # read by the permission walk
InstructorDep = Annotated[int, Depends(dashboard_instructor)]


def _when(stamp: str | None, tz: str) -> str:
    """Last activity on the course's clock (``settings.timezone``), not the stored UTC."""
    return local(stamp, tz).strftime("%Y-%m-%d %H:%M") if stamp else "–"


def _row(p: StudentProgress, tz: str) -> str:
    quiz = f"{p.quiz_correct}/{p.quiz_answers}" if p.quiz_answers else "–"
    cells = [
        f'<td><span class="who">{escape(p.name)}</span></td>',
        f'<td class="n">{p.sections_read}/{p.sections_total}</td>',
        f'<td class="n">{quiz}</td>',
        f'<td class="n">{p.labs_done}/{p.labs_total}</td>',
        f'<td class="n">{p.steps_done}/{p.steps_total}</td>',
        f'<td class="n">{p.sandbox_commands}</td>',
        f'<td class="when">{escape(_when(p.last_activity, tz))}</td>',
        *(
            f'<td class="n c{" zero" if not c.read else ""}{" first-chapter" if i == 0 else ""}"'
            f' title="{escape(c.title)}">{c.read}/{c.total}</td>'
            for i, c in enumerate(p.chapters)
        ),
    ]
    return f'<tr data-user="{p.user_id}">{"".join(cells)}</tr>'


def _headers(rows: list[StudentProgress], lang: str) -> str:
    """Student and totals first (what a phone shows before scrolling), then one narrow column
    per chapter: its number, as in the chart above, with the title for screen readers."""
    first, *rest = t("classes.dash_columns", lang).split("|")
    chapters = rows[0].chapters if rows else []
    return "".join(
        [
            f'<th scope="col">{escape(first)}</th>',
            *(f'<th scope="col" class="n">{escape(h)}</th>' for h in rest[:-1]),
            f'<th scope="col">{escape(rest[-1])}</th>',
            *(
                f'<th scope="col" class="ch{" first-chapter" if i == 1 else ""}">'
                f'<abbr title="{escape(c.title)}">{i}</abbr></th>'
                for i, c in enumerate(chapters, start=1)
            ),
        ]
    )


def _students(rows: list[StudentProgress], code: str, lang: str, tz: str) -> str:
    if not rows:
        return f'<p class="empty">{t("classes.dash_empty", lang, code=escape(code))}</p>'
    count = len(rows[0].chapters)
    return (
        f'<div class="frame" id="students-frame"><table id="students"><thead><tr>'
        f"{_headers(rows, lang)}</tr></thead><tbody>{''.join(_row(p, tz) for p in rows)}"
        f'</tbody></table></div><p class="hint">{escape(t("classes.dash_legend", lang, n=count))}'
        f"</p>"
    )


@router.get("/classes/{class_id}", response_class=HTMLResponse)
async def dashboard(
    class_id: ClassId,
    request: Request,
    services: ServicesDep,
    lang: LangDep,
    _: InstructorDep,
) -> HTMLResponse:
    info = await services.classes.classes.get(class_id)
    rows = await services.classes.progress.of_class(class_id)
    title = escape(t("classes.dash_title", lang, name=info.name))
    csv = f"/classes/{class_id}/progress.csv?{request.url.query}"
    count = escape(t_count("classes.dash_count", len(rows), lang, count=number(len(rows), lang)))
    chart = class_chart(rows, lang)
    students = _students(rows, info.code, lang, services.settings.timezone)
    body = (
        f'<header><h1>{title}</h1><p class="meta">{count} · <a id="csv" href="{escape(csv)}">'
        f"{escape(t('classes.dash_csv', lang))}</a></p></header>"
        + (f"<h2>{escape(t('classes.dash_chart', lang))}</h2>{chart}" if chart else "")
        + f"<h2>{escape(t('classes.dash_students', lang))}</h2>{students}"
    )
    return HTMLResponse(_page(lang, title, body), headers=PRIVATE)


@router.get("/classes/{class_id}/progress.csv")
async def dashboard_csv(class_id: ClassId, services: ServicesDep, _: InstructorDep) -> Response:
    rows = await services.classes.progress.of_class(class_id)
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="classe-{class_id}.csv"',
            "Cache-Control": "no-store",
        },
    )
