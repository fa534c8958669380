"""Class pages: who may run a class, enrolling (self, walk-in, search), schedules, the commune view and export."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import vietnam
from app.classes import calendar, enrolment, services, sessions
from app.classes.models import Enrolment, SessionChange
from app.extensions import db
from app.people import services as people
from app.people.models import Person
from app.policy import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def world(ctx):
    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    trung = factories.village(commune, "Thôn Trung Hòa")
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", in_village=dong)
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    lan = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    huong = factories.person(commune, name="Nguyễn Thị Hương", village=dong)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh – thôn Đông", at=hall, capacity=3,
                                   instructors=(hung,))
    session = sessions.add_session(klass, on=klass.starts_on, start=dt.time(8), end=dt.time(10), venue=hall)
    db.session.commit()
    return {"commune": commune, "dong": dong, "trung": trung, "hall": hall, "hung": hung, "mai": mai, "lan": lan,
            "huong": huong, "class": klass, "session": session}


def test_only_instructors_assigned_to_the_class_may_run_it(client: FlaskClient, world) -> None:
    klass, session = world["class"], world["session"]
    pages = [f"/classes/{klass.id}/roster", f"/classes/{klass.id}/sessions/new", f"/classes/{klass.id}/sessions/series",
             f"/sessions/{session.id}/edit", f"/classes/{klass.id}/calendar"]
    login(client, world["mai"])  # an instructor of the same commune, not assigned to this class
    assert [client.get(url).status_code for url in pages] == [403] * len(pages)
    assert client.post(f"/classes/{klass.id}/enrol", data={"person_id": world["huong"].id}).status_code == 403
    assert client.post(f"/sessions/{session.id}/cancel").status_code == 403
    assert client.get(f"/classes/{klass.id}").status_code == 200  # …but sees the class page like anyone
    login(client, world["hung"])  # the assigned instructor
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)
    assert client.get(f"/classes/{klass.id}/edit").status_code == 403  # changing the class is for the office
    assert client.get(f"/instructors/{world['mai'].id}/calendar").status_code == 403  # someone else's calendar
    assert client.get(f"/instructors/{world['hung'].id}/calendar").status_code == 200


def test_a_learner_enrols_from_the_class_page_after_ticking_consent(client: FlaskClient, world) -> None:
    klass = world["class"]
    learner = factories.person(world["commune"], name="Bùi Thị Lành", consent=False)
    db.session.commit()
    login(client, learner)
    page = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "Đăng ký học" in page and "Tôi đồng ý cho xã xử lý" in page
    response = client.post(f"/classes/{klass.id}/join", data={}, follow_redirects=True)
    assert "đánh dấu ô đồng ý" in response.get_data(as_text=True)
    assert enrolment.enrolment_of(klass, learner) is None
    response = client.post(f"/classes/{klass.id}/join", data={"consent": "y"}, follow_redirects=True)
    assert "Bạn đã ghi danh vào lớp" in response.get_data(as_text=True)
    assert people.active_consent(learner, "learning").method == "online"
    row = enrolment.enrolment_of(klass, learner)
    response = client.post(f"/enrolments/{row.id}/withdraw", data={"confirm": "yes"}, follow_redirects=True)
    assert "Bạn đã rút khỏi lớp" in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.status == "withdrawn"


def test_a_full_class_puts_a_learner_on_the_waiting_list_and_says_where(client: FlaskClient, world) -> None:
    klass = world["class"]
    for name in ("A Văn Một", "B Văn Hai", "C Văn Ba"):
        enrolment.enrol(klass, factories.person(world["commune"], name=name), source="staff")
    db.session.commit()
    login(client, world["huong"])
    assert "Lớp đã đủ chỗ" in client.get(f"/classes/{klass.id}").get_data(as_text=True)
    response = client.post(f"/classes/{klass.id}/join", data={}, follow_redirects=True)
    assert "Bạn đứng thứ 1 trong danh sách chờ" in response.get_data(as_text=True)


def test_a_walk_in_is_created_and_enrolled_in_one_post(client: FlaskClient, world) -> None:
    klass, dong = world["class"], world["dong"]
    login(client, world["hung"])
    response = client.post(f"/classes/{klass.id}/walk-in", data={"full_name": "Bùi Thị Lành", "birth_year": "1951",
                                                                  "village_id": dong.id, "consent_method": "verbal"})
    assert response.status_code == 400 and "Cần có sự đồng ý của người học" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.full_name == "Bùi Thị Lành")) == 0
    response = client.post(f"/classes/{klass.id}/walk-in", data={
        "full_name": "Bùi Thị Lành", "birth_year": "1951", "village_id": dong.id, "consent": "y",
        "consent_method": "verbal"}, follow_redirects=True)
    assert "Đã ghi danh Bùi Thị Lành." in response.get_data(as_text=True)
    person = db.session.scalars(select(Person).where(Person.full_name == "Bùi Thị Lành")).one()
    assert person.birth_year == 1951 and person.village_id == dong.id
    assert enrolment.enrolment_of(klass, person).source == "walk_in"


def test_the_roster_search_finds_people_without_diacritics_or_by_phone(client: FlaskClient, world) -> None:
    klass, huong = world["class"], world["huong"]
    login(client, world["hung"])
    html = client.get(f"/classes/{klass.id}/roster?q=nguyen thi huong&partial=results").get_data(as_text=True)
    assert "Nguyễn Thị Hương" in html and "Ghi danh" in html and "<html" not in html
    html = client.get(f"/classes/{klass.id}/roster?q={huong.phone[-6:]}&partial=results").get_data(as_text=True)
    assert "Nguyễn Thị Hương" in html
    page = client.get(f"/classes/{klass.id}/roster?q=bui thi lanh").get_data(as_text=True)
    assert "Không tìm thấy ai" in page and 'value="bui thi lanh"' in page  # the name moves to the newcomer form


def test_enrolling_someone_found_needs_a_consent_tick_only_when_none_is_on_record(client: FlaskClient, world) -> None:
    klass = world["class"]
    unsure = factories.person(world["commune"], name="Đặng Văn Tư", consent=False)
    db.session.commit()
    login(client, world["hung"])
    html = client.get(f"/classes/{klass.id}/roster?q=dang van tu&partial=results").get_data(as_text=True)
    assert "Đã đồng ý (bằng lời)" in html
    response = client.post(f"/classes/{klass.id}/enrol", data={"person_id": unsure.id}, follow_redirects=True)
    assert "Cần có sự đồng ý xử lý dữ liệu của Đặng Văn Tư" in response.get_data(as_text=True)
    response = client.post(f"/classes/{klass.id}/enrol", data={"person_id": unsure.id, "consent": "y",
                                                                "consent_method": "verbal"}, follow_redirects=True)
    assert "Đã ghi danh Đặng Văn Tư." in response.get_data(as_text=True)
    assert people.active_consent(unsure, "learning").recorded_by_id == world["hung"].id


def test_moving_a_session_shows_learners_the_change(client: FlaskClient, world) -> None:
    klass, session, huong = world["class"], world["session"], world["huong"]
    enrolment.enrol(klass, huong, source="staff")
    db.session.commit()
    login(client, world["hung"])
    new_day = session.date + dt.timedelta(days=1)
    response = client.post(f"/sessions/{session.id}/edit", data={
        "date": new_day.isoformat(), "start_time": "14:00", "end_time": "16:00", "venue_id": world["hall"].id,
        "module_id": 0, "topic": "", "reason": "Trùng lịch họp thôn"}, follow_redirects=True)
    assert "Đã đổi lịch buổi học" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SessionChange)) == 1
    login(client, huong)
    home = client.get("/").get_data(as_text=True)
    assert "Lớp của tôi" in home and "đã dời sang 14:00–16:00 ngày" in home and "Trùng lịch họp thôn" in home


def test_an_impossible_session_is_refused_with_a_clear_message(client: FlaskClient, world) -> None:
    klass = world["class"]
    login(client, world["hung"])
    response = client.post(f"/classes/{klass.id}/sessions/new", data={
        "date": klass.starts_on.isoformat(), "start_time": "10:00", "end_time": "09:00",
        "venue_id": world["hall"].id, "module_id": 0})
    assert "Giờ kết thúc (09:00) phải sau giờ bắt đầu (10:00)." in response.get_data(as_text=True)


def test_the_series_page_names_every_clashing_date(client: FlaskClient, world) -> None:
    klass, hall = world["class"], world["hall"]
    other = factories.school_class(world["commune"], title="Lớp 4T", at=hall, instructors=(world["mai"],))
    sessions.add_session(other, on=klass.starts_on + dt.timedelta(weeks=1), start=dt.time(8), end=dt.time(10),
                         venue=hall)
    db.session.commit()
    login(client, world["hung"])
    data = {"first_date": klass.starts_on.isoformat(), "weekday": klass.starts_on.weekday(), "start_time": "08:00",
            "end_time": "10:00", "weeks": 3, "venue_id": hall.id}
    html = client.post(f"/classes/{klass.id}/sessions/series", data=data).get_data(as_text=True)
    assert "Chưa tạo buổi nào" in html and "đã có lớp &#34;Lớp 4T&#34;" in html
    assert "Lớp đã có một buổi học khác" in html  # the first week is already taken by this class's own session
    response = client.post(f"/classes/{klass.id}/sessions/series", data={**data, "skip_conflicts": "y"},
                           follow_redirects=True)
    assert "Đã tạo 1 buổi học." in response.get_data(as_text=True)


def test_capacity_cannot_drop_below_the_enrolled(client: FlaskClient, world) -> None:
    klass = world["class"]
    for name in ("A Văn Một", "B Văn Hai"):
        enrolment.enrol(klass, factories.person(world["commune"], name=name), source="staff")
    db.session.commit()
    login(client, world["lan"])
    response = client.post(f"/classes/{klass.id}/edit", data={
        "title": klass.title, "audience": "elderly", "venue_id": world["hall"].id, "capacity": 1,
        "starts_on": klass.starts_on.isoformat(), "ends_on": klass.ends_on.isoformat(),
        "instructors": [world["hung"].id]})
    assert "Lớp đã có 2 học viên ghi danh nên không thể giảm sức chứa xuống 1" in response.get_data(as_text=True)


def test_an_officer_creates_a_class_and_opens_it(client: FlaskClient, world) -> None:
    login(client, world["lan"])
    start = vietnam.local_today() + dt.timedelta(days=3)
    response = client.post(f"/communes/{world['commune'].id}/classes/new", data={
        "title": "Lớp kỹ năng số cho tiểu thương", "audience": "trader", "venue_id": world["hall"].id,
        "capacity": 20, "starts_on": start.isoformat(), "ends_on": (start + dt.timedelta(weeks=4)).isoformat(),
        "instructors": [world["mai"].id], "assistants": [world["hung"].id], "sign_language": "y"},
        follow_redirects=True)
    assert "Đã tạo lớp" in response.get_data(as_text=True)
    klass = db.session.scalars(select(type(world["class"])).where(
        type(world["class"]).title == "Lớp kỹ năng số cho tiểu thương")).one()
    assert klass.sign_language and klass.status == "planned"
    assert {p.full_name for p in klass.instructors} == {"Trần Thị Mai"}
    assert {p.full_name for p in klass.assistants} == {"Nguyễn Văn Hùng"}
    response = client.post(f"/classes/{klass.id}/status", data={"status": "open"}, follow_redirects=True)
    assert "Đang nhận đăng ký" in response.get_data(as_text=True)


def test_the_commune_view_filters_and_exports_with_the_commune_and_date_in_the_name(client: FlaskClient,
                                                                                    world) -> None:
    commune = world["commune"]
    factories.school_class(commune, title="Lớp 4T chợ Trung Hòa", audience="trader", status="planned",
                           at=factories.venue(commune, "Nhà văn hóa thôn Trung Hòa", in_village=world["trung"]))
    enrolment.enrol(world["class"], world["huong"], source="staff")
    db.session.commit()
    login(client, world["lan"])
    page = client.get(f"/communes/{commune.id}/classes").get_data(as_text=True)
    assert "Lớp 4T chợ Trung Hòa" in page and "Lớp điện thoại thông minh" in page
    page = client.get(f"/communes/{commune.id}/classes?audience=trader").get_data(as_text=True)
    assert "Lớp 4T chợ Trung Hòa" in page and "Lớp điện thoại thông minh" not in page
    page = client.get(f"/communes/{commune.id}/classes?village={world['dong'].id}").get_data(as_text=True)
    assert "Lớp 4T chợ Trung Hòa" not in page and "Lớp điện thoại thông minh" in page
    response = client.get(f"/communes/{commune.id}/classes/export.csv?status=open")
    assert f"lop-hoc-xa-tien-minh-{vietnam.local_today().isoformat()}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Tên lớp" and len(rows) == 2
    assert rows[1][0] == "Lớp điện thoại thông minh – thôn Đông" and rows[1][3] == "Thôn Đông" and rows[1][11] == "1"
    assert client.get(f"/communes/{commune.id}/classes/export.xlsx").status_code == 200
    login(client, world["hung"])
    assert client.get(f"/communes/{commune.id}/classes/export.csv").status_code == 403


def test_the_notice_board_sheet_shows_a_week_at_a_venue_in_large_print(client: FlaskClient, world) -> None:
    hall, session = world["hall"], world["session"]
    login(client, world["hung"])
    html = client.get(f"/venues/{hall.id}/week?week={session.date.isoformat()}").get_data(as_text=True)
    assert 'class="print-a4"' in html and "Nhà văn hóa thôn Đông" in html and "LỊCH HỌC TUẦN" in html
    assert "Lớp điện thoại thông minh – thôn Đông" in html and "08:00–10:00" in html and 'style="' not in html


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30), "-5", "abc"])
def test_filters_with_an_id_no_row_can_have_are_ignored(client: FlaskClient, world, value: str) -> None:
    commune = world["commune"]
    login(client, world["lan"])
    page = client.get(f"/communes/{commune.id}/classes?village={value}&module={value}")
    assert page.status_code == 200 and "Lớp điện thoại thông minh – thôn Đông" in page.get_data(as_text=True)


@pytest.mark.parametrize("week", ["9999-12-30", "0001-01-01", "2999-01-01", "abc", "2026-02-30", "2026-13-01"])
def test_a_week_that_cannot_be_shown_falls_back_to_this_week_with_a_message(client: FlaskClient, world,
                                                                           week: str) -> None:
    login(client, world["hung"])
    reply = client.get(f"/venues/{world['hall'].id}/week?week={week}")
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "Ngày trong địa chỉ không hợp lệ" in html
    monday = vietnam.local_today() - dt.timedelta(days=vietnam.local_today().weekday())
    assert f"week={(monday + dt.timedelta(days=7)).isoformat()}" in html


def test_staff_create_copy_and_replace_a_calendar_address(client: FlaskClient, world) -> None:
    klass = world["class"]
    login(client, world["hung"])
    assert "Tạo đường dẫn đăng ký lịch" in client.get(f"/classes/{klass.id}/calendar").get_data(as_text=True)
    client.post(f"/classes/{klass.id}/calendar")
    first = calendar.active_feed("class", klass.id)
    html = client.get(f"/classes/{klass.id}/calendar").get_data(as_text=True)
    assert f"/calendar/class/{klass.id}.ics?token={first.token}" in html and "webcal://" in html
    client.post(f"/classes/{klass.id}/calendar", data={"regenerate": "1"})
    db.session.expire_all()
    assert calendar.active_feed("class", klass.id).token != first.token
    assert client.get(f"/calendar/class/{klass.id}.ics?token={first.token}").status_code == 404


def test_the_instructors_home_shows_today_first_with_one_tap_to_the_roster(client: FlaskClient, world) -> None:
    klass = world["class"]
    later = sessions.add_session(klass, on=klass.starts_on + dt.timedelta(days=3), start=dt.time(14),
                                 end=dt.time(16), venue=world["hall"])
    db.session.commit()
    login(client, world["hung"])
    html = client.get("/").get_data(as_text=True)
    assert "Lịch dạy của tôi" in html and html.index("Hôm nay") < html.index("7 ngày tới")
    assert html.count(f'href="/classes/{klass.id}/roster"') == 2 and later.hours in html
    login(client, world["mai"])
    assert "Lịch dạy của tôi" not in client.get("/").get_data(as_text=True)


def test_a_module_page_leads_to_classes_teaching_it(client: FlaskClient, world, curriculum) -> None:
    from app.catalog import services as catalog

    klass = world["class"]
    services.set_modules(klass, [catalog.module_by_code("NCT-01")])
    db.session.commit()
    html = client.get("/catalog/modules/NCT-01").get_data(as_text=True)
    assert "/classes?module=NCT-01" in html
    login(client, world["huong"])
    html = client.get("/classes?module=NCT-01").get_data(as_text=True)
    assert klass.title in html and "Còn 3 chỗ" in html
    assert klass.title not in client.get("/classes?module=NCT-05").get_data(as_text=True)


def test_withdrawal_by_the_instructor_promotes_the_next_in_line(client: FlaskClient, world) -> None:
    klass = world["class"]
    rows = [enrolment.enrol(klass, factories.person(world["commune"], name=n), source="staff")
            for n in ("A Văn Một", "B Văn Hai", "C Văn Ba", "D Văn Bốn")]
    db.session.commit()
    login(client, world["hung"])
    response = client.post(f"/enrolments/{rows[0].id}/withdraw", data={"confirm": "yes"}, follow_redirects=True)
    assert "D Văn Bốn được chuyển từ danh sách chờ vào lớp" in response.get_data(as_text=True)
    assert db.session.get(Enrolment, rows[3].id).status == "enrolled"
