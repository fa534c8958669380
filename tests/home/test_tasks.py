"""Staff homes list what needs doing today and this week, each row a link to where it is done; the menu stays in
the navigation, not on the page. Nothing of another commune shows."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from app.attendance import marks
from app.attendance import panels as attendance_panels
from app.certificates import completion
from app.classes import enrolment, sessions
from app.classes.models import Enrolment
from app.extensions import db, utcnow
from app.policy import Role
from app.vietnam import VIETNAM, local_today
from tests import factories
from tests.conftest import login
from tests.statements import counting

EMPTY = "Không có việc gì cần làm hôm nay."


def _home(client: FlaskClient, person: Any) -> str:
    login(client, person)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _todo(html: str) -> str:
    """The "what needs doing" section of the home page."""
    found = re.search(r'<section class="todo".*?</section>\s*(?=<section class="panel"|<p><a href)', html, re.S)
    return found.group(0) if found else ""


def _other_officer() -> Any:
    other = factories.commune(factories.COMMUNE_CODES[1])
    return factories.person(other, name="Phan Văn Tư", role=Role.OFFICER)


def _row(klass: Any, person: Any) -> Enrolment:
    return db.session.scalars(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                      Enrolment.person_id == person.id)).one()



# --- classes waiting for confirmation (certificates) --------------------------------------------

def test_officer_home_lists_classes_with_learners_waiting_for_confirmation(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    todo = _todo(_home(client, finished["officer"]))
    assert "1 lớp có học viên chờ xác nhận" in todo
    assert f'href="/classes/{klass.id}/completion"' in todo and "2 học viên chờ xác nhận" in todo
    assert EMPTY not in todo


def test_confirmed_classes_leave_the_officer_list(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    completion.confirm(klass, completion.class_standing(klass, completion.rules_for(klass.commune_id)),
                       actor=finished["officer"], now=utcnow())
    db.session.commit()
    html = _home(client, finished["officer"])
    assert "chờ xác nhận" not in html and f"/classes/{klass.id}/completion" not in html


def _class_today(commune: Any) -> Any:
    klass = factories.school_class(commune, title="Lớp học hôm nay",
                                   at=factories.venue(commune, "Nhà văn hóa thôn Bắc"))
    factories.enrol_learners(klass, 1)
    factories.session_now(klass)
    return klass


def test_officer_of_another_commune_sees_nothing_of_this_commune(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    today = _class_today(finished["commune"])
    db.session.commit()
    other = _other_officer()
    db.session.commit()
    html = _home(client, other)
    assert klass.title not in html and f"/classes/{klass.id}" not in html and today.title not in html
    assert EMPTY in _todo(html)
    # the year's figures are the other commune's own: nobody there yet
    assert re.search(r"<dt>Học viên</dt><dd>0</dd>", html)


def test_organisers_see_their_tasks_but_confirmation_stays_with_officers(client: FlaskClient, finished) -> None:
    klass = finished["class"]
    organiser = factories.person(finished["commune"], name="Vũ Minh Quân", role=Role.YOUTH_ORGANISER)
    today = _class_today(finished["commune"])
    db.session.commit()
    html = _home(client, organiser)
    todo = _todo(html)
    assert "Hôm nay có 1 buổi học" in todo and today.title in todo
    assert f"/classes/{klass.id}/completion" not in html
    assert "chờ xác nhận" not in html
    assert 'aria-label="Việc bạn có thể làm"' not in html  # the menu is in the navigation only


# --- sessions today (classes) ------------------------------------------------------------------

def test_officer_home_lists_todays_sessions_with_their_roll_call(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    klass = factories.school_class(commune, title="Lớp Zalo thôn Đông")
    factories.enrol_learners(klass, 2)
    today = factories.session_now(klass)
    # Cancelled, at a time of today the session under way does not take (it starts at 00:00 just after midnight).
    slot = (dt.time(0, 0), dt.time(0, 1)) if today.start_time >= dt.time(0, 2) else (dt.time(23, 58), dt.time(23, 59))
    cancelled = factories.class_session(klass, on=local_today(), start=slot[0], end=slot[1])
    sessions.cancel_session(cancelled, reason="Mưa bão", actor=None)
    db.session.commit()
    todo = _todo(_home(client, officer))
    assert "Hôm nay có 1 buổi học" in todo
    assert f'href="/attendance/sessions/{today.id}"' in todo
    assert f'href="/attendance/sessions/{cancelled.id}"' not in todo
    assert "Lớp Zalo thôn Đông" in todo


def test_nothing_to_do_says_so(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    factories.school_class(commune)
    db.session.commit()
    html = _home(client, officer)
    assert EMPTY in _todo(html)
    assert "Việc cần làm hôm nay và tuần này" in html
    assert 'class="tile"' not in html  # no menu tiles on a staff home
    assert 'aria-label="Menu chính"' in html  # the menu is still one tap away


# --- marks still waiting (attendance) ------------------------------------------------------------

def test_past_sessions_without_any_mark_wait_for_their_roll_call(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    start = local_today() - dt.timedelta(days=20)
    klass = factories.school_class(commune, title="Lớp dịch vụ công", starts_on=start, weeks=6)  # ends in 3 weeks
    rows = factories.enrol_learners(klass, 2)
    yesterday = factories.class_session(klass, on=local_today() - dt.timedelta(days=1))
    marked = factories.class_session(klass, on=local_today() - dt.timedelta(days=2))
    long_ago = factories.class_session(klass, on=local_today() - dt.timedelta(days=10))
    later = factories.class_session(klass, on=local_today() + dt.timedelta(days=1))
    marks.mark(marked, rows[0], "present", actor=officer, now=utcnow())
    db.session.commit()
    todo = _todo(_home(client, officer))
    assert "1 buổi học chưa điểm danh" in todo
    assert f'href="/attendance/sessions/{yesterday.id}"' in todo
    for other in (marked, long_ago, later):
        assert f'href="/attendance/sessions/{other.id}"' not in todo
    assert "1 buổi học chưa điểm danh" not in _home(client, _other_officer())


# --- learners absent twice (attendance) ---------------------------------------------------------

def test_learners_marked_absent_twice_are_listed_and_unmarked_sessions_never_count(client: FlaskClient,
                                                                                     ctx) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    start = local_today() - dt.timedelta(days=30)
    klass = factories.school_class(commune, starts_on=start, weeks=8, status="running")
    days = [factories.class_session(klass, on=start + dt.timedelta(days=7 * i)) for i in range(4)]
    learners = [factories.person(commune, name=n) for n in ("Lê Văn Tám", "Hoàng Thị Mơ", "Đinh Văn Sáu")]
    rows = [enrolment.enrol(klass, p, source="staff") for p in learners]
    for row in rows:  # all three joined before the first session
        row.enrolled_at = dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    # Tám: absent twice. Mơ: absent once, then never marked again (unmarked is not absent). Sáu: present throughout.
    for day, status in zip(days, ("present", "present", "absent", "absent"), strict=True):
        marks.mark(day, rows[0], status, actor=officer, now=utcnow())
    marks.mark(days[0], rows[1], "absent", actor=officer, now=utcnow())
    for day in days:
        marks.mark(day, rows[2], "present", actor=officer, now=utcnow())
    db.session.commit()
    todo = _todo(_home(client, officer))
    assert "1 học viên vắng từ 2 buổi trở lên" in todo
    assert "Lê Văn Tám" in todo and f'href="/people/{learners[0].id}"' in todo and "vắng 2 buổi" in todo
    assert "Hoàng Thị Mơ" not in todo and "Đinh Văn Sáu" not in todo
    assert f'href="/communes/{commune.id}/attendance#absentees"' in todo
    assert "Lê Văn Tám" not in _home(client, _other_officer())


# --- reports due (attendance) --------------------------------------------------------------------

def test_the_quarterly_report_shows_in_the_last_weeks_of_the_quarter(client: FlaskClient, ctx, monkeypatch) -> None:
    commune = factories.commune()
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    db.session.commit()
    monkeypatch.setattr(attendance_panels, "local_now", lambda: dt.datetime(2026, 9, 20, 9, tzinfo=VIETNAM))
    todo = _todo(_home(client, officer))
    assert "Báo cáo quý 3/2026 gửi thành phố" in todo and "Hạn 30/09/2026: còn 10 ngày." in todo
    assert f'href="/communes/{commune.id}/attendance"' in todo
    monkeypatch.setattr(attendance_panels, "local_now", lambda: dt.datetime(2026, 8, 1, 9, tzinfo=VIETNAM))
    assert "Báo cáo quý" not in _home(client, officer)


def test_quarters_end_on_their_last_day() -> None:
    assert attendance_panels.quarter_end(dt.date(2026, 1, 1)) == dt.date(2026, 3, 31)
    assert attendance_panels.quarter_end(dt.date(2026, 5, 31)) == dt.date(2026, 6, 30)
    assert attendance_panels.quarter_end(dt.date(2026, 9, 30)) == dt.date(2026, 9, 30)
    assert attendance_panels.quarter_end(dt.date(2026, 11, 2)) == dt.date(2026, 12, 31)


# --- figures -----------------------------------------------------------------------------------

def test_the_years_figures_count_learners_completions_and_certificates(client: FlaskClient, finished) -> None:
    login(client, finished["officer"])
    klass = finished["class"]
    client.post(f"/classes/{klass.id}/completion/confirm")
    client.post(f"/classes/{klass.id}/certificates/issue", headers={"Accept": "application/json"})
    html = client.get("/").get_data(as_text=True)
    year = local_today().year
    assert f"Kết quả năm {year}" in html
    if klass.starts_on.year == year:  # the fixture's class began five weeks ago
        assert re.search(r"<dt>Học viên</dt><dd>3</dd>", html)
    assert re.search(r"<dt>Đã hoàn thành</dt><dd>2</dd>", html)
    assert re.search(r"<dt>Đã cấp chứng nhận</dt><dd>2</dd>", html)


# --- other homes -------------------------------------------------------------------------------

def test_instructors_home_still_leads_with_todays_sessions(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,))
    session = factories.session_now(klass)
    db.session.commit()
    html = _home(client, instructor)
    assert html.index("Điểm danh hôm nay") < html.index("Lịch dạy của tôi")
    assert f'href="/attendance/sessions/{session.id}"' in html
    assert "Việc cần làm hôm nay và tuần này" not in html and EMPTY not in html


def test_learners_keep_their_big_tiles(client: FlaskClient, ctx) -> None:
    learner = factories.person(factories.commune())
    db.session.commit()
    html = _home(client, learner)
    assert 'class="tile"' in html and "Việc cần làm hôm nay" not in html


# --- queries -------------------------------------------------------------------------------------

def _busy_commune(commune: Any, count: int, module: Any) -> None:
    start = local_today() - dt.timedelta(days=14)
    for i in range(count):
        klass = factories.school_class(commune, title=f"Lớp {i}", starts_on=start, weeks=4, modules=(module,),
                                       at=factories.venue(commune, f"Nhà văn hóa số {i}"))
        rows = factories.enrol_learners(klass, 2) if i == 0 else [
            enrolment.enrol(klass, factories.person(commune, name=f"Học viên {i}"), source="staff")]
        for day in (start, start + dt.timedelta(days=7), local_today() - dt.timedelta(days=1)):
            session = factories.class_session(klass, on=day)
            if day == start:
                for row in rows:
                    marks.mark(session, row, "absent", actor=None, now=utcnow())
        factories.session_now(klass)


def test_the_officer_home_asks_the_same_number_of_queries_for_one_class_or_many(client: FlaskClient,
                                                                                 curriculum) -> None:
    from app.catalog import services as catalog

    module = catalog.module_by_code("NCT-05")
    counts = []
    for code, classes in zip(factories.COMMUNE_CODES[:2], (1, 4), strict=True):
        commune = factories.commune(code)
        officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
        _busy_commune(commune, classes, module)
        db.session.commit()
        login(client, officer)
        client.get("/")  # the first request of a session loads what every later one has cached
        with counting() as statements:
            html = client.get("/").get_data(as_text=True)
        assert "chưa điểm danh" in html and "Hôm nay có" in html
        counts.append(statements)
    assert len(counts[0]) == len(counts[1]), "\n".join(
        f"{a[:150]!r}\n  {b[:150]!r}" for a, b in zip(counts[0] + [""] * 5, counts[1] + [""] * 5, strict=False))


def test_a_village_organiser_sees_the_sessions_of_their_village_and_of_no_village(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    dong, bac = factories.village(commune, "Thôn Đông"), factories.village(commune, "Thôn Bắc")
    organiser = factories.person(commune, name="Vũ Minh Quân", role=Role.YOUTH_ORGANISER, role_village=dong)
    classes = {}
    for name, village in (("Đông", dong), ("Bắc", bac), ("xã", None)):
        hall = factories.venue(commune, f"Nhà văn hóa {name}", in_village=village)
        classes[name] = factories.school_class(commune, title=f"Lớp ở {name}", at=hall)
        factories.enrol_learners(classes[name], 1)
        factories.session_now(classes[name])
    db.session.commit()
    todo = _todo(_home(client, organiser))
    assert "Hôm nay có 2 buổi học" in todo
    assert "Lớp ở Đông" in todo and "Lớp ở xã" in todo and "Lớp ở Bắc" not in todo


def test_an_administrators_home_shows_their_own_commune(client: FlaskClient, ctx) -> None:
    commune = factories.commune()
    admin = factories.person(commune, name="Quản Trị Viên", role=Role.ADMIN)
    _class_today(commune)
    _class_today(factories.commune(factories.COMMUNE_CODES[1]))
    db.session.commit()
    todo = _todo(_home(client, admin))
    assert "Hôm nay có 1 buổi học" in todo
