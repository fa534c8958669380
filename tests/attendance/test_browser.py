"""In a real browser: a class marked on a tablet through a dropped network; a learner checks in by QR on a phone."""
from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.attendance.models import AttendanceChange, AttendanceMark
from app.extensions import db
from app.policy import Role
from tests import factories

pytestmark = pytest.mark.browser


def sign_in(page: Page, phone: str, secret: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def stored() -> tuple[int, int, dict[int, str], dict[str, int]]:
    """History rows, distinct client ids, current marks, and history rows by source, as the database has them."""
    db.session.expire_all()
    rows = db.session.scalar(select(func.count()).select_from(AttendanceChange))
    distinct = db.session.scalar(select(func.count(AttendanceChange.client_id.distinct())))
    current = dict(db.session.execute(select(AttendanceMark.enrolment_id, AttendanceMark.status)).all())
    sources = dict(db.session.execute(select(AttendanceChange.source, func.count()).group_by(AttendanceChange.source))
                   .all())
    return rows, distinct, current, sources


def test_a_whole_class_is_marked_on_a_tablet_through_a_dropped_network(tablet: Page, ctx) -> None:
    commune = factories.commune()
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", capacity=60,
                           in_village=factories.village(commune, "Thôn Đông"))
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh cho người cao tuổi – thôn Đông", at=hall,
                                   capacity=40, instructors=(hung,), status="running")
    factories.session_now(klass)
    learners = factories.enrol_learners(klass, 40, village=hall.village)
    db.session.commit()
    page = tablet
    sign_in(page, hung.phone, factories.PASSWORD)
    taps: list[str] = []

    def tap(locator, what: str) -> None:
        taps.append(what)
        locator.click()

    def row(index: int):
        return page.locator(f"#learner-{learners[index].id}")

    # One tap from the instructor's home to today's roll call.
    tap(page.get_by_role("link", name="Điểm danh", exact=True), "home → roll call")
    expect(page.get_by_role("heading", name="Điểm danh", exact=True)).to_be_visible()
    sync = page.locator("[data-sync]")
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    page.screenshot(path=str(factories.artifact("attendance-roll-call-top-tablet.png")))
    started, on_page = time.perf_counter(), len(taps)

    # Everyone present, then the exceptions: three absent, online.
    tap(page.get_by_role("button", name="Mọi người có mặt"), "everyone present")
    for i in (3, 17, 29):
        tap(row(i).get_by_role("button", name="Vắng"), "absent")
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    assert stored()[:2] == (43, 43)
    page.screenshot(path=str(factories.artifact("attendance-roll-call-tablet.png")), full_page=False)

    # The network drops: two arrive late, one sends word she is ill, one marked absent walks in after all.
    page.context.set_offline(True)
    tap(row(8).get_by_role("button", name="Muộn"), "late")
    tap(row(21).get_by_role("button", name="Muộn"), "late")
    tap(row(35).get_by_role("button", name="Có phép"), "excused")
    tap(row(17).get_by_role("button", name="Muộn"), "late (was absent)")
    expect(sync).to_contain_text("Mất mạng: 4 điểm danh đang chờ gửi")
    expect(page.locator("[data-roll-call]")).to_have_attribute("data-pending", "4")
    expect(page.locator("[data-count='late']")).to_have_text("3")
    expect(row(35).get_by_role("button", name="Có phép")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(factories.artifact("attendance-roll-call-offline-tablet.png")), full_page=False)
    assert stored()[0] == 43  # nothing got through while offline

    # The network returns: the waiting marks are sent by themselves.
    page.context.set_offline(False)
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi", timeout=15_000)
    seconds, marking_taps = time.perf_counter() - started, len(taps) - on_page

    rows, distinct, current, sources = stored()
    assert (rows, distinct) == (47, 47)  # exactly the marks made: none lost, none doubled
    expected = {e.id: "present" for e in learners}
    expected.update({learners[3].id: "absent", learners[29].id: "absent", learners[8].id: "late",
                     learners[21].id: "late", learners[35].id: "excused", learners[17].id: "late"})
    assert current == expected
    assert sources == {"everyone": 40, "tap": 3, "sync": 4}

    # A reload (or the same marks sent again) changes nothing, and the page shows what the server has.
    page.reload()
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    expect(page.locator("[data-count='present']")).to_have_text("34")
    expect(row(17).get_by_role("button", name="Muộn")).to_have_attribute("aria-pressed", "true")
    assert stored()[:2] == (47, 47)
    report = (f"Roll call, 40 learners, 7 exceptions (3 absent online; 3 late, 1 excused offline; 1 absent→late): "
              f"{marking_taps} taps on the page (+{on_page} from the home page), {seconds:.1f} s in the browser "
              f"including the offline spell and the resend.\n")
    factories.artifact("attendance-roll-call.txt").write_text(report, encoding="utf-8")
    print(report)
    assert marking_taps == 8 and seconds < 120


