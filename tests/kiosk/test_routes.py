"""Kiosk mode: a tablet serves one class; learners pick their name and enter their PIN; nothing stays behind."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app import vietnam
from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db
from app.kiosk import services
from app.policy import Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def setup(curriculum):
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,), modules=(catalog.module_by_code("NCT-06"),))
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    binh = factories.person(commune, name="Trần Văn Bình")
    outsider = factories.person(commune, name="Ngô Văn Sáu")
    for learner in (huong, binh):
        enrolment.enrol(klass, learner, source="staff")
    db.session.commit()
    return {"class": klass, "instructor": instructor, "huong": huong, "binh": binh, "outsider": outsider}


def _start(client: FlaskClient, setup) -> None:
    login(client, setup["instructor"])
    response = client.post(f"/classes/{setup['class'].id}/kiosk/start")
    assert response.status_code == 302 and response.location.endswith("/kiosk")


def test_starting_kiosk_mode_signs_the_instructor_out_and_lists_the_class(client: FlaskClient, setup) -> None:
    _start(client, setup)
    html = client.get("/kiosk").get_data(as_text=True)
    assert "Chọn tên của bạn" in html and "Nguyễn Thị Hương" in html and "Trần Văn Bình" in html
    assert "Ngô Văn Sáu" not in html and "Nguyễn Văn Hùng" not in html
    assert client.get("/people/1").status_code == 302  # nobody is signed in any more


def test_a_learner_signs_in_with_pin_and_leaves_with_xong(client: FlaskClient, setup) -> None:
    _start(client, setup)
    wrong = client.post(f"/kiosk/learners/{setup['huong'].id}", data={"pin": "111112"})
    assert "Mã PIN chưa đúng" in wrong.get_data(as_text=True)
    right = client.post(f"/kiosk/learners/{setup['huong'].id}", data={"pin": factories.PIN})
    assert right.location.endswith("/kiosk/me")
    page = client.get("/kiosk/me").get_data(as_text=True)
    assert "Xin chào, Nguyễn Thị Hương" in page and "data-kiosk" in page and "Nhận biết lừa đảo" in page
    client.post("/kiosk/done")
    after = client.get("/kiosk").get_data(as_text=True)
    assert "Xin chào" not in after and "Chọn tên của bạn" in after
    assert client.get("/kiosk/me").status_code == 302


def test_only_learners_of_the_class_sign_in_on_its_tablet(client: FlaskClient, setup) -> None:
    _start(client, setup)
    response = client.post(f"/kiosk/learners/{setup['outsider'].id}", data={"pin": factories.PIN})
    assert response.location.endswith("/kiosk")
    assert client.get("/kiosk/me").status_code == 302


def test_a_printed_card_leads_to_that_learners_pin_pad(client: FlaskClient, setup, app) -> None:
    token = services.card_token(setup["binh"], app.config["SECRET_KEY"])
    _start(client, setup)
    response = client.get(f"/kiosk/card/{token}")
    assert response.location.endswith(f"/kiosk/learners/{setup['binh'].id}")
    assert client.get("/kiosk/card/forged-token").location.endswith("/kiosk")


def test_without_kiosk_mode_the_kiosk_pages_explain_how_to_start(client: FlaskClient, setup) -> None:
    page = client.get("/kiosk")
    assert page.status_code == 404 and "Máy dùng chung chưa được bật" in page.get_data(as_text=True)
    assert client.post(f"/kiosk/learners/{setup['huong'].id}", data={"pin": factories.PIN}).location.endswith("/kiosk")


def test_a_forged_or_stale_kiosk_cookie_is_ignored(app, setup) -> None:
    assert services.read_kiosk("forged", app.config["SECRET_KEY"]) is None
    token = services.kiosk_token(setup["class"], setup["instructor"], app.config["SECRET_KEY"])
    assert services.read_kiosk(token, "another-secret") is None
    assert services.read_kiosk(token, app.config["SECRET_KEY"]).class_id == setup["class"].id


def test_staff_print_a_sign_in_card_with_a_qr_code(client: FlaskClient, setup) -> None:
    login(client, setup["instructor"])
    html = client.get(f"/people/{setup['huong'].id}/card").get_data(as_text=True)
    assert "<svg" in html and "Nguyễn Thị Hương" in html and "<?xml" not in html


def _learner_in(client: FlaskClient, setup, who: str = "huong") -> None:
    _start(client, setup)
    response = client.post(f"/kiosk/learners/{setup[who].id}", data={"pin": factories.PIN})
    assert response.location.endswith("/kiosk/me")


def test_the_class_list_is_sorted_by_given_name_as_vietnamese_lists_are_read(client: FlaskClient, setup) -> None:
    for name in ("Phạm Văn Đức", "Lê Thị Ánh", "Đỗ Văn Dũng", "Hoàng Văn An", "Vũ Thị Ân", "Bùi Thị Hương"):
        enrolment.enrol(setup["class"], factories.person(setup["class"].commune, name=name), source="staff")
    db.session.commit()
    _start(client, setup)
    html = client.get("/kiosk").get_data(as_text=True)
    order = ["Hoàng Văn An", "Lê Thị Ánh", "Vũ Thị Ân", "Trần Văn Bình", "Đỗ Văn Dũng", "Phạm Văn Đức",
             "Bùi Thị Hương", "Nguyễn Thị Hương"]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)
    # The tile's initial is the given name's, the letter the list is sorted by.
    assert '<span class="initial" aria-hidden="true">Đ</span>' in html


def test_leaving_kiosk_mode_without_a_staff_secret_is_refused(client: FlaskClient, setup) -> None:
    from sqlalchemy import select

    from app.auth.models import SignInGuard

    _start(client, setup)
    form = client.get("/kiosk/stop").get_data(as_text=True)
    assert "Số điện thoại của cán bộ hoặc người hướng dẫn" in form
    empty = client.post("/kiosk/stop", data={})
    assert empty.status_code == 200 and "Vui lòng nhập mật khẩu hoặc mã PIN." in empty.get_data(as_text=True)
    wrong = client.post("/kiosk/stop", data={"phone": setup["instructor"].phone, "secret": "sai-mat-khau"})
    assert "Số điện thoại hoặc mật khẩu/mã PIN chưa đúng." in wrong.get_data(as_text=True)
    # A learner knows her own PIN, but is not staff: the tablet stays a kiosk.
    learner = client.post("/kiosk/stop", data={"phone": setup["huong"].phone, "secret": factories.PIN})
    assert "Chỉ cán bộ xã hoặc người hướng dẫn của xã này" in learner.get_data(as_text=True)
    assert client.get("/kiosk").status_code == 200
    # The wrong secret counted against the instructor's sign-in lock.
    guard = db.session.scalar(select(SignInGuard).where(SignInGuard.key == f"person:{setup['instructor'].id}"))
    assert guard is not None and guard.failures == 1


def test_a_staff_members_pin_leaves_kiosk_mode(client: FlaskClient, setup) -> None:
    _start(client, setup)
    response = client.post("/kiosk/stop", data={"phone": setup["instructor"].phone, "secret": factories.PIN})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert "hvs_kiosk=;" in response.headers.get("Set-Cookie", "")
    assert client.get("/kiosk").status_code == 404


def test_wrong_staff_secrets_lock_the_account_as_signing_in_does(client: FlaskClient, setup) -> None:
    _start(client, setup)
    for _ in range(5):
        client.post("/kiosk/stop", data={"phone": setup["instructor"].phone, "secret": "sai-mat-khau"})
    locked = client.post("/kiosk/stop", data={"phone": setup["instructor"].phone, "secret": factories.PASSWORD})
    assert "Đã nhập sai nhiều lần" in locked.get_data(as_text=True)
    assert client.get("/kiosk").status_code == 200


def test_staff_of_another_commune_cannot_leave_the_kiosk(client: FlaskClient, setup) -> None:
    other = factories.person(factories.commune(factories.COMMUNE_CODES[1]), name="Lý Văn Khách", role=Role.OFFICER)
    db.session.commit()
    _start(client, setup)
    response = client.post("/kiosk/stop", data={"phone": other.phone, "secret": factories.PASSWORD})
    assert "Chỉ cán bộ xã hoặc người hướng dẫn của xã này" in response.get_data(as_text=True)
    assert client.get("/kiosk").status_code == 200


def test_an_officer_of_the_commune_may_leave_with_a_password(client: FlaskClient, setup) -> None:
    officer = factories.person(setup["class"].commune, name="Phan Thị Cán", role=Role.OFFICER)
    db.session.commit()
    _start(client, setup)
    response = client.post("/kiosk/stop", data={"phone": officer.phone, "secret": factories.PASSWORD})
    assert response.location.endswith("/login")


def test_one_tap_check_in_during_a_session_records_the_mark(client: FlaskClient, setup) -> None:
    from sqlalchemy import select

    from app.attendance.models import AttendanceMark

    session = factories.session_now(setup["class"], started_minutes_ago=5)
    db.session.commit()
    _learner_in(client, setup)
    page = client.get("/kiosk/me").get_data(as_text=True)
    assert "Tôi có mặt" in page and "Điểm danh vào lớp" not in page
    response = client.post("/kiosk/checkin", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Đã điểm danh: bạn có mặt" in html and "Bạn đã điểm danh: Có mặt" in html and "Tôi có mặt" not in html
    mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.session_id == session.id))
    assert mark.status == "present" and mark.marked_by_id == setup["huong"].id
    again = client.post("/kiosk/checkin", follow_redirects=True).get_data(as_text=True)
    assert "Bạn đã điểm danh buổi học này rồi" in again


def test_checking_in_late_is_recorded_as_late(client: FlaskClient, setup) -> None:
    from sqlalchemy import select

    from app.attendance.models import AttendanceMark

    factories.session_now(setup["class"], started_minutes_ago=40)
    db.session.commit()
    _learner_in(client, setup)
    html = client.post("/kiosk/checkin", follow_redirects=True).get_data(as_text=True)
    assert "bạn đến muộn" in html
    assert db.session.scalar(select(AttendanceMark.status)) == "late"


def test_without_a_session_open_there_is_no_check_in_and_a_forced_one_is_refused(client: FlaskClient, setup) -> None:
    from sqlalchemy import func, select

    from app.attendance.models import AttendanceMark

    _learner_in(client, setup)
    assert "Tôi có mặt" not in client.get("/kiosk/me").get_data(as_text=True)
    html = client.post("/kiosk/checkin", follow_redirects=True).get_data(as_text=True)
    assert "Bây giờ lớp không có buổi học nào đang mở điểm danh." in html
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0


def test_a_session_later_today_says_when_check_in_opens(client: FlaskClient, setup, monkeypatch) -> None:
    import datetime as dt

    from app.kiosk import routes as kiosk_routes

    # Morning on the tablet, whatever the hour the tests run: a session at 10:00 is still to come.
    morning = dt.datetime.combine(vietnam.local_today(), dt.time(8, 0), tzinfo=vietnam.VIETNAM)
    monkeypatch.setattr(kiosk_routes, "utcnow", lambda: morning.astimezone(dt.UTC))
    start = dt.time(10, 0)
    factories.class_session(setup["class"], on=morning.date(), start=start, end=dt.time(10, 30))
    db.session.commit()
    _learner_in(client, setup)
    html = client.get("/kiosk/me").get_data(as_text=True)
    assert "Điểm danh mở lúc 09:45." in html and "Tôi có mặt" not in html


def test_check_in_needs_the_kiosk(client: FlaskClient, setup) -> None:
    factories.session_now(setup["class"])
    db.session.commit()
    login(client, setup["huong"])
    assert client.post("/kiosk/checkin").location.endswith("/")


def test_the_kiosk_bar_carries_the_communes_idle_times(client: FlaskClient, setup) -> None:
    _learner_in(client, setup)
    html = client.get("/kiosk/me").get_data(as_text=True)
    assert 'data-idle="120"' in html and 'data-idle-lesson="300"' in html
    assert 'data-countdown="30"' in html and 'data-countdown-lesson="30"' in html
    assert "Tôi vẫn đang học" in html and 'role="alertdialog"' in html
    from app.kiosk import settings

    settings.save_seconds(setup["class"].commune, 8, 4, actor=None)
    db.session.commit()
    html = client.get("/kiosk/me").get_data(as_text=True)
    assert 'data-idle="4"' in html and 'data-idle-lesson="8"' in html and 'data-countdown-lesson="4"' in html


def test_pages_say_when_they_show_a_lesson(client: FlaskClient, setup) -> None:
    _learner_in(client, setup)
    module = client.get("/catalog/modules/NCT-06").get_data(as_text=True)
    assert "data-kiosk-activity" not in module
    lesson_path = next(part.split('"')[0] for part in module.split('href="')[1:] if "/lessons/" in part)
    assert 'data-kiosk-activity="lesson"' in client.get(lesson_path).get_data(as_text=True)


def test_an_officer_sets_the_communes_idle_times_in_minutes(client: FlaskClient, setup) -> None:
    officer = factories.person(setup["class"].commune, name="Phan Thị Cán", role=Role.OFFICER)
    db.session.commit()
    login(client, officer)
    commune_id = setup["class"].commune_id
    page = client.get(f"/communes/{commune_id}/kiosk/settings").get_data(as_text=True)
    assert 'value="5"' in page and 'value="2"' in page
    for bad in ({"lesson_minutes": "0", "other_minutes": "2"}, {"lesson_minutes": "61", "other_minutes": "2"},
                {"lesson_minutes": "abc", "other_minutes": "2"}, {"lesson_minutes": "5"}):
        refused = client.post(f"/communes/{commune_id}/kiosk/settings", data=bad)
        assert refused.status_code == 200 and "Vui lòng sửa các mục sau" in refused.get_data(as_text=True)
    from app.kiosk import settings

    assert settings.idle_times(commune_id) == settings.defaults()
    saved = client.post(f"/communes/{commune_id}/kiosk/settings", data={"lesson_minutes": "8", "other_minutes": "3"})
    assert saved.status_code == 302
    assert settings.idle_times(commune_id) == settings.IdleTimes(480, 180)
    show = client.get(f"/classes/{setup['class'].id}").get_data(as_text=True)
    assert "sau 8 phút không chạm" in show and "Đổi thời gian tự đăng xuất" in show


def test_the_class_page_starts_the_kiosk_for_staff_who_teach_it(client: FlaskClient, setup) -> None:
    login(client, setup["instructor"])
    html = client.get(f"/classes/{setup['class'].id}").get_data(as_text=True)
    assert f'action="/classes/{setup["class"].id}/kiosk/start"' in html
    assert "Dùng máy này cho cả lớp (máy dùng chung)" in html and "Đổi thời gian tự đăng xuất" not in html
    login(client, setup["huong"])
    assert "kiosk/start" not in client.get(f"/classes/{setup['class'].id}").get_data(as_text=True)


def test_the_kiosk_bar_reads_the_idle_times_once_in_one_query_and_other_browsers_read_nothing(app, setup) -> None:
    from sqlalchemy import event

    from app.kiosk import routes, settings

    ran: list[str] = []
    listen = lambda *args: ran.append(args[2])  # noqa: E731
    token = services.kiosk_token(setup["class"], setup["instructor"], app.config["SECRET_KEY"])
    commune, class_id = setup["class"].commune, setup["class"].id
    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with app.test_request_context("/"):
            app.preprocess_request()
            ran.clear()
            context = routes.kiosk_context()
            assert context["kiosk_mode"] is None and context["kiosk_idle"] is None and not ran
        with app.test_request_context("/", headers={"Cookie": f"{routes.COOKIE}={token}"}):
            app.preprocess_request()
            ran.clear()
            first, again = routes.kiosk_context(), routes.kiosk_context()
            assert first["kiosk_mode"].class_id == class_id and len(ran) == 1
            assert first["kiosk_idle"] == again["kiosk_idle"] == {"lesson": 300, "other": 120, "lesson_countdown": 30,
                                                                  "countdown": 30}
        settings.save_seconds(commune, 8, 4, actor=None)
        db.session.commit()
        with app.test_request_context("/", headers={"Cookie": f"{routes.COOKIE}={token}"}):
            app.preprocess_request()
            assert routes.kiosk_context()["kiosk_idle"] == {"lesson": 8, "other": 4, "lesson_countdown": 4,
                                                            "countdown": 2}
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
