"""The shared tablet, end to end at tablet size in Vietnamese: pick a name, PIN, quiz with the network dropping
half way, submit, results, "Xong" — and the next learner sees nothing of it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db
from app.policy import Role
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories
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


def test_an_idle_tablet_returns_to_the_class_list(tablet, curriculum, monkeypatch) -> None:
    from app.kiosk import services as kiosk

    monkeypatch.setattr(kiosk, "IDLE_SECONDS", 2)
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    klass = factories.school_class(commune, instructors=(instructor,), modules=(catalog.module_by_code("NCT-06"),))
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    enrolment.enrol(klass, huong, source="staff")
    db.session.commit()
    page = tablet
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(instructor.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/classes/{klass.id}/roster")
    page.get_by_role("button", name="Dùng máy này cho cả lớp (máy dùng chung)").click()
    page.get_by_role("link", name="Nguyễn Thị Hương").click()
    page.get_by_label("Mã PIN của bạn (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Vào học").click()
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hương")).to_be_visible()
    expect(page.get_by_role("heading", name="Chọn tên của bạn")).to_be_visible(timeout=10000)
