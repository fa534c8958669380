"""Writing the report on the web: open, save a draft, send (then locked), a new version, late units, downloads."""
from __future__ import annotations

import io
from typing import Any

import docx
import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.indicators import Period
from app.policy import Role
from app.reports import writing
from app.reports.models import Report, ReportingUnit
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.statements import counting

TODAY = local_today()
LAST_Q4 = Period(TODAY.year - 1, 4)  # long past its deadline
NARRATIVE = "Tổ công nghệ số cộng đồng đã tới từng hộ ở thôn Đông hướng dẫn cài VNeID."


@pytest.fixture
def world(ctx: Any) -> dict[str, Any]:
    commune = factories.commune()
    east, west = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Tây")
    units = {name: ReportingUnit(commune_id=commune.id, name=name, village_id=v.id)
             for name, v in (("Thôn Đông", east), ("Thôn Tây", west))}
    db.session.add_all(units.values())
    people = {
        "officer": factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER),
        "leader": factories.person(commune, name="Lê Thanh Luận", role=Role.LEADER),
        "youth": factories.person(commune, name="Lê Quang Huy", role=Role.YOUTH_ORGANISER),
        "team": factories.person(commune, name="Hoàng Văn Nam", role=Role.TEAM_MEMBER, role_village=east),
        "learner": factories.person(commune, name="Bùi Thị Lành", village=east),
    }
    db.session.commit()
    return {"commune": commune, "east": units["Thôn Đông"], "west": units["Thôn Tây"], **people}


def _open(client: FlaskClient, world: dict[str, Any], unit: str, period: str) -> Any:
    return client.post(f"/reports/commune/{world['commune'].id}/reports/open", data={"unit": unit, "period": period})


def _report_id(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _form(**extra: str) -> dict[str, str]:
    data = {s.key: "" for s in writing.SECTIONS} | {"number": ""}
    data.update(extra)
    return data


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Report)) or 0


def test_open_save_submit_then_locked(client: FlaskClient, world: dict[str, Any]) -> None:
    login(client, world["officer"])
    report_id = _report_id(_open(client, world, "commune", LAST_Q4.code))
    page = client.get(f"/reports/report/{report_id}").get_data(as_text=True)
    assert "Số liệu tính đến hôm nay" in page and "Lưu nháp" in page and "1. Công tác lãnh đạo, chỉ đạo" in page
    saved = client.post(f"/reports/report/{report_id}", data=_form(leadership=NARRATIVE, **{"figure-articles": "4"}))
    assert saved.status_code == 302
    report = db.session.get(Report, report_id)
    assert report.sections["leadership"] == NARRATIVE and report.entered == {"articles": 4}
    assert "Đã lưu bản nháp." in client.get(saved.location).get_data(as_text=True)
    # Saving and sending goes to the confirmation page first; nothing is sent before it is confirmed.
    then = client.post(f"/reports/report/{report_id}", data=_form(leadership=NARRATIVE, then="submit"))
    assert then.location.endswith(f"/reports/report/{report_id}/submit")
    confirm = client.get(then.location).get_data(as_text=True)
    assert "Sau khi gửi, báo cáo bị khóa" in confirm and "I. MỞ ĐẦU" in confirm  # an empty section is named
    assert client.post(f"/reports/report/{report_id}/submit", data={}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Report, report_id).locked
    sent = client.post(f"/reports/report/{report_id}/submit", data={"confirm": "yes"})
    assert sent.status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report_id)
    assert report.locked and report.figures and report.submitted_by_id == world["officer"].id
    frozen = report.figures
    # A post straight at the sent report (an old tab, a forged request) is refused and changes nothing.
    refused = client.post(f"/reports/report/{report_id}", data=_form(leadership="Sửa sau khi gửi"),
                          follow_redirects=True)
    assert "Báo cáo đã gửi nên không sửa được nữa" in refused.get_data(as_text=True)
    again = client.post(f"/reports/report/{report_id}/submit", data={"confirm": "yes"}, follow_redirects=True)
    assert "Báo cáo đã gửi nên không sửa được nữa" in again.get_data(as_text=True)
    db.session.expire_all()
    report = db.session.get(Report, report_id)
    assert report.sections["leadership"] == NARRATIVE and report.figures == frozen and report.version == 1
    shown = client.get(f"/reports/report/{report_id}").get_data(as_text=True)
    assert "Số liệu đã chốt khi gửi" in shown and "Mở phiên bản mới" in shown and "Lưu nháp" not in shown
    assert NARRATIVE in shown


