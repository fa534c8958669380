"""In a real browser: a walk-in enrolled in seconds from the instructor's tablet; the learner's view on a phone."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import vietnam
from app.classes import enrolment, sessions
from app.extensions import db
from app.people.models import Person
from app.policy import Role
from tests import factories

pytestmark = pytest.mark.browser
KEY_DELAY_MS = 60  # type like a person, not like a machine, so the timing means something


def _setting():
    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    factories.village(commune, "Thôn Trung Hòa")
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", in_village=dong)
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    huong = factories.person(commune, name="Nguyễn Thị Hương", village=dong, birth_year=1956)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh cho người cao tuổi – thôn Đông", at=hall,
                                   capacity=15, instructors=(hung,))
    today = vietnam.local_today()
    sessions.add_session(klass, on=today, start=dt.time(8), end=dt.time(10), venue=hall,
                         topic="Gọi video qua Zalo")
    sessions.add_session(klass, on=today + dt.timedelta(days=7), start=dt.time(8), end=dt.time(10), venue=hall)
    db.session.commit()
    return commune, klass, hung, huong


def _sign_in(page, phone: str, secret: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def test_an_instructor_enrols_walk_ins_in_seconds_on_a_tablet(tablet, ctx) -> None:
    _commune, klass, hung, huong = _setting()
    page = tablet
    _sign_in(page, hung.phone, factories.PASSWORD)
    expect(page.get_by_role("heading", name="Lịch dạy của tôi")).to_be_visible()
    page.screenshot(path=str(factories.artifact("classes-instructor-home-tablet.png")), full_page=True)
    taps: list[str] = []

    def tap(locator, what: str) -> None:
        taps.append(what)
        locator.click()

    # One tap from the instructor's home to today's class list.
    tap(page.get_by_role("link", name="Danh sách lớp").first, "home → roster")
    expect(page.get_by_role("heading", name="Danh sách lớp")).to_be_visible()
    from_home = len(taps)

    # A learner already known: search (no diacritics), one tap on "Ghi danh".
    started = time.perf_counter()
    search = page.get_by_label("Tìm theo tên hoặc số điện thoại")
    tap(search, "search box")
    search.press_sequentially("nguyen thi huong", delay=KEY_DELAY_MS)
    tap(page.get_by_role("button", name="Ghi danh Nguyễn Thị Hương"), "Ghi danh")
    expect(page.get_by_text("Đã ghi danh Nguyễn Thị Hương.")).to_be_visible()
    known_seconds, known_taps = time.perf_counter() - started, len(taps) - from_home

    # A newcomer: the typed name moves to the three-field form; the village is the venue's by default.
    started = time.perf_counter()
    before = len(taps)
    search = page.get_by_label("Tìm theo tên hoặc số điện thoại")
    tap(search, "search box")
    search.press_sequentially("Bùi Thị Lành", delay=KEY_DELAY_MS)
    expect(page.get_by_text("Không tìm thấy ai")).to_be_visible()
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Bùi Thị Lành")
    year = page.get_by_label("Năm sinh", exact=True)
    tap(year, "birth year")
    year.press_sequentially("1951", delay=KEY_DELAY_MS)
    expect(page.get_by_label("Thôn/tổ dân phố")).to_have_value(str(klass.venue.village_id))
    tap(page.get_by_label("Người học đã đồng ý cho xử lý họ tên, năm sinh, thôn để tham gia lớp"), "consent")
    page.screenshot(path=str(factories.artifact("classes-walkin-tablet.png")), full_page=True)
    tap(page.get_by_role("button", name="Thêm và ghi danh"), "Thêm và ghi danh")
    expect(page.get_by_text("Đã ghi danh Bùi Thị Lành.")).to_be_visible()
    new_seconds, new_taps = time.perf_counter() - started, len(taps) - before
    page.screenshot(path=str(factories.artifact("classes-roster-tablet.png")), full_page=True)

    print(f"\nWALK-IN known person: {known_taps} taps, {known_seconds:.1f} s; "
          f"newcomer: {new_taps} taps, {new_seconds:.1f} s (typing at {KEY_DELAY_MS} ms a key)")
    assert known_taps == 2 and new_taps == 4
    assert known_seconds < 30 and new_seconds < 30
    db.session.expire_all()
    lanh = db.session.scalar(select(Person).where(Person.full_name == "Bùi Thị Lành"))
    assert lanh is not None and lanh.birth_year == 1951
    assert enrolment.enrolment_of(klass, lanh).status == "enrolled"
    assert enrolment.enrolment_of(klass, huong).status == "enrolled"
    # Everything on the roster is reachable without a mouse and big enough to tap.
    sizes = page.evaluate("""Array.from(document.querySelectorAll('#walkin button, #walkin input:not([type=hidden])'))
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0).map(r => Math.min(r.width, r.height))""")
    assert min(sizes) >= 28
    page.get_by_role("link", name="Về trang lớp").click()
    expect(page.get_by_role("heading", name="Lịch học")).to_be_visible()
    page.screenshot(path=str(factories.artifact("classes-class-tablet.png")), full_page=True)
    page.goto(f"/communes/{klass.commune_id}/classes")
    page.screenshot(path=str(factories.artifact("classes-commune-tablet.png")), full_page=True)
    page.goto(f"/venues/{klass.venue_id}/week")
    page.emulate_media(media="print")
    page.screenshot(path=str(factories.artifact("classes-week-print-tablet.png")), full_page=True)
    page.emulate_media(media="screen")


def test_a_learner_sees_her_class_and_a_moved_session_on_a_phone(phone, ctx) -> None:
    commune, klass, hung, huong = _setting()
    enrolment.enrol(klass, huong, source="staff")
    later = next(s for s in klass.sessions if s.date > vietnam.local_today())
    sessions.move_session(later, on=later.date + dt.timedelta(days=1), start=dt.time(14), end=dt.time(16),
                          venue=later.venue, reason="Trùng lịch họp thôn", actor=hung)
    other = factories.school_class(commune, title="Lớp 4T cho tiểu thương", audience="trader",
                                   at=factories.venue(commune, "Nhà văn hóa thôn Trung Hòa"),
                                   instructors=(factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR),))
    db.session.commit()
    page = phone
    _sign_in(page, huong.phone, factories.PIN)
    expect(page.get_by_role("heading", name="Lớp của tôi")).to_be_visible()
    expect(page.get_by_text("Trùng lịch họp thôn")).to_be_visible()
    page.screenshot(path=str(factories.artifact("classes-learner-home-phone.png")), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Tìm lớp học để đăng ký").click()
    page.get_by_role("link", name="Lớp 4T cho tiểu thương").click()
    page.get_by_role("button", name="Đăng ký học").click()
    expect(page.get_by_text("Bạn đã ghi danh vào lớp này.")).to_be_visible()
    page.screenshot(path=str(factories.artifact("classes-class-phone.png")), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert enrolment.enrolment_of(other, huong) is not None


def test_the_roster_and_the_notice_board_fit_a_phone(phone, ctx) -> None:
    _commune, klass, hung, _huong = _setting()
    page = phone
    _sign_in(page, hung.phone, factories.PASSWORD)
    page.goto(f"/classes/{klass.id}/roster")
    expect(page.get_by_label("Tìm theo tên hoặc số điện thoại")).to_be_visible()
    page.screenshot(path=str(factories.artifact("classes-roster-phone.png")), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"/venues/{klass.venue_id}/week")
    expect(page.get_by_role("heading", level=1)).to_contain_text("LỊCH HỌC TUẦN")
    page.emulate_media(media="print")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.board-day li')).fontSize)")
    assert size >= 20  # large type on the printed sheet
    page.emulate_media(media="screen")