def test_a_learner_checks_in_with_their_phone_by_scanning_the_qr_code(tablet: Page, phone: Page, ctx) -> None:
    commune = factories.commune()
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông", capacity=40)
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh cho người cao tuổi – thôn Đông", at=hall,
                                   capacity=20, instructors=(hung,), status="running")
    session = factories.session_now(klass, started_minutes_ago=5)
    huong, *_ = factories.enrol_learners(klass, 6)
    db.session.commit()

    sign_in(tablet, hung.phone, factories.PASSWORD)
    tablet.goto(f"/attendance/sessions/{session.id}/qr")
    image = tablet.locator("[data-qr-image]")
    expect(image).to_be_visible()
    expect(tablet.locator("[data-qr-code]")).to_have_text(re.compile(r"^\d{3} \d{3}$"))
    expect(tablet.locator("[data-qr-missing] li")).to_have_count(6)
    tablet.screenshot(path=str(factories.artifact("attendance-qr-tablet.png")))
    shot = factories.artifact("attendance-qr-code.png")
    image.screenshot(path=str(shot))
    (found,) = zxingcpp.read_barcodes(Image.open(shot))
    assert f"/attendance/scan/{session.id}/" in found.text

    # The learner's phone opens the code, signs in (the scan is remembered), and confirms with one tap.
    phone.goto(found.text)
    phone.get_by_label("Số điện thoại").fill(huong.person.phone)
    phone.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_role("button", name="Tôi có mặt")).to_be_visible()
    phone.screenshot(path=str(factories.artifact("attendance-checkin-phone.png")), full_page=True)
    phone.get_by_role("button", name="Tôi có mặt").click()
    expect(phone.get_by_text("Đã điểm danh: bạn có mặt")).to_be_visible()
    phone.screenshot(path=str(factories.artifact("attendance-checked-in-phone.png")), full_page=True)

    # The screen shows her among those who are in, within a couple of seconds.
    expect(tablet.locator("[data-qr-present] li")).to_have_count(1, timeout=6000)
    expect(tablet.locator("[data-qr-present]")).to_contain_text(huong.person.full_name)
    db.session.expire_all()
    mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.enrolment_id == huong.id))
    assert (mark.status, mark.source) == ("present", "qr")


def test_the_roll_call_fits_a_phone(phone: Page, ctx) -> None:
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), status="running")
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 8)
    db.session.commit()
    sign_in(phone, hung.phone, factories.PASSWORD)
    phone.goto(f"/attendance/sessions/{session.id}")
    phone.get_by_role("button", name="Mọi người có mặt").click()
    phone.locator(f"#learner-{learners[2].id}").get_by_role("button", name="Vắng").click()
    expect(phone.locator("[data-sync]")).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = phone.locator(f"#learner-{learners[2].id}").get_by_role("button", name="Có phép").bounding_box()
    assert box["height"] >= 56 and box["width"] >= 56
    phone.screenshot(path=str(factories.artifact("attendance-roll-call-phone.png")), full_page=False)


# --- issue 12: walk-ins during roll call, refused marks, accessibility -----------------------------

def in_view(page: Page, selector: str) -> bool:
    """Whether the element's box lies wholly inside the viewport (not under the fold, not scrolled off the top)."""
    return page.locator(selector).evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.left >= 0"
        " && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }")


