"""The commune's numbers: the dashboard and the communes side by side (other pages: setup_routes, report_routes)."""
from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import policy, spreadsheets
from app.extensions import db
from app.indicators import Period, unit_label
from app.inputs import record_id
from app.places.models import Commune, Village
from app.reports import bp, charts, dashboard, figures, services
from app.transactions import read_only
from app.vietnam import local_today

# isort: split
from app.reports import (  # noqa: F401  (tables, indicators, demo step, home panels, the other pages)
    demo,
    indicators,
    models,
    panels,
    report_routes,
    setup_routes,
)

indicators.register()

COMPARED = ("basic_skills", "classes_held", "learners_trained")


def _year(today: dt.date) -> tuple[int, str | None]:
    """The year asked for, or this year with a message saying why the one asked for is not shown."""
    raw = request.args.get("year", "").strip()
    if not raw:
        return today.year, None
    try:
        year = Period.parse(raw).year
    except ValueError:
        return today.year, _("Năm không hợp lệ. Đang hiển thị năm %(year)s.", year=today.year)
    if year > today.year:
        return today.year, _("Năm %(asked)s chưa đến. Đang hiển thị năm %(year)s.", asked=year, year=today.year)
    return year, None


def _place(commune: Commune) -> tuple[Village | None, list[Village], str | None]:
    """The village asked for (None: the whole commune) and the villages the viewer may pick.

    A village-scoped team member sees only their villages: another one is refused, and without one they see
    the first of theirs rather than the whole commune.
    """
    allowed = policy.village_ids(current_user, "reports.view", commune.id)
    if allowed is not None and not allowed:
        abort(403)
    villages = dashboard.commune_villages(commune, allowed)
    raw = request.args.get("village", "").strip()
    if not raw:
        return (villages[0] if allowed is not None and villages else None), villages, None
    try:
        wanted = record_id(raw)
    except ValueError:
        return (villages[0] if allowed is not None and villages else None), villages, _("Thôn không hợp lệ.")
    village = db.get_or_404(Village, wanted)
    if village.commune_id != commune.id:
        abort(404)
    if allowed is not None and village.id not in allowed:
        abort(403)
    return village, villages, None


def _links(commune: Commune, year: int) -> dict[str, str]:
    """Links to the setup pages the viewer may use (only those already built)."""
    endpoints = {"targets": {"year": year}, "populations": {"year": year}, "entries": {"period": str(year)},
                 "tasks": {"year": year}, "index": {"period": str(year)}}
    links: dict[str, str] = {}
    action = {"index": "reports.write"}
    for name, args in endpoints.items():
        endpoint = f"reports.{name}"
        if endpoint in current_app.view_functions and policy.can(current_user, action.get(name, "reports.manage"),
                                                                  commune):
            links[name] = url_for(endpoint, commune_id=commune.id, **args)
    return links


def _board(commune_id: int) -> tuple[dashboard.Dashboard, list[str]]:
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("reports.view", commune)
    today = local_today()
    year, year_message = _year(today)
    village, villages, village_message = _place(commune)
    board = dashboard.build(commune, Period(year), village, villages, today)
    return board, [m for m in (year_message, village_message) if m]


@bp.get("/commune/<int:commune_id>", endpoint="dashboard")
@policy.requires("reports.view")
@read_only
def dashboard_page(commune_id: int) -> str:
    """The commune's numbers for a year: goals, this year against last, villages, groups, quarters, tasks."""
    board, notices = _board(commune_id)
    scoped = policy.village_ids(current_user, "reports.view", board.commune.id) is not None
    return render_template("reports/dashboard.html", board=board, notices=notices, scoped=scoped,
                           years=dashboard.year_choices(local_today()), links=_links(board.commune,
                                                                                      board.period.year),
                           number=charts.number, unit_label=unit_label, statuses=services.TASK_STATUSES,
                           query_args={"year": board.period.year,
                                       **({"village": board.village.id} if board.village else {})})


@bp.get("/commune/<int:commune_id>/figures.<fmt>")
@policy.requires("reports.view")
@read_only
def dashboard_download(commune_id: int, fmt: str) -> Response:
    """Download the dashboard's figures and breakdowns as CSV or Excel."""
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    board, _notices = _board(commune_id)
    place = board.village.name if board.village else board.commune.name
    return spreadsheets.download(fmt, dashboard.download_headers(), dashboard.download_rows(board),
                                 name=f"Số liệu {board.period.year} - {place}", sheet=_("Số liệu"))


@bp.get("/compare")
@policy.requires("reports.compare")
@read_only
def compare() -> str:
    """The communes side by side: basic digital skills (count, rate, target), classes held, learners trained."""
    policy.authorize("reports.compare")
    today = local_today()
    year, notice = _year(today)
    period = Period(year)
    rows = []
    for commune in db.session.scalars(select(Commune).order_by(Commune.name, Commune.id)):
        found = {f.indicator.code: f for f in figures.figures(commune.id, period, codes=COMPARED)[figures.ALL]}
        rows.append((commune, found))
    return render_template("reports/compare.html", rows=rows, period=period, notice=notice,
                           years=dashboard.year_choices(today), number=charts.number)
