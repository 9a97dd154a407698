"""The instructor's dashboard: ``/classes/{id}``, one HTML page served by the app.

A browser cannot easily send a bearer token, so the bot hands out a signed, short-lived link
(``?u=…&exp=…&sig=…``, HMAC with a secret kept in SQLite); a bearer token of the class's
instructor works too (read by ``deps``, as for every route); ``permissions.check`` decides. The
page is self-contained: a table, an inline SVG chart, a CSV link.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from moussaillon.classes.charts import class_svg
from moussaillon.classes.permissions import Caller, check
from moussaillon.classes.progress import StudentProgress, to_csv
from moussaillon.core.i18n import t
from moussaillon.handlers.rest.deps import LangDep, MaybeOwnerDep, ServicesDep

router = APIRouter(tags=["dashboard"], include_in_schema=False)
ClassId = Annotated[int, Path(ge=1, le=2**62)]

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem}
th{background:#f0f4f8;text-align:left}td.n{text-align:right}td.c{font-size:.8rem;color:#555}td{white-space:nowrap}
"""

ACTION = "classes.dashboard"


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


def _row(p: StudentProgress) -> str:
    quiz = f"{p.quiz_correct}/{p.quiz_answers}" if p.quiz_answers else "–"
    cells = [
        f"<td>{escape(p.name)}</td>",
        *(f'<td class="n c" title="{escape(c.title)}">{c.read}/{c.total}</td>' for c in p.chapters),
        f'<td class="n">{p.sections_read}/{p.sections_total}</td>',
        f'<td class="n">{quiz}</td>',
        f'<td class="n">{p.labs_done}/{p.labs_total}</td>',
        f'<td class="n">{p.steps_done}/{p.steps_total}</td>',
        f'<td class="n">{p.sandbox_commands}</td>',
        f"<td>{escape((p.last_activity or '–')[:16].replace('T', ' '))}</td>",
    ]
    return f'<tr data-user="{p.user_id}">{"".join(cells)}</tr>'


def _headers(rows: list[StudentProgress], lang: str) -> str:
    """Student, one short column per chapter (its number; the title on hover), then totals."""
    first, *rest = t("classes.dash_columns", lang).split("|")
    chapters = rows[0].chapters if rows else []
    return "".join([
        f"<th>{escape(first)}</th>",
        *(f'<th title="{escape(c.title)}">{i}</th>' for i, c in enumerate(chapters, start=1)),
        *(f"<th>{escape(h)}</th>" for h in rest),
    ])


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
    headers = _headers(rows, lang)
    title = escape(t("classes.dash_title", lang, name=info.name))
    csv = f"/classes/{class_id}/progress.csv?{request.url.query}"
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
        f'<p><a id="csv" href="{escape(csv)}">{escape(t("classes.dash_csv", lang))}</a></p>'
        f"{class_svg(rows)}"
        f'<table id="students"><thead><tr>{headers}</tr></thead><tbody>'
        f"{''.join(_row(p) for p in rows)}</tbody></table></body></html>"
    )
    private = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(page, headers=private)


@router.get("/classes/{class_id}/progress.csv")
async def dashboard_csv(class_id: ClassId, services: ServicesDep, _: InstructorDep) -> Response:
    rows = await services.classes.progress.of_class(class_id)
    return Response(
        to_csv(rows), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="classe-{class_id}.csv"',
                 "Cache-Control": "no-store"},
    )