def test_a_new_version_starts_from_the_sent_one_and_lists_it(client: FlaskClient, world: dict[str, Any]) -> None:
    login(client, world["leader"])
    report_id = _report_id(_open(client, world, str(world["east"].id), LAST_Q4.code))
    client.post(f"/reports/report/{report_id}", data=_form(intro=NARRATIVE, number="7/BC-TĐ"))
    client.post(f"/reports/report/{report_id}/submit", data={"confirm": "yes"})
    new_id = _report_id(client.post(f"/reports/report/{report_id}/new-version"))
    assert new_id != report_id
    new = db.session.get(Report, new_id)
    assert new.version == 2 and not new.locked and new.sections["intro"] == NARRATIVE
    page = client.get(f"/reports/report/{new_id}").get_data(as_text=True)
    assert "Phiên bản 2 (đang xem)" in page and f"/reports/report/{report_id}\"" in page
    # The old version cannot be reopened twice.
    twice = client.post(f"/reports/report/{report_id}/new-version", follow_redirects=True)
    assert "Đã có phiên bản mới hơn" in twice.get_data(as_text=True)
    assert _count() == 2
    # Opening the period again goes to the newest version.
    assert _report_id(_open(client, world, str(world["east"].id), LAST_Q4.code)) == new_id


def test_a_future_period_is_refused_in_vietnamese(client: FlaskClient, world: dict[str, Any]) -> None:
    login(client, world["officer"])
    future = Period(TODAY.year + 1, 1)
    answer = _open(client, world, "commune", future.code)
    page = client.get(answer.location).get_data(as_text=True)
    assert f"Kỳ {future.label()} chưa bắt đầu: chưa thể lập báo cáo." in page
    bad = client.get(_open(client, world, "commune", "2026-Q5").location).get_data(as_text=True)
    assert "Kỳ báo cáo không hợp lệ" in bad
    assert _count() == 0


def test_a_wrong_figure_is_shown_on_its_field_and_nothing_is_saved(client: FlaskClient,
                                                                   world: dict[str, Any]) -> None:
    login(client, world["officer"])
    report_id = _report_id(_open(client, world, "commune", LAST_Q4.code))
    answer = client.post(f"/reports/report/{report_id}", data=_form(intro=NARRATIVE, **{"figure-articles": "ba"}))
    assert answer.status_code == 400
    assert "phải là số nguyên" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Report, report_id).sections == {}