def test_a_walk_in_added_during_roll_call_is_present_with_the_confirmation_in_view_on_a_phone(
        phone: Page, ctx) -> None:
    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=13, instructors=(hung,), status="running",
                                   at=factories.venue(commune, in_village=dong))
    session = factories.session_now(klass)
    factories.enrol_learners(klass, 12, village=dong)
    db.session.commit()
    page = phone
    sign_in(page, hung.phone, factories.PASSWORD)
    page.goto(f"/attendance/sessions/{session.id}")
    page.get_by_role("button", name="Mọi người có mặt").click()
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")

    page.get_by_role("link", name="Thêm người đến lớp").click()
    expect(page.get_by_text("người được ghi danh ở đây sẽ được điểm danh có mặt", exact=False)).to_be_visible()
    page.screenshot(path=str(factories.artifact("attendance-walk-in-roster-phone.png")))
    page.get_by_role("textbox", name="Họ và tên").fill("Vương Thị Xuân")
    page.get_by_role("spinbutton", name="Năm sinh").fill("1952")
    page.get_by_label("Thôn/tổ dân phố").select_option(label="Thôn Đông")
    page.get_by_label("Người học đã đồng ý", exact=False).check()
    page.get_by_role("button", name="Thêm, ghi danh và điểm danh có mặt").click()

    # Back at the roll call: the confirmation and her row (marked present) are both on the screen.
    expect(page.get_by_role("heading", name="Điểm danh", exact=True)).to_be_attached()
    added = page.locator("[data-rc-added]")
    expect(added).to_have_text("Đã thêm Vương Thị Xuân vào lớp và điểm danh có mặt.")
    row = page.locator(".rc-row-new")
    expect(row).to_contain_text("Vương Thị Xuân")
    expect(row.get_by_role("button", name="Có mặt")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(300)  # the scroll into view
    assert in_view(page, "[data-rc-added]"), "the confirmation is off-screen"
    assert in_view(page, ".rc-row-new .rc-buttons"), "the new learner's row is off-screen"
    expect(page.locator("[data-count='present']")).to_have_text("13")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(factories.artifact("attendance-walk-in-added-phone.png")))
    assert "added=" not in page.url  # a reload does not confirm it a second time
    db.session.expire_all()
    assert sorted(stored()[2].values()).count("present") == 13


def test_a_refused_mark_goes_back_and_says_why_and_the_counter_does_not_claim_it_saved(phone: Page, ctx) -> None:
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), status="running")
    from app.vietnam import local_today

    ahead = factories.class_session(klass, on=local_today() + dt.timedelta(days=2))
    learners = factories.enrol_learners(klass, 4)
    db.session.commit()
    page = phone
    sign_in(page, hung.phone, factories.PASSWORD)
    page.goto(f"/attendance/sessions/{ahead.id}")
    sync, row = page.locator("[data-sync]"), page.locator(f"#learner-{learners[1].id}")
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    row.get_by_role("button", name="Có mặt").click()

    # The server refuses (the session has not happened): the button goes back, the reason shows by the row
    # and in the alert, and the counter does not say everything is saved.
    expect(row.get_by_role("button", name="Có mặt")).to_have_attribute("aria-pressed", "false")
    expect(row.locator("[data-row-error]")).to_contain_text("chưa diễn ra")
    expect(page.get_by_role("alert")).to_contain_text("Không lưu được: Buổi học ngày")
    expect(sync).to_have_text("1 điểm danh không lưu được; nút đã trở lại như máy chủ đang lưu.")
    expect(page.locator("[data-count='present']")).to_have_text("0")
    expect(page.locator("[data-count='unmarked']")).to_have_text("4")
    assert page.evaluate("localStorage.getItem('hvs-outbox') === null")  # the refused mark left the outbox
    page.screenshot(path=str(factories.artifact("attendance-refused-mark-phone.png")))

    # What is allowed ahead is saved, and the page then says so.
    row.get_by_role("button", name="Có phép").click()
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    expect(row.locator("[data-row-error]")).to_be_hidden()
    page.reload()
    expect(row.get_by_role("button", name="Có phép")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-count='excused']")).to_have_text("1")
    assert stored()[2] == {learners[1].id: "excused"}


