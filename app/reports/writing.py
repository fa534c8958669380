"""Writing the movement's report: a draft per unit and period, submitted and locked with its figures, new versions.

Units (villages, bodies such as the youth union) report to the commune; the commune's report shows their submitted
reports and sums their figures, and reports to the city.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db, utcnow
from app.indicators import REGISTRY, Period, ordered
from app.people.models import Person
from app.places.models import Commune
from app.reports import figures as figures_of
from app.reports.models import Report, ReportingUnit
from app.reports.services import MAX_COUNT, settings_for
from app.text import clean_text

MAX_SECTION = 20_000  # characters in one section: several pages, far beyond any real report's section


@dataclass(frozen=True)
class Section:
    """A narrative section of the template (Việt An's report, sections I–IV)."""

    key: str
    heading: LazyString
    hint: LazyString
    part: str  # the roman-numbered part it belongs to: "I", "II", "III", "IV"


SECTIONS: tuple[Section, ...] = (
    Section("intro", _l("I. MỞ ĐẦU"), _l("Bối cảnh chung của đơn vị: khả năng tiếp cận công nghệ số, trình độ kỹ năng "
                                        "số của cán bộ và người dân; thuận lợi, khó khăn."), "I"),
    Section("leadership", _l("1. Công tác lãnh đạo, chỉ đạo"),
            _l("Quán triệt, ban hành kế hoạch, phân công nhiệm vụ, phối hợp, kiểm tra, đôn đốc; văn bản đã ban hành."),
            "II"),
    Section("tasks", _l("2. Kết quả thực hiện các nhiệm vụ, giải pháp triển khai Phong trào"),
            _l("Thông tin, tuyên truyền; phổ cập kỹ năng số cho từng nhóm; các mô hình hay, cách làm sáng tạo."), "II"),
    Section("results", _l("3. Kết quả đạt được"),
            _l("Đánh giá kết quả so với mục tiêu năm, có so sánh với cùng kỳ năm trước (bảng số liệu kèm theo)."),
            "II"),
    Section("difficulties", _l("4. Khó khăn, tồn tại"), _l("Khó khăn, tồn tại phát sinh trong quá trình triển khai."),
            "II"),
    Section("lessons", _l("5. Bài học kinh nghiệm"), _l("Những bài học rút ra."), "II"),
    Section("direction", _l("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI"),
            _l("Phương hướng, nhiệm vụ và mục tiêu cụ thể năm tới (bảng mục tiêu kèm theo)."), "III"),
    Section("proposals", _l("IV. KIẾN NGHỊ, ĐỀ XUẤT"), _l("Kiến nghị, đề xuất với cấp trên."), "IV"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)

LOCKED = _l("Báo cáo đã gửi nên không sửa được nữa. Hãy mở phiên bản mới nếu cần sửa.")


def _now() -> dt.datetime:
    return utcnow()


def latest(commune_id: int, unit_id: int | None, period: Period) -> Report | None:
    """The newest version of a unit's (or, with None, the commune's) report for the period."""
    return db.session.scalar(select(Report).where(
        Report.commune_id == commune_id, Report.year == period.year, Report.quarter == period.quarter,
        Report.unit_id.is_(None) if unit_id is None else Report.unit_id == unit_id)
        .order_by(Report.version.desc()).limit(1))


def open_report(commune: Commune, unit: ReportingUnit | None, period: Period, *, actor: Person,
                today: dt.date) -> Report:
    """Return the period's report to work on: the newest version, or a new draft when there is none."""
    if unit is not None and unit.commune_id != commune.id:
        raise DomainError(_l("Đơn vị này không thuộc xã."), field="unit")
    if not period.started(today):
        raise DomainError(_l("Kỳ %(period)s chưa bắt đầu: chưa thể lập báo cáo.", period=period.label()),
                          field="period")
    report = latest(commune.id, unit.id if unit else None, period)
    if report is None:
        report = Report(commune_id=commune.id, unit_id=unit.id if unit else None, year=period.year,
                        quarter=period.quarter, version=1, status="draft", sections={}, entered={},
                        created_by_id=actor.id, updated_by_id=actor.id)
        db.session.add(report)
        db.session.flush()
    return report


def save_draft(report: Report, sections: dict[str, Any], entered: dict[str, Any], *, number: str,
               actor: Person) -> None:
    """Save the narrative and the hand-entered figures of a draft; a submitted report refuses any change."""
    if report.locked:
        raise DomainError(LOCKED)
    cleaned = {}
    for key in SECTION_KEYS:
        text = clean_text(sections.get(key, ""), multiline=True)
        if len(text) > MAX_SECTION:
            raise DomainError(_l("Phần này quá dài (tối đa %(n)s ký tự).", n=MAX_SECTION), field=key)
        cleaned[key] = text
    figures: dict[str, int] = {}
    for code, raw in entered.items():
        if code not in REGISTRY or not REGISTRY[code].manual:
            continue
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise DomainError(_l("Số liệu “%(name)s” phải là số nguyên.", name=REGISTRY[code].name),
                              field=f"figure-{code}") from None
        if not 0 <= value <= MAX_COUNT:
            raise DomainError(_l("Số liệu “%(name)s” không hợp lệ.", name=REGISTRY[code].name),
                              field=f"figure-{code}")
        figures[code] = value
    report.sections, report.entered = cleaned, figures
    report.number = clean_text(number)[:60]
    report.updated_by_id = actor.id
    db.session.flush()


def submit(report: Report, *, actor: Person) -> None:
    """Submit the report: its figures are frozen as they stand now and it can no longer change."""
    if report.locked:
        raise DomainError(LOCKED)
    report.figures = live_figures(report)
    report.status, report.submitted_by_id, report.submitted_at = "submitted", actor.id, utcnow()
    db.session.flush()


def new_version(report: Report, *, actor: Person) -> Report:
    """Open a new draft from a submitted report (the submitted one stays as it was sent)."""
    if not report.locked:
        raise DomainError(_l("Báo cáo này vẫn là bản nháp: hãy sửa trực tiếp."))
    newest = latest(report.commune_id, report.unit_id, Period(report.year, report.quarter))
    if newest is not None and newest.id != report.id:
        raise DomainError(_l("Đã có phiên bản mới hơn của báo cáo này."))
    draft = Report(commune_id=report.commune_id, unit_id=report.unit_id, year=report.year, quarter=report.quarter,
                   version=report.version + 1, status="draft", number="", sections=dict(report.sections or {}),
                   entered=dict(report.entered or {}), created_by_id=actor.id, updated_by_id=actor.id)
    db.session.add(draft)
    db.session.flush()
    return draft


def live_figures(report: Report) -> list[dict[str, Any]]:
    """The report's figures computed now: the unit's village (or the commune), with what the report entered by hand.

    Plain values (names in Vietnamese as of now), so a submitted report keeps printing them whatever changes later.
    """
    period = Period(report.year, report.quarter)
    unit = report.unit
    if unit is not None and unit.village_id is None:
        # A body (the youth union, a school): only what it reports itself.
        return [_row(i.code, _vietnamese(i.name), i.unit.value, (report.entered or {}).get(i.code), None, None,
                     None, None) for i in ordered() if i.manual]
    place: figures_of.Place = unit.village_id if unit is not None and unit.village_id else figures_of.ALL
    table = figures_of.figures(report.commune_id, period)[place]
    rows = []
    for figure in table:
        value = (report.entered or {}).get(figure.indicator.code, figure.value) if figure.indicator.manual \
            else figure.value
        rows.append(_row(figure.indicator.code, _vietnamese(figure.indicator.name), figure.indicator.unit.value, value,
                         figure.previous, figure.population, figure.target,
                         figures_of.rate_of(value, figure.population),
                         figures_of.rate_of(figure.previous, figure.previous_population)))
    if place == figures_of.ALL:  # class names are listed in the commune's report only
        for row in rows:
            row["details"] = REGISTRY[row["code"]].details([report.commune_id], period).get(report.commune_id) or []
    return rows


def _vietnamese(text: LazyString) -> str:
    """An indicator's name as the report prints it: in Vietnamese, whatever the language of the screen."""
    with force_locale("vi"):
        return str(text)


def _row(code: str, name: str, unit: str, value: int | None, previous: int | None, population: int | None,
         target: float | None, rate: float | None = None, previous_rate: float | None = None) -> dict[str, Any]:
    return {"code": code, "name": name, "unit": unit, "value": value, "previous": previous,
            "population": population, "target": target, "rate": rate, "previous_rate": previous_rate, "details": []}


def figures_for(report: Report) -> list[dict[str, Any]]:
    """What the report shows: its frozen figures once submitted, today's while a draft."""
    return list(report.figures) if report.locked and report.figures is not None else live_figures(report)


# --- the units and the commune's overview -------------------------------------------------------------------

def units(commune_id: int, *, active_only: bool = True) -> list[ReportingUnit]:
    """The commune's reporting units, villages first."""
    query = select(ReportingUnit).where(ReportingUnit.commune_id == commune_id)
    if active_only:
        query = query.where(ReportingUnit.active.is_(True))
    return list(db.session.scalars(query.order_by(ReportingUnit.village_id.is_(None), ReportingUnit.name)))


def deadline(commune_id: int, period: Period, *, for_commune: bool = False) -> dt.date:
    """When a unit's report (or the commune's, to the city) is due for the period."""
    settings = settings_for(commune_id)
    if period.quarter:
        return period.last_day + dt.timedelta(days=settings.quarter_days)
    month_day = settings.commune_year_deadline if for_commune else settings.unit_year_deadline
    month, day = (int(p) for p in month_day.split("-"))
    return dt.date(period.year, month, day)


@dataclass(frozen=True)
class UnitStanding:
    """Where a unit's report for the period stands."""

    unit: ReportingUnit
    report: Report | None  # its newest version
    submitted: Report | None  # its newest submitted version
    due: dt.date
    late: bool


def standings(commune_id: int, period: Period, today: dt.date) -> list[UnitStanding]:
    """Every active unit with its newest report and its newest submitted one (two statements: a unit has a few
    versions at most, so all of the period's rows are read at once)."""
    chosen = units(commune_id)
    rows = db.session.scalars(select(Report).where(
        Report.commune_id == commune_id, Report.year == period.year, Report.quarter == period.quarter,
        Report.unit_id.is_not(None)))
    latest_by: dict[int, Report] = {}
    submitted_by: dict[int, Report] = {}
    for report in rows:
        assert report.unit_id is not None
        if report.unit_id not in latest_by or report.version > latest_by[report.unit_id].version:
            latest_by[report.unit_id] = report
        if report.locked and (report.unit_id not in submitted_by
                              or report.version > submitted_by[report.unit_id].version):
            submitted_by[report.unit_id] = report
    due = deadline(commune_id, period)
    return [UnitStanding(u, latest_by.get(u.id), submitted_by.get(u.id), due,
                         late=u.id not in submitted_by and today > due) for u in chosen]


def summed(standing_rows: list[UnitStanding]) -> dict[str, int]:
    """The units' submitted figures added up, per indicator (bodies' and villages' alike)."""
    totals: dict[str, int] = {}
    for standing in standing_rows:
        if standing.submitted is None:
            continue
        for row in standing.submitted.figures or ():
            if isinstance(row.get("value"), int):
                totals[row["code"]] = totals.get(row["code"], 0) + row["value"]
    return totals
