"""The officer's pages that keep the commune's numbers: targets, populations (and their import), figures, tasks."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from app import vietnam
from app.extensions import db
from app.imports.models import ImportBatch
from app.policy import Role
from app.reports import services
from app.reports.models import Denominator, ManualFigure, ReportingUnit, ReportSettings, Target, TargetChange, Task
from app.reports.settings import SettingsFields, save_settings
from tests import factories
from tests.conftest import login


@pytest.fixture
def place(ctx: Flask) -> dict[str, Any]:
    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    tay = factories.village(commune, "Thôn Tây")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    learner = factories.person(commune, name="Trần Văn Bình", village=dong)
    youth = factories.person(commune, name="Lê Quang Huy", role=Role.YOUTH_ORGANISER)
    for name in ("Nguyễn Văn An", "Phạm Thị Bích", "Hoàng Văn Cường"):
        factories.person(commune, name=name, village=dong, role=None, account=False)
    db.session.commit()
    return {"commune": commune, "dong": dong, "tay": tay, "officer": officer, "learner": learner, "youth": youth}


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


PAGES = ("targets", "populations", "entries", "tasks", "tasks/new", "settings", "units")


def test_every_page_renders_for_the_officer_and_is_refused_to_a_learner(client: FlaskClient, place) -> None:
    cid = place["commune"].id
    login(client, place["officer"])
    texts = {page: _page(client, f"/reports/commune/{cid}/{page}") for page in PAGES}
    assert "Mục tiêu năm" in texts["targets"] and "Theo kế hoạch" in texts["targets"]
    assert "Số liệu dân số năm" in texts["populations"] and "Nhập từ bảng tính" in texts["populations"]
    assert "Số liệu nhập tay" in texts["entries"] and "Hộ gia đình được tuyên truyền về Phong trào" in texts["entries"]
    assert "Phân công nhiệm vụ năm" in texts["tasks"] and "Thêm nhiệm vụ" in texts["tasks"]
    assert "Kính gửi" in texts["settings"] and "12-05" in texts["settings"]
    assert "Thêm tất cả các thôn" in texts["units"]
    assert "Thôn Đông" in _page(client, f"/reports/commune/{cid}/targets?village={place['dong'].id}")
    learner = client.application.test_client()
    login(learner, place["learner"])
    for page in PAGES:
        assert learner.get(f"/reports/commune/{cid}/{page}").status_code == 403
        if page != "tasks":
            assert learner.post(f"/reports/commune/{cid}/{page}").status_code == 403


def test_the_youth_union_reads_the_task_table_but_cannot_edit_it(client: FlaskClient, place) -> None:
    cid = place["commune"].id
    login(client, place["youth"])
    page = _page(client, f"/reports/commune/{cid}/tasks")
    assert "Phân công nhiệm vụ năm" in page and "Thêm nhiệm vụ" not in page
    assert client.get(f"/reports/commune/{cid}/tasks/new").status_code == 403
    assert client.get(f"/reports/commune/{cid}/targets").status_code == 403


def test_a_target_over_100_percent_is_refused_and_nothing_is_saved(client: FlaskClient, place) -> None:
    cid, year = place["commune"].id, vietnam.local_today().year
    login(client, place["officer"])
    response = client.post(f"/reports/commune/{cid}/targets?year={year}",
                           data={"t_basic_skills": "120", "t_articles": "40", "t_classes_held": "abc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mục tiêu là tỷ lệ phần trăm: không quá 100 %." in page and "Vui lòng nhập một số" in page
    assert 'aria-describedby="t_basic_skills-hint t_basic_skills-error"' in page
    assert _count(Target) == 0 and _count(TargetChange) == 0  # the valid articles target was not kept either
    response = client.post(f"/reports/commune/{cid}/targets?year={year}",
                           data={"t_basic_skills": "120", "t_articles": "40"})
    assert "không quá 100 %" in response.get_data(as_text=True) and _count(Target) == 0


def test_a_target_change_is_kept_in_the_history_with_who_and_when(client: FlaskClient, place) -> None:
    cid, year = place["commune"].id, vietnam.local_today().year
    login(client, place["officer"])
    assert client.post(f"/reports/commune/{cid}/targets?year={year}",
                       data={"t_basic_skills": "90,5", "t_articles": "40"}).status_code == 302
    assert client.post(f"/reports/commune/{cid}/targets?year={year}",
                       data={"t_basic_skills": "", "t_articles": "40"}).status_code == 302
    targets = {t.indicator: t.value for t in db.session.scalars(select(Target))}
    assert targets == {"articles": 40}  # basic skills emptied: back to the plan
    changes = [(c.indicator, c.old_value, c.new_value) for c in db.session.scalars(select(TargetChange))]
    assert sorted(changes, key=str) == sorted([("basic_skills", None, 90.5), ("articles", None, 40.0),
                                               ("basic_skills", 90.5, None)], key=str)
    page = _page(client, f"/reports/commune/{cid}/targets?year={year}")
    assert "Lịch sử thay đổi" in page and "Đỗ Thị Lan" in page and "90,5" in page
    assert vietnam.local_now().strftime("%d/%m/%Y") in page
    client.post(f"/reports/commune/{cid}/targets?year={year}&village={place['dong'].id}", data={"t_articles": "5"})
    assert db.session.scalar(select(Target.village_id).where(Target.value == 5)) == place["dong"].id


def test_a_population_smaller_than_the_people_known_there_is_refused(client: FlaskClient, place) -> None:
    cid, year = place["commune"].id, vietnam.local_today().year
    login(client, place["officer"])
    response = client.post(f"/reports/commune/{cid}/populations?year={year}", data={
        "village": place["dong"].id, "kind": "adults", "year": year, "value": "2", "source": "Công an xã"})
    assert "nhỏ hơn số người đã có trong hệ thống" in response.get_data(as_text=True)
    assert _count(Denominator) == 0
    response = client.post(f"/reports/commune/{cid}/populations?year={year}", data={
        "village": place["dong"].id, "kind": "adults", "year": year, "value": "1.250",
        "source": "Số liệu dân số của Công an xã 01/2026"})
    assert response.status_code == 302
    page = _page(client, f"/reports/commune/{cid}/populations?year={year}")
    assert "1.250" in page and "Số liệu dân số của Công an xã 01/2026" in page and "Đỗ Thị Lan" in page


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_checks_every_row_first_then_writes_all_rows(client: FlaskClient, place) -> None:
    cid, year = place["commune"].id, vietnam.local_today().year
    login(client, place["officer"])
    good = _xlsx([["Thôn", "Loại", "Năm", "Số lượng", "Nguồn"],
                  ["Thôn Đông", "Người trưởng thành (từ 18 tuổi)", year, 850, "Công an xã 01/2026"],
                  ["Toàn xã", "households", year, "2.140", "Công an xã 01/2026"]])
    response = client.post(f"/reports/commune/{cid}/populations/import?year={year}",
                           data={"file": (io.BytesIO(good), "dan-so.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302 and _count(Denominator) == 0
    page = _page(client, response.headers["Location"])
    assert "Xác nhận nhập 2 số liệu" in page and "Số liệu mới" in page and "2140" in page
    assert _count(Denominator) == 0
    batch = db.session.scalar(select(ImportBatch.id))
    response = client.post(f"/reports/commune/{cid}/populations/import?year={year}",
                           data={"batch": batch, "confirm": "1"})
    assert response.status_code == 302
    assert {(d.village_id, d.kind, d.value) for d in db.session.scalars(select(Denominator))} == {
        (place["dong"].id, "adults", 850), (None, "households", 2140)}
    assert "Đã nhập số liệu dân số" in _page(client, response.headers["Location"])


def test_an_import_with_a_bad_row_names_it_and_cannot_be_confirmed(client: FlaskClient, place) -> None:
    cid, year = place["commune"].id, vietnam.local_today().year
    login(client, place["officer"])
    text = (f"Thôn,Loại,Năm,Số lượng,Nguồn\nThôn Đông,Hộ gia đình,{year},300,CA\nThôn Bắc,Hộ gia đình,{year},30,CA\n"
            f"Thôn Đông,Người trưởng thành (từ 18 tuổi),{year},1,CA\n")
    response = client.post(f"/reports/commune/{cid}/populations/import",
                           data={"file": (io.BytesIO(text.encode()), "ds.csv")}, content_type="multipart/form-data")
    page = _page(client, response.headers["Location"])
    assert "Dòng 3: thôn “Thôn Bắc” chưa có trong xã" in page
    assert "Dòng 4: Số người trưởng thành (từ 18 tuổi) (1) nhỏ hơn" in page and "Xác nhận nhập" not in page
    batch = db.session.scalar(select(ImportBatch.id))
    response = client.post(f"/reports/commune/{cid}/populations/import", data={"batch": batch, "confirm": "1"})
    assert response.status_code == 302 and _count(Denominator) == 0
    assert "chưa nhập dòng nào" in _page(client, response.headers["Location"])


@pytest.mark.parametrize(("name", "data", "message"), [
    ("ds.csv", "Thôn,Loại,Năm,Số lượng\nThôn Đông,Hộ,2026,5\n".encode("cp1258", errors="replace"), "UTF-8"),
    ("ds.csv", b"", "không có dữ liệu"),
    ("ds.xlsx", b"PK\x03\x04 not a zip", "không phải tệp Excel"),
    ("ds.csv", "Tên,Tuổi\nAn,3\n".encode(), "thiếu cột"),
    ("ds.txt", b"hello", "Chỉ nhận tệp .csv hoặc .xlsx"),
])
def test_a_malformed_file_gets_a_message_not_an_error(client: FlaskClient, place, name, data, message) -> None:
    login(client, place["officer"])
    response = client.post(f"/reports/commune/{place['commune'].id}/populations/import",
                           data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _count(Denominator) == 0 and _count(ImportBatch) == 0


def test_a_figure_for_a_quarter_not_begun_is_refused(client: FlaskClient, place) -> None:
    cid, today = place["commune"].id, vietnam.local_today()
    login(client, place["officer"])
    future = f"{today.year + 1}-Q1"
    response = client.post(f"/reports/commune/{cid}/entries?period={future}", data={"v_articles": "3"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("chưa bắt đầu: chưa thể nhập số liệu") == 2  # the refusal, the notice
    assert _count(ManualFigure) == 0
    response = client.post(f"/reports/commune/{cid}/entries?period={today.year}&village={place['dong'].id}",
                           data={"v_articles": "12", "n_articles": "Bản tin đài truyền thanh", "v_influencers": "x"})
    assert "số nguyên không âm" in response.get_data(as_text=True) and _count(ManualFigure) == 0
    response = client.post(f"/reports/commune/{cid}/entries?period={today.year}&village={place['dong'].id}",
                           data={"v_articles": "12", "n_articles": "Bản tin đài truyền thanh"})
    assert response.status_code == 302
    figure = db.session.scalar(select(ManualFigure))
    assert (figure.value, figure.village_id, figure.quarter, figure.note) == (12, place["dong"].id, 0,
                                                                                "Bản tin đài truyền thanh")
    page = _page(client, f"/reports/commune/{cid}/entries?period={today.year}&village={place['dong'].id}")
    assert "Bản tin đài truyền thanh" in page and "Đỗ Thị Lan" in page
    assert "không hợp lệ" in _page(client, f"/reports/commune/{cid}/entries?period=quy-ba")


def test_a_task_past_its_deadline_is_marked_late(client: FlaskClient, place) -> None:
    cid, today = place["commune"].id, vietnam.local_today()
    login(client, place["officer"])
    response = client.post(f"/reports/commune/{cid}/tasks/new?year={today.year}", data={
        "title": "Mở lớp phổ cập kỹ năng số cho người cao tuổi", "responsible": "Hội Người cao tuổi",
        "deadline": (today - dt.timedelta(days=3)).isoformat(), "deadline_text": "", "status": "in_progress",
        "result": ""})
    assert response.status_code == 302
    client.post(f"/reports/commune/{cid}/tasks/new?year={today.year}", data={
        "title": "Tuyên truyền trên loa truyền thanh", "responsible": "Đoàn Thanh niên",
        "deadline_text": "Thường xuyên", "status": "not_started"})
    assert client.post(f"/reports/commune/{cid}/tasks/new", data={"title": " ", "status": "done"}).status_code == 200
    page = _page(client, f"/reports/commune/{cid}/tasks?year={today.year}")
    assert page.count("Quá hạn") == 1 and "Thường xuyên" in page and 'class="bad"' in page
    task = db.session.scalar(select(Task).where(Task.responsible == "Hội Người cao tuổi"))
    assert "Mở lớp phổ cập" in _page(client, f"/reports/tasks/{task.id}")
    client.post(f"/reports/tasks/{task.id}", data={"title": task.title, "responsible": task.responsible,
                                                    "deadline": task.deadline.isoformat(), "status": "done",
                                                    "result": "3 lớp, 75 người"})
    assert "Quá hạn" not in _page(client, f"/reports/commune/{cid}/tasks?year={today.year}")


def test_settings_are_checked_then_saved(client: FlaskClient, place) -> None:
    cid = place["commune"].id
    login(client, place["officer"])
    fields = {"unit_year_deadline": "02-30", "commune_year_deadline": "12-10", "quarter_days": "5",
              "recipient": "Ban Chỉ đạo thành phố", "plan_reference": "", "signer_lines": "", "signer_name": ""}
    page = client.post(f"/reports/commune/{cid}/settings", data=fields).get_data(as_text=True)
    assert "tháng-ngày có thật" in page and _count(ReportSettings) == 0
    page = client.post(f"/reports/commune/{cid}/settings", data={**fields, "unit_year_deadline": "12-05",
                                                                 "quarter_days": "61"}).get_data(as_text=True)
    assert "từ 0 đến 60" in page and _count(ReportSettings) == 0
    response = client.post(f"/reports/commune/{cid}/settings", data={
        **fields, "unit_year_deadline": "12-5", "signer_lines": "TM. ỦY BAN NHÂN DÂN\r\n\r\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Quang"})
    assert response.status_code == 302
    saved = services.settings_for(cid)
    assert (saved.unit_year_deadline, saved.quarter_days) == ("12-05", 5)
    assert saved.signer_lines == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"


def test_a_settings_form_sent_without_its_number_field_is_refused_with_a_message(client: FlaskClient,
                                                                                 place) -> None:
    cid = place["commune"].id
    login(client, place["officer"])
    fields = {"unit_year_deadline": "12-05", "commune_year_deadline": "12-10", "recipient": "Ban Chỉ đạo thành phố",
              "plan_reference": "", "signer_lines": "", "signer_name": ""}
    page = client.post(f"/reports/commune/{cid}/settings", data=fields)  # "quarter_days" not sent at all (a forgery)
    assert page.status_code == 200 and "Vui lòng nhập một số." in page.get_data(as_text=True)
    assert _count(ReportSettings) == 0


@pytest.mark.parametrize(("text", "ok"), [("12-05", True), ("2-28", True), ("02-29", False), ("13-01", False),
                                          ("12/05", False), ("", False)])
def test_a_deadline_must_be_a_day_every_year_has(ctx: Flask, place, text: str, ok: bool) -> None:
    from app.errors import DomainError

    fields = SettingsFields(text, "12-10", 5, "", "", "", "")
    if ok:
        assert save_settings(place["commune"], fields, place["officer"]).unit_year_deadline[2] == "-"
    else:
        with pytest.raises(DomainError):
            save_settings(place["commune"], fields, place["officer"])


def test_units_are_added_for_every_village_then_stopped_and_resumed(client: FlaskClient, place) -> None:
    cid = place["commune"].id
    login(client, place["officer"])
    assert client.post(f"/reports/commune/{cid}/units", data={"action": "add", "name": "Đoàn Thanh niên xã",
                                                              "village": ""}).status_code == 302
    page = client.post(f"/reports/commune/{cid}/units", data={"action": "add", "name": "đoàn thanh niên  xã"})
    assert "Đã có đơn vị" in page.get_data(as_text=True)
    assert client.post(f"/reports/commune/{cid}/units", data={"action": "villages"}).status_code == 302
    assert client.post(f"/reports/commune/{cid}/units", data={"action": "villages"}).status_code == 302
    names = {u.name: u for u in db.session.scalars(select(ReportingUnit))}
    assert set(names) == {"Đoàn Thanh niên xã", "Thôn Đông", "Thôn Tây"}
    assert names["Thôn Đông"].village_id == place["dong"].id
    unit = names["Đoàn Thanh niên xã"].id
    client.post(f"/reports/commune/{cid}/units", data={"action": "deactivate", "unit_id": unit})
    assert db.session.get(ReportingUnit, unit).active is False
    assert "Đã ngừng" in _page(client, f"/reports/commune/{cid}/units")
    client.post(f"/reports/commune/{cid}/units", data={"action": "reactivate", "unit_id": unit})
    db.session.expire_all()
    assert db.session.get(ReportingUnit, unit).active is True
    other = factories.commune(factories.COMMUNE_CODES[1])
    db.session.commit()
    assert client.get(f"/reports/commune/{other.id}/units").status_code == 403