def test_a_refused_batch_is_not_sent_again_and_the_screen_shows_what_the_server_has(phone: Page, ctx) -> None:
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), status="running")
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 3)
    db.session.commit()
    page = phone
    sign_in(page, hung.phone, factories.PASSWORD)
    page.goto(f"/attendance/sessions/{session.id}")
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    sent: list[dict] = []
    page.on("request", lambda r: sent.extend(json.loads(r.post_data or "{}").get("items", []))
            if r.method == "POST" and r.url.endswith("/marks.json") else None)
    # The class is handed to another instructor while the page is open: the server answers 403, for good.
    from app.classes import services as classes

    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    classes.set_staff(klass, instructors=(mai,), assistants=())
    db.session.commit()
    row = page.locator(f"#learner-{learners[0].id}")
    row.get_by_role("button", name="Vắng").click()
    expect(row.get_by_role("button", name="Vắng")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("alert")).to_contain_text("Không lưu được")
    expect(page.locator("[data-roll-call]")).to_have_attribute("data-pending", "0")
    page.wait_for_timeout(6_000)  # longer than the 5-second resend while marks wait
    assert [(m["enrolment_id"], m["status"]) for m in sent] == [(learners[0].id, "absent")]  # sent once only
    assert stored()[0] == 0


def test_the_roll_call_roster_and_reports_pass_axe(axe_scan, ctx) -> None:
    from tests import axe

    commune = factories.commune()
    dong = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=3, instructors=(hung,), status="running",
                                   at=factories.venue(commune, in_village=dong))
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 3, village=dong)
    from app.attendance import marks as attendance_marks
    from app.classes import enrolment as enrolments
    from app.extensions import utcnow

    seated = enrolments.enrol_walk_in(klass, full_name="Vương Thị Xuân", birth_year=1952, village=dong,
                                      consent_method="verbal", actor=hung, above_capacity=True)
    enrolments.enrol_walk_in(klass, full_name="Lò Văn Sáng", birth_year=1948, village=dong, consent_method="verbal",
                             actor=hung)  # waiting: the class is full
    attendance_marks.mark(session, learners[0], "present", actor=hung, now=utcnow())
    attendance_marks.mark(session, seated, "present", actor=hung, now=utcnow())
    db.session.commit()
    paths = [f"/attendance/sessions/{session.id}?added={seated.id}", f"/classes/{klass.id}/roster?session={session.id}",
             f"/classes/{klass.id}/roster", f"/classes/{klass.id}/attendance", f"/communes/{commune.id}/attendance"]
    assert axe_scan(paths, sign_in=lambda page: axe.sign_in(page, officer.phone, factories.PIN)) == []


# --- issue 15: one outbox for every offline write --------------------------------------------------

def test_marks_queued_under_the_old_key_move_to_the_outbox_and_are_stored_once(tablet: Page, ctx) -> None:
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), status="running")
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 3)
    db.session.commit()
    page = tablet
    sign_in(page, hung.phone, factories.PASSWORD)
    # What the roll call of the previous release left in this browser before the network came back.
    url = f"/attendance/sessions/{session.id}/marks.json"
    waited = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    old = {"url": url, "marks": [
        {"client_id": "5d0c6a43-1b1e-4c4e-9d59-0a1f6c1e2b01", "enrolment_id": learners[0].id, "status": "late",
         "device_time": waited, "source": "sync"},
        {"client_id": "5d0c6a43-1b1e-4c4e-9d59-0a1f6c1e2b02", "enrolment_id": learners[1].id, "status": "absent",
         "device_time": waited, "source": "tap"},
        {"client_id": "broken", "enrolment_id": "two", "status": "present"}]}  # unreadable: left behind
    page.evaluate("([key, box]) => localStorage.setItem(key, JSON.stringify(box))",
                  [f"hvs-att-{hung.id}-{session.id}", old])
    page.evaluate("([key, box]) => localStorage.setItem(key, JSON.stringify(box))",
                  [f"hvs-att-999999-{session.id}", old])  # another instructor's: not this user's to send

    page.goto(f"/attendance/sessions/{session.id}")
    sync = page.locator("[data-sync]")
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    expect(page.locator(f"#learner-{learners[0].id}").get_by_role("button", name="Muộn")) \
        .to_have_attribute("aria-pressed", "true")
    rows, distinct, current, sources = stored()
    assert (rows, distinct) == (2, 2)
    assert current == {learners[0].id: "late", learners[1].id: "absent"}
    assert sources == {"sync": 2}  # both waited in the browser
    keys = page.evaluate("Object.keys(localStorage).sort()")
    assert keys == ["hvs-att-999999-" + str(session.id), "hvs-device"]

    # A reload (the outbox was emptied) sends nothing again.
    page.reload()
    expect(sync).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    assert stored()[:2] == (2, 2)


