"""The movement's report as a document: the administrative layout (Nghị định 30/2020) filled from a Report.

Every figure comes from `writing.figures_for` (frozen once submitted, today's while a draft), and a sent commune
report keeps the units' reports it was sent with, so the web download and the command line print the same document
for the same report, today or next year.
"""
from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from collections.abc import Callable
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.indicators import REGISTRY, Period, ordered, unit_label
from app.places.models import Commune
from app.reports import figures as figures_of
from app.reports import targets as plan_targets
from app.reports import writing
from app.reports.document import Block, Heading, Paragraph, ReportDocument, Signature, Table
from app.reports.models import Report
from app.reports.services import settings_for
from app.vietnam import local_today, slug

BLANK_NUMBER = "     "  # room to write the number by hand on the printed draft


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def place_name(commune: Commune) -> str:
    """The commune's name without its kind: "Xã Tiên Minh" -> "Tiên Minh"."""
    name, kind = _nfc(commune.name), _nfc(commune.division_type)
    if kind and name.lower().startswith(kind.lower() + " "):
        return name[len(kind) + 1:].strip()
    return name


def _kind(commune: Commune) -> str:
    return _nfc(commune.division_type).lower() or "xã"


def commune_issuer(commune: Commune) -> str:
    """"ỦY BAN NHÂN DÂN XÃ TIÊN MINH" (Python upper-cases Vietnamese letters, "đ" and tones included)."""
    return _("ỦY BAN NHÂN DÂN %(kind)s %(place)s", kind=_kind(commune).upper(), place=place_name(commune).upper())


def commune_short(commune: Commune) -> str:
    """"UBND xã Tiên Minh", as reports name the commune's people's committee."""
    return _("UBND %(kind)s %(place)s", kind=_kind(commune), place=place_name(commune))


def city_recipient(commune: Commune) -> str:
    """"UBND thành phố Hải Phòng": the province's committee, its kind in lower case as in running text."""
    name = _nfc(commune.province.name)
    for kind in ("Thành phố ", "Tỉnh "):
        if name.startswith(kind):
            name = kind.lower() + name[len(kind):]
    return _("UBND %(province)s", province=name)


def _number(report: Report) -> str:
    typed = _nfc(report.number)
    if typed.lower().startswith("số:"):
        typed = typed[3:].strip()
    if typed:
        return _("Số: %(number)s", number=typed)
    return _("Số: %(blank)s/BC-UBND", blank=BLANK_NUMBER) if report.unit is None else \
        _("Số: %(blank)s/BC-...", blank=BLANK_NUMBER)


def _submitted_on(report: Report) -> dt.date | None:
    if not report.locked or report.submitted_at is None:
        return None
    return local_today(report.submitted_at)


