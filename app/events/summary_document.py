"""The event's summary as a document for the commune's records and its report: the reports feature's administrative
layout (Nghị định 30/2020) and writers, filled with the summary's figures, always in Vietnamese.

The document leaves the office (it is filed, sent, attached to the commune's report), so it carries no participant's
name and no figure about disability: that count comes from records kept for arranging support, seen only by the
commune office, and the commune's report takes its disabled figures from the indicators, shown in aggregate there.
The volunteers are named with their hours: the roster is the youth union's public thanks, not a participant list.
"""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _

from app.certificates.issuing import hours_text
from app.events.kinds import EVENT_KINDS, SOURCES
from app.events.models import Event
from app.events.summary import SENSITIVE, Summary, summarise
from app.people.models import Person
from app.places.models import Commune
from app.reports import compose
from app.reports.document import Block, Heading, Paragraph, ReportDocument, Signature, Table
from app.vietnam import day

FORMATS = ("pdf", "docx")
Row = tuple[str | int | float | None, ...]


def _participants(summary: Summary) -> Table:
    a = summary.attendance
    rows: list[Row] = [(_("Người đã đến tham gia"), a.arrived),
                       (_("Đã đăng ký trước nhưng không đến"), a.no_show),
                       (_("Người mới, lần đầu được ghi nhận trong ngày"), a.newcomers),
                       (_("Đã trải nghiệm ít nhất một trạm"), a.tried)]
    rows += [(_("Đã đến, theo cách đăng ký: %(source)s", source=str(label)), a.by_source.get(code, 0))
             for code, label in SOURCES.items()]
    rows += [(_("Muốn tham gia lớp học"), a.asked_class), (_("Đã được xếp lớp"), a.enrolled)]
    return Table(_("Bảng 1. Người tham gia"), (_("Nội dung"), _("Số người")), tuple(rows))


def _stations(summary: Summary) -> Table:
    rows: list[Row] = [(s.name, s.visits, s.completed, s.answers, s.average) for s in summary.stations]
    return Table(_("Bảng 2. Kết quả tại các trạm"),
                 (_("Trạm"), _("Lượt trải nghiệm"), _("Làm đủ các bước"), _("Câu trả lời"),
                  _("Điểm trung bình (%)")), tuple(rows))


def _groups(summary: Summary) -> list[Block]:
    villages = tuple((g.label, g.count) for g in summary.villages)
    audiences = tuple((g.label, g.count) for g in summary.audiences if g.key not in SENSITIVE)
    bands = tuple((g.label, g.count) for g in summary.age_bands)
    return [Table(_("Bảng 3. Theo thôn, tổ dân phố"), (_("Thôn, tổ dân phố"), _("Số người")), villages),
            Table(_("Bảng 4. Theo nhóm đối tượng"), (_("Nhóm"), _("Số người")), audiences),
            Paragraph(_("Một người có thể thuộc nhiều nhóm. Số người khuyết tật không in trong văn bản này (dữ liệu "
                        "nhạy cảm): báo cáo của xã lấy số liệu này từ hệ thống, ở dạng tổng hợp.")),
            Table(_("Bảng 5. Theo độ tuổi"), (_("Độ tuổi"), _("Số người")), bands)]


def _volunteers(summary: Summary) -> list[Block]:
    roster = summary.roster
    if not roster.shifts:
        return [Paragraph(_("Chưa có tình nguyện viên nào trong danh sách phân công."))]
    rows: list[Row] = [(s.name, s.duty, s.station or None, f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M}", s.hours)
                       for s in roster.shifts]
    return [Table(_("Bảng 6. Tình nguyện viên theo ca"),
                  (_("Họ và tên"), _("Nhiệm vụ"), _("Trạm"), _("Thời gian"), _("Số giờ")), tuple(rows)),
            Paragraph(_("Tổng cộng %(people)s tình nguyện viên, %(hours)s giờ (ca trùng giờ của một người tính một "
                        "lần).", people=len(roster.volunteers), hours=hours_text(roster.total_hours)))]


def document_for(summary: Summary, commune: Commune, *, compiled_by: str, today: dt.date) -> ReportDocument:
    """Build the summary as an administrative document (call it with Vietnamese as the locale)."""
    event = summary.event
    kind = str(EVENT_KINDS[event.kind].label) if event.kind in EVENT_KINDS else event.kind
    where = ", ".join(v.name for v in event.venues) or event.place_note
    values = {"date": day(event.held_on), "who": compose.commune_short(commune), "name": event.name, "kind": kind,
              "place": where, "opens": f"{event.opens_at:%H:%M}", "closes": f"{event.closes_at:%H:%M}"}
    intro = (_("Ngày %(date)s, %(who)s tổ chức “%(name)s” (%(kind)s) tại %(place)s, từ %(opens)s đến %(closes)s. "
               "Kết quả như sau:", **values) if where else
             _("Ngày %(date)s, %(who)s tổ chức “%(name)s” (%(kind)s), từ %(opens)s đến %(closes)s. Kết quả như sau:",
               **values))
    blocks: list[Block] = [
        Paragraph(intro),
        Heading(_("I. NGƯỜI THAM GIA")), _participants(summary),
        Heading(_("II. KẾT QUẢ TẠI CÁC TRẠM")), _stations(summary),
        Heading(_("III. NGƯỜI THAM GIA THEO THÔN, NHÓM ĐỐI TƯỢNG VÀ ĐỘ TUỔI")), *_groups(summary),
        Heading(_("IV. TÌNH NGUYỆN VIÊN")), *_volunteers(summary),
        Paragraph(_("Trên đây là kết quả tổ chức “%(name)s”./.", name=event.name)),
    ]
    issuer = compose.commune_issuer(commune)
    return ReportDocument(
        issuer_parent="", issuer=issuer, number=_("Số: %(blank)s/BC-UBND", blank=compose.BLANK_NUMBER),
        place=compose.place_name(commune), date=today, title=_("BÁO CÁO"),
        subtitle=_("Kết quả tổ chức %(name)s ngày %(date)s", name=event.name, date=day(event.held_on)),
        recipients=(), blocks=tuple(blocks), copies_to=(_("- Lưu: VT."),),
        signature=Signature((_("NGƯỜI TỔNG HỢP"),), compiled_by), file_stem=_("Tổng kết %(name)s", name=event.name),
        metadata={"author": issuer, "subject": _("Bình dân học vụ số")})


def render(event: Event, fmt: str, *, compiled_by: Person, today: dt.date) -> tuple[ReportDocument, bytes]:
    """Write the event's summary as PDF or DOCX (KeyError for another format), in Vietnamese."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    module, function = compose.WRITERS[fmt]  # loaded on the first download, as the reports' are
    writer: Callable[[ReportDocument], bytes] = getattr(importlib.import_module(module), function)
    with force_locale("vi"):
        summary = summarise(event)
        document = document_for(summary, event.commune, compiled_by=compiled_by.full_name, today=today)
        return document, writer(document)