def test_the_dashboard_shows_what_waits_on_this_device_and_sends_it(tablet: Page, ctx) -> None:
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), status="running")
    session = factories.session_now(klass)
    learners = factories.enrol_learners(klass, 3)
    db.session.commit()
    page = tablet
    sign_in(page, hung.phone, factories.PASSWORD)
    page.goto(f"/attendance/sessions/{session.id}")
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")

    # The server cannot be reached (the village's network answers nothing): the marks wait.
    page.route("**/marks.json", lambda route: route.abort())
    for learner in learners[:2]:
        page.locator(f"#learner-{learner.id}").get_by_role("button", name="Vắng").click()
    expect(page.locator("[data-roll-call]")).to_have_attribute("data-pending", "2")
    expect(page.locator("[data-sync]")).to_contain_text("Mất mạng: 2 điểm danh đang chờ gửi")

    # The instructor goes home; the dashboard says what waits on this tablet, then sends it when it can.
    page.goto("/")
    count = page.locator("[data-outbox-count]")
    expect(count).to_have_text("2 mục đang chờ gửi từ máy này")
    page.screenshot(path=str(factories.artifact("outbox-dashboard-waiting-tablet.png")))
    assert stored()[0] == 0
    page.unroute("**/marks.json")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(count).to_have_text("Đã gửi các mục còn chờ.", timeout=10_000)
    rows, _distinct, current, sources = stored()
    assert rows == 2 and current == {learners[0].id: "absent", learners[1].id: "absent"}
    assert sources == {"sync": 2}  # their first send failed: the history says they were sent later
    assert page.evaluate("localStorage.getItem('hvs-outbox')") is None


def test_on_a_shared_tablet_a_page_sends_only_its_own_users_writes(tablet: Page, ctx) -> None:
    commune = factories.commune()
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    mai = factories.person(commune, name="Trần Thị Mai", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, capacity=10, instructors=(hung,), status="running")
    session = factories.session_now(klass)
    other = factories.school_class(commune, title="Lớp 4T", capacity=10, instructors=(mai,), status="running",
                                   at=factories.venue(commune, "Hội trường xã"))
    theirs = factories.session_now(other)
    learners = factories.enrol_learners(klass, 2)
    factories.enrol_learners(other, 2)
    db.session.commit()
    page = tablet
    sign_in(page, hung.phone, factories.PASSWORD)
    # Mai's mark for her own class still waits on this tablet (she signed out before the network came back).
    entry = {"url": f"/attendance/sessions/{theirs.id}/marks.json", "owner": str(mai.id), "waited": True,
             "client_id": "6e1f0b55-2c2f-4d5f-8e6a-1b2f7d2f3c01", "device_time": "2026-12-04T01:00:00Z",
             "fields": {"enrolment_id": 1, "status": "present", "source": "tap"}}
    page.evaluate("entry => localStorage.setItem('hvs-outbox', JSON.stringify([entry]))", entry)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" and r.url.endswith("/marks.json") else None)
    page.goto(f"/attendance/sessions/{session.id}")
    page.locator(f"#learner-{learners[0].id}").get_by_role("button", name="Vắng").click()
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu hết · 0 điểm danh đang chờ gửi")
    page.goto("/")
    expect(page.get_by_role("heading", name="Điểm danh hôm nay")).to_be_visible()
    page.wait_for_timeout(500)
    # Hung's page never sent Mai's mark (it would have been refused as not his, and lost); it waits for her.
    assert not [u for u in sent if f"/sessions/{theirs.id}/" in u]
    assert page.evaluate("JSON.parse(localStorage.getItem('hvs-outbox'))") == [entry]
    expect(page.locator("[data-outbox-count]")).to_be_hidden()  # nothing of his waits
    assert stored()[2] == {learners[0].id: "absent"}
