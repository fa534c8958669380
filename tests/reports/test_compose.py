"""The report as a document: the commune's and a unit's header, sections in the template's order, figures tables,
and the DOCX and PDF read back with the exact Vietnamese text."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from flask import session
from pypdf import PdfReader

from app.extensions import db
from app.indicators import Period
from app.people.audiences import LABELS, Audience
from app.people.models import Person
from app.places.models import Commune
from app.policy import Role
from app.reports import compose, services, writing
from app.reports.document import Heading, Paragraph, Table
from app.reports.models import Report, ReportingUnit, ReportSettings
from app.vietnam import local_today
from tests import factories
from tests.reports.conftest import add_class

TODAY = dt.date(2026, 12, 3)
Q3 = Period(2026, 3)
SUBTITLE = "Tình hình kết quả triển khai Phong trào Bình dân học vụ số quý III năm 2026"
NARRATIVE = "Ủy ban nhân dân xã đã ban hành Kế hoạch số 45/KH-UBND và phân công từng thôn."


@pytest.fixture
def office(ctx: Any) -> dict[str, Any]:
    commune = factories.commune()
    east = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER, birth_year=1985)
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", in_village=east)
    add_class(commune, "Lớp điện thoại cho người cao tuổi", "elderly", hall, "running", dt.date(2026, 7, 1),
              [(dt.date(2026, 7, 6), "scheduled")])
    unit = ReportingUnit(commune_id=commune.id, name="Thôn Đông", village_id=east.id)
    youth = ReportingUnit(commune_id=commune.id, name="Đoàn Thanh niên xã")
    db.session.add_all([unit, youth])
    db.session.commit()
    return {"commune": commune, "officer": officer, "unit": unit, "youth": youth, "east": east}


def _report(office: dict[str, Any], unit: ReportingUnit | None = None) -> Report:
    return writing.open_report(office["commune"], unit, Q3, actor=office["officer"], today=TODAY)


def _write(report: Report, officer: Person, **sections: str) -> None:
    writing.save_draft(report, sections, {"articles": "12"}, number="", actor=officer)


def test_the_communes_draft_follows_the_template(office: dict[str, Any]) -> None:
    report = _report(office)
    _write(report, office["officer"], leadership=NARRATIVE)
    document = compose.document_for(report, today=TODAY)
    assert document.issuer == "ỦY BAN NHÂN DÂN XÃ TIÊN MINH" and document.issuer_parent == ""
    assert document.place == "Tiên Minh" and document.date is None and document.draft
    assert document.number == "Số:      /BC-UBND"
    assert document.subtitle == SUBTITLE
    assert document.recipients == ("UBND thành phố Hải Phòng",)
    assert document.copies_to == ("- Như trên;", "- Lưu: VT.")
    assert document.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert document.file_stem == "bao-cao-bdhvs-2026-q3-xa-tien-minh"
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings == ["I. MỞ ĐẦU", "II. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ THỰC HIỆN", "1. Công tác lãnh đạo, chỉ đạo",
                        "2. Kết quả thực hiện các nhiệm vụ, giải pháp triển khai Phong trào", "3. Kết quả đạt được",
                        "4. Khó khăn, tồn tại", "5. Bài học kinh nghiệm", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
                        "IV. KIẾN NGHỊ, ĐỀ XUẤT"]
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert NARRATIVE in texts
    assert texts.count("(Chưa có nội dung)") == 7  # every section but the one written
    assert texts[0].startswith("Thực hiện Kế hoạch số      /KH-UBND về triển khai Phong trào")
    assert texts[-1].startswith("Trên đây là báo cáo tình hình triển khai Phong trào Bình dân học vụ số quý III")
    assert "Các lớp đã tổ chức (1 lớp):\n- Lớp điện thoại cho người cao tuổi (Người cao tuổi)" in texts
    first, *others = document.tables()
    assert first.caption == "Bảng 1. Kết quả thực hiện các chỉ tiêu"
    assert first.headers == ("Chỉ tiêu", "Đơn vị", "Kỳ báo cáo", "Cùng kỳ năm trước", "Tỷ lệ (%)", "Mục tiêu năm")
    by_name = {row[0]: row for row in first.rows}
    assert by_name["Số lớp phổ cập kỹ năng số đã tổ chức"][1:4] == ("lớp", 1, 0)
    assert 12 in [row[2] for row in first.rows]  # the figure entered by hand on the report
    goals = [t for t in others if t.caption == "Bảng 3. Mục tiêu năm 2027"]
    assert goals and ("%" in str(goals[0].rows[0][2]))


def test_the_figures_table_sits_after_section_3_and_the_targets_under_III(office: dict[str, Any]) -> None:
    document = compose.document_for(_report(office), today=TODAY)
    order = [b.text if isinstance(b, Heading) else (b.caption if isinstance(b, Table) else None)
             for b in document.blocks]
    order = [o for o in order if o]
    assert order.index("Bảng 1. Kết quả thực hiện các chỉ tiêu") == order.index("3. Kết quả đạt được") + 1
    assert order.index("Bảng 3. Mục tiêu năm 2027") == order.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027") + 1


def test_a_units_report_names_the_commune_above_it_and_the_unit_head_signs(office: dict[str, Any]) -> None:
    report = _report(office, office["unit"])
    document = compose.document_for(report, today=TODAY)
    assert document.issuer_parent == "UBND XÃ TIÊN MINH" and document.issuer == "THÔN ĐÔNG"
    assert document.recipients == ("UBND xã Tiên Minh",)
    assert document.signature.lines[0] == "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
    assert document.file_stem == "bao-cao-bdhvs-2026-q3-thon-dong"
    intro = document.blocks[0]
    assert isinstance(intro, Paragraph) and "của UBND xã Tiên Minh" in intro.text and "Thôn Đông báo cáo" in intro.text


def test_a_submitted_report_is_dated_numbered_and_prints_only_what_was_written(office: dict[str, Any]) -> None:
    db.session.add(ReportSettings(commune_id=office["commune"].id, recipient="UBND thành phố Hải Phòng (Sở KH&CN)",
                                  plan_reference="Kế hoạch số 45/KH-UBND ngày 10/3/2026",
                                  signer_lines="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                                  signer_name="Lê Thanh Luận"))
    report = _report(office)
    writing.save_draft(report, {"intro": NARRATIVE}, {}, number="Số: 12/BC-UBND", actor=office["officer"])
    writing.submit(report, actor=office["officer"])
    document = compose.document_for(report, today=TODAY)
    assert document.number == "Số: 12/BC-UBND" and not document.draft
    assert document.date == local_today()
    assert document.recipients == ("UBND thành phố Hải Phòng (Sở KH&CN)",)
    assert document.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert document.signature.name == "Lê Thanh Luận"
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "(Chưa có nội dung)" not in texts
    assert texts[0].startswith("Thực hiện Kế hoạch số 45/KH-UBND ngày 10/3/2026 về triển khai")


def test_the_communes_report_adds_the_units_submitted_figures_with_a_total(office: dict[str, Any]) -> None:
    officer = office["officer"]
    for unit, articles in ((office["unit"], "3"), (office["youth"], "7")):
        report = _report(office, unit)
        writing.save_draft(report, {}, {"articles": articles}, number="", actor=officer)
        writing.submit(report, actor=officer)
    document = compose.document_for(_report(office), today=TODAY)
    units = next(t for t in document.tables() if t.caption == "Bảng 2. Số liệu các đơn vị đã gửi báo cáo")
    column = units.headers.index("Chuyên mục, chương trình, bài viết, bản tin về Phong trào")
    rows = {row[0]: row[column] for row in units.rows}
    assert rows == {"Thôn Đông": 3, "Đoàn Thanh niên xã": 7, "Tổng cộng": 10}


def test_a_unit_not_yet_reporting_is_named(office: dict[str, Any]) -> None:
    document = compose.document_for(_report(office), today=TODAY)
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "Các đơn vị chưa gửi báo cáo: Thôn Đông, Đoàn Thanh niên xã." in texts


def test_a_village_with_nothing_yet_still_lists_every_indicator(office: dict[str, Any]) -> None:
    west = factories.village(office["commune"], "Thôn Tây")
    unit = ReportingUnit(commune_id=office["commune"].id, name="Thôn Tây", village_id=west.id)
    db.session.add(unit)
    db.session.flush()
    rows = writing.live_figures(_report(office, unit))
    held = next(r for r in rows if r["code"] == "classes_held")
    assert held["value"] == 0 and len(rows) == len(writing.live_figures(_report(office)))


def test_a_commune_target_for_next_year_is_printed_under_III(office: dict[str, Any]) -> None:
    services.set_target(office["commune"], None, 2027, "classes_held", 24, actor=office["officer"], today=TODAY)
    document = compose.document_for(_report(office), today=TODAY)
    goals = next(t for t in document.tables() if t.caption == "Bảng 3. Mục tiêu năm 2027")
    assert ("Số lớp phổ cập kỹ năng số đã tổ chức", "lớp", 24) in goals.rows


def _docx_text(body: bytes) -> str:
    read = docx.Document(io.BytesIO(body))
    parts = [p.text for p in read.paragraphs]
    for table in read.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_and_pdf_read_back_in_vietnamese(office: dict[str, Any]) -> None:
    report = _report(office)
    _write(report, office["officer"], leadership=NARRATIVE)
    document, body = compose.render(report, "docx", today=TODAY)
    text = _docx_text(body)
    for expected in ("ỦY BAN NHÂN DÂN XÃ TIÊN MINH", SUBTITLE, "II. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ THỰC HIỆN",
                     "1. Công tác lãnh đạo, chỉ đạo", NARRATIVE, "Bảng 1. Kết quả thực hiện các chỉ tiêu",
                     "Chuyên mục, chương trình, bài viết, bản tin về Phong trào", "Lớp điện thoại cho người cao tuổi"):
        assert expected in text, expected
    assert document.file_stem == "bao-cao-bdhvs-2026-q3-xa-tien-minh"
    _, pdf = compose.render(report, "pdf", today=TODAY)
    flat = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())
    for expected in ("ỦY BAN NHÂN DÂN XÃ TIÊN MINH", SUBTITLE, "1. Công tác lãnh đạo, chỉ đạo",
                     "Bảng 1. Kết quả thực hiện các chỉ tiêu"):
        assert expected in flat, expected


def test_the_document_is_vietnamese_whatever_the_screen_language(app: Any, office: dict[str, Any]) -> None:
    report = _report(office)
    with app.test_request_context():
        session["lang"] = "en"
        assert str(LABELS[Audience.ELDERLY]) == "Older people"  # the screen is in English
        document, _body = compose.render(report, "xlsx", today=TODAY)
    assert document.subtitle == SUBTITLE and document.title == "BÁO CÁO"
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "Các lớp đã tổ chức (1 lớp):\n- Lớp điện thoại cho người cao tuổi (Người cao tuổi)" in texts


def test_unknown_commune_kind_prefix_is_kept(ctx: Any) -> None:
    commune = Commune(name="Đặc khu Phú Quốc", division_type="đặc khu", code="0", province_code="91")
    assert compose.place_name(commune) == "Phú Quốc"
    assert compose.commune_issuer(commune) == "ỦY BAN NHÂN DÂN ĐẶC KHU PHÚ QUỐC"


def test_a_sent_communes_report_keeps_the_units_reports_it_was_sent_with(office: dict[str, Any]) -> None:
    officer = office["officer"]
    first = _report(office, office["unit"])
    writing.save_draft(first, {}, {"articles": "3"}, number="", actor=officer)
    writing.submit(first, actor=officer)
    communes = _report(office)
    writing.submit(communes, actor=officer)
    later = writing.new_version(first, actor=officer)
    writing.save_draft(later, {}, {"articles": "30"}, number="", actor=officer)
    writing.submit(later, actor=officer)
    later.submitted_at = communes.submitted_at + dt.timedelta(minutes=5)  # sent after the commune's
    db.session.flush()

    def articles(report: Report) -> dict[Any, Any]:
        table = next(t for t in compose.document_for(report, today=TODAY).tables() if t.caption.startswith("Bảng 2"))
        column = table.headers.index("Chuyên mục, chương trình, bài viết, bản tin về Phong trào")
        return {row[0]: row[column] for row in table.rows}

    assert articles(communes) == {"Thôn Đông": 3, "Tổng cộng": 3}
    assert articles(writing.new_version(communes, actor=officer)) == {"Thôn Đông": 30, "Tổng cộng": 30}
