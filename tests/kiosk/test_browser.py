"""The shared tablet, end to end at tablet size in Vietnamese: pick a name, PIN, quiz with the network dropping
half way, submit, results, "Xong" — and the next learner sees nothing of it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark
from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db
from app.kiosk import settings as kiosk_settings
from app.policy import Role
from app.quizzes.models import Attempt, AttemptAnswer
from tests import axe, factories
from tests.quizzes.test_browser import answer_visible_question, next_question

pytestmark = pytest.mark.browser


def test_kiosk_quiz_survives_a_dropped_network_and_leaves_nothing_for_the_next_learner(tablet, curriculum) -> None:
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,), modules=(catalog.module_by_code("NCT-06"),))
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    binh = factories.person(commune, name="Trần Văn Bình")
    for learner in (huong, binh):
        enrolment.enrol(klass, learner, source="staff")
    db.session.commit()
    page = tablet

    # The instructor puts the tablet into kiosk mode for the class.
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(instructor.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/classes/{klass.id}/roster")
    page.get_by_role("button", name="Dùng máy này cho cả lớp (máy dùng chung)").click()
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible()

    # Hương picks her name and types her PIN on the pad.
    page.get_by_role("link", name="Nguyễn Thị Hương").click()
    for digit in factories.PIN:
        page.locator(f"[data-pin-pad] [data-digit='{digit}']").click()
    page.get_by_role("button", name="Vào học").click()
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương")).to_be_visible()
    page.get_by_role("link", name="Làm bài kiểm tra").click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_role("heading", name="Câu 1/10")).to_be_visible()
    for _ in range(5):
        answer_visible_question(page)
        next_question(page)
    page.context.set_offline(True)
    for index in range(5):
        answer_visible_question(page)
        if index < 4:
            next_question(page)
    expect(page.locator("[data-sync]")).to_contain_text("đang được giữ trong máy")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu câu trả lời.", timeout=15000)
    page.locator("section.q:not([hidden])").get_by_role("link", name="Xem lại và nộp bài").click()
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài kiểm tra")).to_be_visible()
    page.screenshot(path=str(factories.artifact("kiosk-results-tablet.png")))
    page.get_by_role("button", name="Xong").click()

    # Back at the class list: nothing of Hương is on screen, in the history or in the browser's storage.
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible()
    assert "Kết quả" not in page.content() and "Xin chào" not in page.content()
    page.go_back()
    page.wait_for_load_state()
    assert "Kết quả bài kiểm tra" not in page.content()
    assert page.evaluate("localStorage.length") == 0
    page.goto("/kiosk")
    page.get_by_role("link", name="Trần Văn Bình").click()
    page.get_by_label("Mã PIN của bạn (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Vào học").click()
    expect(page.get_by_role("heading", name="Xin chào, Trần Văn Bình")).to_be_visible()
    page.get_by_role("link", name="Làm bài kiểm tra").click()
    expect(page.get_by_text("Đã làm 0/3 lần.")).to_be_visible()
    assert "Nguyễn Thị Hương" not in page.content()

    db.session.expire_all()
    attempt = db.session.scalars(select(Attempt)).one()
    assert attempt.person_id == huong.id and attempt.status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 10


# --- issue 12: slow readers, leaving kiosk mode, the name list, one-tap check-in -----------------------------

def _kiosk_class(*learner_names: str):
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,), modules=(catalog.module_by_code("NCT-06"),))
    learners = [factories.person(commune, name=name) for name in learner_names or ("Nguyễn Thị Hương",)]
    for learner in learners:
        enrolment.enrol(klass, learner, source="staff")
    return commune, instructor, klass, learners


def _start_kiosk(page, instructor, klass) -> None:
    """The instructor signs in and starts the kiosk from the class page (in either language)."""
    axe.sign_in(page, instructor.phone, factories.PASSWORD)
    page.goto(f"/classes/{klass.id}")
    page.locator(f"form[action='/classes/{klass.id}/kiosk/start'] button").click()
    expect(page.locator(".name-grid")).to_be_visible()


def _learner_signs_in(page, learner) -> None:
    page.get_by_role("link", name=learner.full_name).click()
    page.locator("#pin").fill(factories.PIN)
    page.locator(".pin-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(learner.full_name)


def _lesson_path() -> str:
    return f"/catalog/modules/NCT-06/lessons/{catalog.outline('NCT-06').lessons[0].slug}"


def test_a_slow_reader_on_a_lesson_stays_in_and_the_countdown_keeps_her_in(tablet, curriculum) -> None:
    commune, instructor, klass, (huong,) = _kiosk_class()
    # A few seconds instead of minutes: 10 s on a lesson (countdown 5 s), 3 s elsewhere.
    kiosk_settings.save_seconds(commune, 10, 3, actor=None)
    db.session.commit()
    page = tablet
    _start_kiosk(page, instructor, klass)
    _learner_signs_in(page, huong)
    page.goto(_lesson_path())
    dialog = page.get_by_role("alertdialog", name="Bạn còn đang học không?")
    # Longer than the idle time elsewhere, without a touch: still reading, no warning yet.
    page.wait_for_timeout(4000)
    expect(page.locator("article[data-kiosk-activity='lesson']")).to_be_visible()
    expect(dialog).to_be_hidden()
    # Then the countdown: big, focused on the button that keeps her in.
    expect(dialog).to_be_visible(timeout=5000)
    stay = dialog.get_by_role("button", name="Tôi vẫn đang học")
    expect(stay).to_be_focused()
    expect(dialog.locator("[data-kiosk-count]")).to_have_text(re.compile(r"^Còn [1-5] giây$"))
    page.screenshot(path=str(factories.artifact("kiosk-countdown-tablet.png")))
    stay.click()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(3000)
    expect(page.locator("article[data-kiosk-activity='lesson']")).to_be_visible()
    # Nobody touches it again: the countdown returns and ends with the class list, nothing of hers left.
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible(timeout=15000)
    assert "Xin chào" not in page.content()


def test_with_the_default_times_a_lesson_waits_five_minutes_and_other_pages_two(tablet, curriculum) -> None:
    _commune, instructor, klass, (huong,) = _kiosk_class()
    db.session.commit()
    page = tablet
    page.clock.install()
    _start_kiosk(page, instructor, klass)
    _learner_signs_in(page, huong)
    page.goto(_lesson_path())
    dialog = page.get_by_role("alertdialog", name="Bạn còn đang học không?")
    page.clock.run_for(150_000)  # two and a half minutes of reading without a touch
    expect(dialog).to_be_hidden()
    page.clock.run_for(125_000)  # 4 min 35 s: the last 30 seconds count down
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-kiosk-count]")).to_have_text(re.compile(r"^Còn (2[0-9]|30) giây$"))
    dialog.get_by_role("button", name="Tôi vẫn đang học").click()
    expect(dialog).to_be_hidden()
    page.clock.run_for(200_000)
    expect(dialog).to_be_hidden()
    # Her start page is not a lesson: two minutes there.
    page.goto("/kiosk/me")
    page.clock.run_for(95_000)
    expect(dialog).to_be_visible()
    page.clock.fast_forward(30_000)
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible()


def test_speech_being_read_aloud_counts_as_activity(tablet, curriculum) -> None:
    commune, instructor, klass, (huong,) = _kiosk_class()
    kiosk_settings.save_seconds(commune, 4, 4, actor=None)
    db.session.commit()
    page = tablet
    # Headless Chromium has no voices: stand in for a voice reading the lesson aloud.
    page.add_init_script("window.__speaking = false; if (window.speechSynthesis) { Object.defineProperty("
                         "window.speechSynthesis, 'speaking', {get: function () { return window.__speaking; }}); }")
    _start_kiosk(page, instructor, klass)
    _learner_signs_in(page, huong)
    page.evaluate("window.__speaking = true")
    page.wait_for_timeout(6000)
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương")).to_be_visible()
    expect(page.get_by_role("alertdialog")).to_be_hidden()
    page.evaluate("window.__speaking = false")
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible(timeout=10000)


def test_leaving_kiosk_mode_needs_a_staff_members_secret(tablet, curriculum) -> None:
    _commune, instructor, klass, (huong,) = _kiosk_class()
    db.session.commit()
    page = tablet
    _start_kiosk(page, instructor, klass)
    page.get_by_text("Dành cho người hướng dẫn").click()
    page.get_by_role("link", name="Thoát chế độ dùng chung").click()
    # Without a secret, or with a learner's own: refused, still a kiosk.
    page.get_by_role("button", name="Thoát chế độ dùng chung").click()
    expect(page.get_by_text("Vui lòng nhập mật khẩu hoặc mã PIN.").first).to_be_visible()
    page.get_by_label("Số điện thoại của cán bộ hoặc người hướng dẫn").fill(huong.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Thoát chế độ dùng chung").click()
    expect(page.get_by_text("Chỉ cán bộ xã hoặc người hướng dẫn của xã này").first).to_be_visible()
    page.get_by_role("link", name="Về danh sách lớp").click()
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible()
    # The instructor's PIN ends kiosk mode.
    page.goto("/kiosk/stop")
    page.get_by_label("Số điện thoại của cán bộ hoặc người hướng dẫn").fill(instructor.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Thoát chế độ dùng chung").click()
    expect(page.get_by_text("Máy đã thoát chế độ dùng chung.")).to_be_visible()
    page.goto("/kiosk")
    expect(page.get_by_role("heading", name="Máy dùng chung chưa được bật")).to_be_visible()


def test_names_are_listed_by_given_name_and_checking_in_is_one_tap(tablet, curriculum) -> None:
    _commune, instructor, klass, learners = _kiosk_class(
        "Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh", "Phạm Văn Đức", "Đỗ Văn Dũng", "Hoàng Văn An")
    session = factories.session_now(klass, started_minutes_ago=5)
    db.session.commit()
    page = tablet
    _start_kiosk(page, instructor, klass)
    names = page.locator(".name-grid .name-btn > span:not(.initial)").evaluate_all(
        "els => els.map(e => e.firstChild.textContent.trim())")
    assert names == ["Hoàng Văn An", "Lê Thị Ánh", "Trần Văn Bình", "Đỗ Văn Dũng", "Phạm Văn Đức", "Nguyễn Thị Hương"]
    initials = page.locator(".name-grid .initial").all_inner_texts()
    assert initials == ["A", "Á", "B", "D", "Đ", "H"]
    _learner_signs_in(page, learners[0])
    page.get_by_role("button", name="Tôi có mặt").click()
    expect(page.get_by_text("Đã điểm danh: bạn có mặt")).to_be_visible()
    expect(page.get_by_text("Bạn đã điểm danh: Có mặt")).to_be_visible()
    expect(page.get_by_role("button", name="Tôi có mặt")).to_have_count(0)
    page.screenshot(path=str(factories.artifact("kiosk-checkin-tablet.png")))
    db.session.expire_all()
    mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.session_id == session.id))
    assert mark is not None and mark.status == "present" and mark.marked_by_id == learners[0].id


def test_kiosk_pages_are_accessible(axe_scan, curriculum) -> None:
    commune, instructor, klass, (huong,) = _kiosk_class()
    officer = factories.person(commune, name="Phan Thị Cán", role=Role.OFFICER)
    factories.session_now(klass, started_minutes_ago=5)
    db.session.commit()

    def kiosk_only(page) -> None:
        _start_kiosk(page, instructor, klass)

    def learner(page) -> None:
        page.clock.install()
        _start_kiosk(page, instructor, klass)
        _learner_signs_in(page, huong)

    def countdown(page, path: str) -> None:
        page.clock.run_for(275_000)
        expect(page.get_by_role("alertdialog")).to_be_visible()

    assert axe_scan(["/kiosk", "/kiosk/stop", f"/kiosk/learners/{huong.id}"], sign_in=kiosk_only) == []
    assert axe_scan(["/kiosk/me", _lesson_path()], sign_in=learner) == []
    assert axe_scan([_lesson_path()], sign_in=learner, prepare=countdown) == []
    assert axe_scan([f"/communes/{commune.id}/kiosk/settings", f"/classes/{klass.id}"],
                    sign_in=lambda page: axe.sign_in(page, officer.phone, factories.PASSWORD)) == []