def test_late_units_are_shown_after_the_deadline(client: FlaskClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    east = writing.open_report(world["commune"], world["east"], LAST_Q4, actor=officer, today=TODAY)
    writing.save_draft(east, {}, {"articles": 5}, number="", actor=officer)
    writing.submit(east, actor=officer)
    db.session.commit()
    login(client, officer)
    page = client.get(f"/reports/commune/{world['commune'].id}/reports?period={LAST_Q4.code}").get_data(as_text=True)
    east_row = page.split("<td data-label=\"Đơn vị\">Thôn Đông</td>", 1)[1].split("</tr>", 1)[0]
    west_row = page.split("<td data-label=\"Đơn vị\">Thôn Tây</td>", 1)[1].split("</tr>", 1)[0]
    assert "Đã gửi" in east_row and "Đỗ Thị Lan" in east_row and "Quá hạn" not in east_row
    assert "Chưa bắt đầu" in west_row and "Quá hạn" in west_row
    assert "1 đơn vị quá hạn chưa gửi." in page
    summed = page.split("Tổng hợp số liệu các đơn vị đã gửi", 1)[1]
    assert "Chuyên mục, chương trình, bài viết, bản tin về Phong trào" in summed and ">5 bài, chuyên mục<" in summed


def test_a_village_team_sees_its_village_and_the_communes_report_once_sent(client: FlaskClient,
                                                                           world: dict[str, Any]) -> None:
    officer = world["officer"]
    mine = writing.open_report(world["commune"], world["east"], LAST_Q4, actor=officer, today=TODAY)
    theirs = writing.open_report(world["commune"], world["west"], LAST_Q4, actor=officer, today=TODAY)
    communes = writing.open_report(world["commune"], None, LAST_Q4, actor=officer, today=TODAY)
    db.session.commit()
    login(client, world["team"])
    index = client.get(f"/reports/commune/{world['commune'].id}/reports?period={LAST_Q4.code}")
    html = index.get_data(as_text=True)
    assert index.status_code == 200 and "Thôn Đông" in html and "Thôn Tây" not in html
    assert "Báo cáo của xã kỳ này đang soạn, chưa gửi." in html and f"/reports/report/{communes.id}\"" not in html
    assert client.get(f"/reports/report/{mine.id}").status_code == 200
    assert client.get(f"/reports/report/{mine.id}").get_data(as_text=True).count("Lưu nháp") == 0
    assert client.get(f"/reports/report/{theirs.id}").status_code == 403
    assert client.get(f"/reports/report/{communes.id}/download.pdf").status_code == 403
    assert client.post(f"/reports/report/{mine.id}", data=_form(intro="x")).status_code == 403
    writing.submit(communes, actor=officer)
    db.session.commit()
    assert client.get(f"/reports/report/{communes.id}/download.pdf").status_code == 200


def test_a_learner_sees_nothing(client: FlaskClient, world: dict[str, Any]) -> None:
    login(client, world["learner"])
    assert client.get(f"/reports/commune/{world['commune'].id}/reports").status_code == 403


@pytest.mark.parametrize(("fmt", "mimetype"), [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pdf", "application/pdf"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_downloads_have_their_type_and_name(client: FlaskClient, world: dict[str, Any], fmt: str,
                                            mimetype: str) -> None:
    report = writing.open_report(world["commune"], None, LAST_Q4, actor=world["officer"], today=TODAY)
    writing.save_draft(report, {"leadership": NARRATIVE}, {}, number="", actor=world["officer"])
    db.session.commit()
    login(client, world["youth"])  # the youth union reads (and downloads) the report
    answer = client.get(f"/reports/report/{report.id}/download.{fmt}")
    assert answer.status_code == 200 and answer.mimetype == mimetype
    stem = f"bao-cao-bdhvs-{LAST_Q4.code.lower()}-xa-tien-minh"
    assert answer.headers["Content-Disposition"].startswith(f"attachment; filename={stem}.{fmt};")
    body = answer.get_data()
    if fmt == "docx":
        assert NARRATIVE in [p.text for p in docx.Document(io.BytesIO(body)).paragraphs]
    elif fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames
    else:
        assert body.startswith(b"%PDF")
    assert client.get(f"/reports/report/{report.id}/download.csv").status_code == 404


def test_the_youth_union_reads_but_does_not_write(client: FlaskClient, world: dict[str, Any]) -> None:
    login(client, world["youth"])
    assert _open(client, world, "commune", LAST_Q4.code).status_code == 403
    assert _count() == 0


def _own(statements: list[str]) -> list[str]:
    """The page's own statements: loading the signed-in user and the commune depends on what the test's session
    still holds, not on the page."""
    return [s for s in statements if "FROM communes" not in s and "role_assignments_1" not in s]


def test_the_index_runs_as_many_statements_whatever_the_number_of_units(client: FlaskClient,
                                                                          world: dict[str, Any]) -> None:
    officer = world["officer"]

    def send(unit: ReportingUnit) -> None:
        report = writing.open_report(world["commune"], unit, LAST_Q4, actor=officer, today=TODAY)
        writing.submit(report, actor=factories.person(world["commune"], name=f"Người gửi {unit.name}",
                                                      role=Role.OFFICER))

    send(world["east"])
    db.session.commit()
    login(client, officer)
    url = f"/reports/commune/{world['commune'].id}/reports?period={LAST_Q4.code}"
    with counting() as before:
        assert client.get(url).status_code == 200
    for i in range(3):
        village = factories.village(world["commune"], f"Thôn Mới {i}")
        unit = ReportingUnit(commune_id=world["commune"].id, name=f"Thôn Mới {i}", village_id=village.id)
        db.session.add(unit)
        db.session.flush()
        send(unit)
    db.session.commit()
    with counting() as after:
        page = client.get(url)
    assert page.status_code == 200 and "Người gửi Thôn Mới 2" in page.get_data(as_text=True)
    assert len(_own(after)) == len(_own(before)) == 7