def _count(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _goal(code: str, value: float | None) -> str | int | float | None:
    """A target as printed: a rate with its % sign (so it is never read as a number of people), a count as is."""
    if value is None:
        return None
    indicator = REGISTRY.get(code)
    if indicator is not None and indicator.population is not None:
        shown = int(value) if float(value).is_integer() else value
        return _("%(value)s %%", value=str(shown).replace(".", ","))
    return int(value) if float(value).is_integer() else value


def figures_table(rows: list[dict[str, Any]], period: Period) -> Table:
    """Table 1: each indicator for the period, last year's same period, its rate and the year's target."""
    return Table(caption=_("Bảng 1. Kết quả thực hiện các chỉ tiêu"),
                 headers=(_("Chỉ tiêu"), _("Đơn vị"), _("Kỳ báo cáo"), _("Cùng kỳ năm trước"), _("Tỷ lệ (%)"),
                          _("Mục tiêu năm")),
                 rows=tuple((row["name"], unit_label(row["unit"]), _count(row["value"]), _count(row["previous"]),
                             _count(row.get("rate")), _goal(row["code"], row.get("target"))) for row in rows),
                 sheet=_("Kết quả %(period)s", period=period.code))


def class_names(rows: list[dict[str, Any]]) -> Paragraph | None:
    """The classes held, by name (the template asks for the number of classes and their names)."""
    names = [name for row in rows for name in row.get("details") or ()]
    if not names:
        return None
    return Paragraph("\n".join([_("Các lớp đã tổ chức (%(n)s lớp):", n=len(names))] + [f"- {n}" for n in names]))


def unit_standings(report: Report, today: dt.date) -> list[writing.UnitStanding]:
    """The units' reports the commune's report adds up: those sent so far for a draft; for a sent report, those sent
    before it (a unit's later version does not change what the commune sent)."""
    period = Period(report.year, report.quarter)
    if not report.locked or report.submitted_at is None:
        return writing.standings(report.commune_id, period, today)
    sent = db.session.scalars(select(Report).where(
        Report.commune_id == report.commune_id, Report.year == report.year, Report.quarter == report.quarter,
        Report.unit_id.is_not(None), Report.status == "submitted", Report.submitted_at <= report.submitted_at))
    newest: dict[int, Report] = {}
    for row in sent:
        assert row.unit_id is not None
        if row.unit_id not in newest or row.version > newest[row.unit_id].version:
            newest[row.unit_id] = row
    due = writing.deadline(report.commune_id, period)
    return [writing.UnitStanding(u, newest.get(u.id), newest.get(u.id), due, late=False)
            for u in writing.units(report.commune_id, active_only=False) if u.active or u.id in newest]


def units_table(standing: list[writing.UnitStanding]) -> list[Block]:
    """Table 2 (the commune's report): each unit's submitted figures, with the total; who has not reported."""
    sent = [s for s in standing if s.submitted is not None]
    blocks: list[Block] = []
    if sent:
        values = {s.unit.id: {r["code"]: r.get("value") for r in (s.submitted.figures if s.submitted else None) or ()}
                  for s in sent}
        totals = writing.summed(standing)
        # Only the indicators some unit reported: a column of dashes would only make the table wider.
        codes = [i for i in ordered() if i.code in totals]
        rows: list[tuple[str | int | float | None, ...]] = [
            (s.unit.name, *(_count(values[s.unit.id].get(i.code)) for i in codes)) for s in sent]
        rows.append((_("Tổng cộng"), *(totals[i.code] for i in codes)))
        blocks.append(Table(caption=_("Bảng 2. Số liệu các đơn vị đã gửi báo cáo"),
                            headers=(_("Đơn vị"), *(str(i.name) for i in codes)), rows=tuple(rows),
                            sheet=_("Các đơn vị")))
    missing = [s.unit.name for s in standing if s.submitted is None]
    if missing:
        blocks.append(Paragraph(_("Các đơn vị chưa gửi báo cáo: %(names)s.", names=", ".join(missing))))
    return blocks


def next_year_targets(report: Report) -> Table | None:
    """Table 3: next year's targets (the village's own, else the commune's, else the plans')."""
    year = report.year + 1
    set_targets = figures_of.target_values(report.commune_id, year)
    unit = report.unit
    if unit is not None and unit.village_id is None:
        return None  # a body (the youth union, a school) has no targets of its own
    village: figures_of.Place | None = unit.village_id if unit is not None else None
    rows = []
    for indicator in ordered():
        value = None
        if village is not None:
            value = (set_targets.get((village, indicator.code)) or (None, False))[0]
        if value is None:
            value = (set_targets.get((figures_of.ALL, indicator.code)) or (None, False))[0]
        if value is None:
            value = plan_targets.default(indicator.code, year)
        if value is not None:
            rows.append((str(indicator.name), unit_label(indicator.unit.value), _goal(indicator.code, value)))
    if not rows:
        return None
    return Table(caption=_("Bảng 3. Mục tiêu năm %(year)s", year=year),
                 headers=(_("Chỉ tiêu"), _("Đơn vị"), _("Mục tiêu")), rows=tuple(rows),
                 sheet=_("Mục tiêu %(year)s", year=year))


def _section_heading(section: writing.Section, year: int) -> Heading:
    if section.key == "direction":  # the template names the year: "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"
        return Heading(_("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM %(year)s", year=year + 1))
    return Heading(str(section.heading), level=2 if section.part == "II" else 1)


def _body(report: Report, who: str, issuer_of_plan: str, period: Period, today: dt.date) -> list[Block]:
    settings = settings_for(report.commune_id)
    plan = _nfc(settings.plan_reference) or _("Kế hoạch số %(blank)s/KH-UBND", blank=BLANK_NUMBER)
    if report.unit_id is None:  # the commune answers the plan it was given (its own, or the city's)
        intro = _("Thực hiện %(plan)s về triển khai Phong trào “Bình dân học vụ số” gắn với “Học tập số”, "
                  "%(who)s báo cáo tình hình, kết quả triển khai Phong trào %(period)s, cụ thể như sau:",
                  plan=plan, who=who, period=period.label())
    else:  # a unit answers the commune's plan
        intro = _("Thực hiện %(plan)s của %(commune)s về triển khai Phong trào “Bình dân học vụ số” gắn với "
                  "“Học tập số”, %(who)s báo cáo tình hình, kết quả triển khai Phong trào %(period)s, cụ thể như sau:",
                  plan=plan, commune=issuer_of_plan, who=who, period=period.label())
    blocks: list[Block] = [Paragraph(intro)]
    rows = writing.figures_for(report)
    texts = report.sections or {}
    part_two_shown = False
    for section in writing.SECTIONS:
        if section.part == "II" and not part_two_shown:
            blocks.append(Heading(_("II. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ THỰC HIỆN")))
            part_two_shown = True
        blocks.append(_section_heading(section, report.year))
        text = _nfc(texts.get(section.key, ""))
        if text:
            blocks.append(Paragraph(text))
        elif not report.locked:
            # A draft says what is still to write; a submitted report prints only what its author wrote.
            blocks.append(Paragraph(_("(Chưa có nội dung)")))
        if section.key == "results":
            blocks.append(figures_table(rows, period))
            named = class_names(rows)
            if named is not None:
                blocks.append(named)
            if report.unit_id is None:
                blocks.extend(units_table(unit_standings(report, today)))
        if section.key == "direction":
            goals = next_year_targets(report)
            if goals is not None:
                blocks.append(goals)
    blocks.append(Paragraph(_(
        "Trên đây là báo cáo tình hình triển khai Phong trào Bình dân học vụ số %(period)s và phương hướng, "
        "nhiệm vụ năm %(next)s của %(who)s./.", period=period.label(), next=report.year + 1, who=who)))
    return blocks


def document_for(report: Report, *, today: dt.date) -> ReportDocument:
    """Build the printable report: header, title, recipients, sections with figures tables, signature."""
    commune = db.session.get(Commune, report.commune_id)
    assert commune is not None  # a report's commune is a foreign key that cascades
    period = Period(report.year, report.quarter)
    settings = settings_for(report.commune_id)
    short = commune_short(commune)
    unit = report.unit
    if unit is None:
        issuer_parent, issuer, who = "", commune_issuer(commune), short
        recipients = (_nfc(settings.recipient) or city_recipient(commune),)
        lines = tuple(line.strip() for line in (settings.signer_lines or "").splitlines() if line.strip())
        signature = Signature(lines or (_("TM. ỦY BAN NHÂN DÂN"), _("CHỦ TỊCH")), _nfc(settings.signer_name))
    else:
        issuer_parent, issuer, who = short.upper(), _nfc(unit.name).upper(), _nfc(unit.name)
        recipients = (short,)
        signature = Signature((_("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"), _("(Ký tên và đóng dấu)")))
    whose = place_name(commune) if unit is None else unit.name
    stem = slug(f"bao-cao-bdhvs-{period.code}-{_kind(commune)}-{whose}" if unit is None
                else f"bao-cao-bdhvs-{period.code}-{whose}")
    if report.version > 1:
        stem += f"-v{report.version}"
    return ReportDocument(
        issuer_parent=issuer_parent, issuer=issuer, number=_number(report), place=place_name(commune),
        date=_submitted_on(report), title=_("BÁO CÁO"),
        subtitle=_("Tình hình kết quả triển khai Phong trào Bình dân học vụ số %(period)s", period=period.label()),
        recipients=recipients, blocks=tuple(_body(report, who, short, period, today)),
        copies_to=(_("- Như trên;"), _("- Lưu: VT.")), signature=signature, draft=not report.locked,
        file_stem=stem, metadata={"author": who, "subject": _("Bình dân học vụ số")})


# --- the files ---------------------------------------------------------------------------------------------------

# Each writer's module, loaded on the first download: python-docx with lxml, ReportLab's layout engine and openpyxl
# are ~15 MB that a web process serving daily pages never needs.
WRITERS: dict[str, tuple[str, str]] = {"docx": ("app.reports.docx", "docx_bytes"),
                                       "pdf": ("app.reports.pdf", "pdf_bytes"),
                                       "xlsx": ("app.reports.xlsx", "xlsx_bytes")}
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(report: Report, fmt: str, *, today: dt.date) -> tuple[ReportDocument, bytes]:
    """Write the report as DOCX, PDF or XLSX (KeyError for another format), always in Vietnamese.

    An administrative document is written in Vietnamese whatever language the officer's screen is in.
    """
    module, function = WRITERS[fmt]
    writer: Callable[[ReportDocument], bytes] = getattr(importlib.import_module(module), function)
    with force_locale("vi"):
        document = document_for(report, today=today)
        return document, writer(document)
