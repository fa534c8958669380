"""In a real browser at tablet size: the officer sets a target, sees the dashboard follow, writes the report, sends
it after confirming, and downloads the Word file, which holds what was written and the target."""
from __future__ import annotations

import datetime as dt
from typing import Any

import docx
import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.indicators import Period
from app.policy import Role
from app.reports import writing
from app.reports.models import ReportingUnit
from app.vietnam import local_today
from tests import axe, factories
from tests.reports.conftest import add_class

pytestmark = pytest.mark.browser

CLASSES = "Số lớp phổ cập kỹ năng số đã tổ chức"
NARRATIVE = "Ủy ban nhân dân xã giao Đoàn Thanh niên phối hợp với các thôn mở lớp cho người cao tuổi."


def _world() -> dict[str, Any]:
    commune = factories.commune()
    east = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", in_village=east)
    today = local_today()
    add_class(commune, "Lớp điện thoại cho người cao tuổi", "elderly", hall, "running", dt.date(today.year, 1, 5),
              [(dt.date(today.year, 1, 6), "scheduled")])
    db.session.commit()
    return {"commune": commune, "officer": officer, "year": today.year}


def _goal_row(page: Any) -> Any:
    return page.get_by_role("table", name=f"Mục tiêu năm {local_today().year}: số liệu").get_by_role(
        "row").filter(has_text=CLASSES)


def test_target_dashboard_report_submit_and_download(ctx: Any, tablet: Any) -> None:
    world = _world()
    commune_id, year = world["commune"].id, world["year"]
    axe.sign_in(tablet, world["officer"].phone, factories.PIN)

    tablet.goto(f"/reports/commune/{commune_id}/targets?year={year}")
    tablet.get_by_label(CLASSES).fill("12")
    tablet.get_by_role("button", name="Lưu mục tiêu").click()
    tablet.wait_for_load_state()

    tablet.goto(f"/reports/commune/{commune_id}?year={year}")
    expect(_goal_row(tablet)).to_contain_text("12 lớp")

    tablet.goto(f"/reports/commune/{commune_id}/reports?period={year}")
    tablet.get_by_role("button", name="Lập báo cáo của xã").click()
    expect(tablet.get_by_role("heading", level=1)).to_contain_text(f"năm {year}")
    expect(tablet.get_by_text("Số liệu tính đến hôm nay")).to_be_visible()
    tablet.get_by_label("1. Công tác lãnh đạo, chỉ đạo").fill(NARRATIVE)
    tablet.get_by_role("button", name="Lưu nháp").click()
    expect(tablet.get_by_role("status").filter(has_text="Đã lưu bản nháp.")).to_be_visible()
    expect(tablet.get_by_label("1. Công tác lãnh đạo, chỉ đạo")).to_have_value(NARRATIVE)
    tablet.screenshot(path=str(factories.artifact("reports-draft-tablet.png")), full_page=True)

    tablet.get_by_role("button", name="Lưu và gửi báo cáo…").click()
    expect(tablet.get_by_text("Sau khi gửi, báo cáo bị khóa")).to_be_visible()
    tablet.screenshot(path=str(factories.artifact("reports-submit-tablet.png")), full_page=True)
    tablet.get_by_role("button", name="Có, gửi báo cáo").click()
    expect(tablet.get_by_role("status").filter(has_text="Đã gửi báo cáo.")).to_be_visible()
    expect(tablet.get_by_text("Số liệu đã chốt khi gửi")).to_be_visible()
    expect(tablet.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    expect(tablet.get_by_role("button", name="Mở phiên bản mới")).to_be_visible()
    tablet.screenshot(path=str(factories.artifact("reports-sent-tablet.png")), full_page=True)

    with tablet.expect_download() as info:
        tablet.get_by_role("link", name="Tải Word (DOCX)").click()
    download = info.value
    assert download.suggested_filename == f"bao-cao-bdhvs-{year}-xa-tien-minh.docx"
    document = docx.Document(download.path())
    assert NARRATIVE in [p.text for p in document.paragraphs]
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    classes = next(r for r in rows if r[0] == CLASSES)
    assert classes[1:3] == ["lớp", "1"] and classes[-1] == "12"

    tablet.goto(f"/reports/commune/{commune_id}/reports?period={year}")
    expect(tablet.get_by_text("Phiên bản 1, gửi ngày")).to_be_visible()
    tablet.screenshot(path=str(factories.artifact("reports-index-tablet.png")), full_page=True)


def test_the_report_pages_pass_axe(ctx: Any, axe_scan: Any) -> None:
    world = _world()
    unit = ReportingUnit(commune_id=world["commune"].id, name="Đoàn Thanh niên xã")
    db.session.add(unit)
    db.session.flush()
    period = Period(world["year"])
    draft = writing.open_report(world["commune"], None, period, actor=world["officer"], today=local_today())
    sent = writing.open_report(world["commune"], unit, period, actor=world["officer"], today=local_today())
    writing.save_draft(sent, {"intro": NARRATIVE}, {"articles": 3}, number="", actor=world["officer"])
    writing.submit(sent, actor=world["officer"])
    db.session.commit()
    paths = [f"/reports/commune/{world['commune'].id}/reports", f"/reports/report/{draft.id}",
             f"/reports/report/{draft.id}/submit", f"/reports/report/{sent.id}"]
    officer = lambda page: axe.sign_in(page, world["officer"].phone, factories.PIN)  # noqa: E731
    assert axe_scan(paths, sign_in=officer) == []
