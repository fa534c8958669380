"""In a real browser, at phone and tablet size: cancelling a class (and undoing it) and withdrawing a learner
each go through a confirmation page that says what will happen; every such page passes axe."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app import vietnam
from app.classes import enrolment, services, sessions
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.policy import Role
from tests import axe, factories

pytestmark = pytest.mark.browser


def _setting(*, cancelled: bool = False, code: str = factories.COMMUNE_CODES[0]):
    commune = factories.commune(code)
    hall = factories.venue(commune, "Nhà văn hóa thôn Đông")
    hung = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    lan = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    klass = factories.school_class(commune, title="Lớp điện thoại thông minh – thôn Đông", at=hall, capacity=1,
                                   instructors=(hung,))
    huong = factories.person(commune, name="Nguyễn Thị Hương")
    binh = factories.person(commune, name="Trần Văn Bình")
    rows = [enrolment.enrol(klass, p, source="staff") for p in (huong, binh)]  # one seat: Bình waits
    today = vietnam.local_today()
    for days in (7, 14):
        sessions.add_session(klass, on=today + dt.timedelta(days=days), start=dt.time(8), end=dt.time(10), venue=hall)
    if cancelled:
        services.cancel_class(klass, reason="Hội trường sửa mái", actor=lan)
    db.session.commit()
    return {"class": klass, "hung": hung, "lan": lan, "huong": huong, "binh": binh, "rows": rows}


def _sign_in(page, person) -> None:
    axe.sign_in(page, person.phone, factories.PIN)
    page.get_by_role("heading", level=1).first.wait_for()


def _statuses(klass: Class) -> list[str]:
    db.session.expire_all()
    return [s.status for s in db.session.get(Class, klass.id).sessions]


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_an_officer_cancels_a_class_after_confirming_and_undoes_it(request, ctx, size: str) -> None:
    page = request.getfixturevalue(size)
    world = _setting()
    klass = world["class"]
    _sign_in(page, world["lan"])
    page.goto(f"/classes/{klass.id}")
    page.get_by_role("link", name="Hủy lớp", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hủy lớp")
    expect(page.get_by_text("Hủy lớp sẽ hủy 2 buổi học sắp tới và báo cho 1 học viên.")).to_be_visible()
    # "No" changes nothing
    page.get_by_role("link", name="Không, quay lại").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(klass.title)
    assert _statuses(klass) == ["scheduled", "scheduled"]
    page.get_by_role("link", name="Hủy lớp", exact=True).click()
    page.get_by_label("Lý do hủy (không bắt buộc, học viên sẽ thấy)").fill("Hội trường sửa mái")
    confirm = page.get_by_role("button", name="Có, hủy lớp")
    confirm.scroll_into_view_if_needed()
    expect(confirm).to_be_in_viewport()
    page.screenshot(path=str(factories.artifact(f"classes-confirm-cancel-{size}.png")), full_page=True)
    confirm.click()
    expect(page.get_by_role("status").filter(has_text="Đã hủy lớp")).to_be_visible()
    assert _statuses(klass) == ["cancelled", "cancelled"]
    undo = page.get_by_role("link", name="Khôi phục lớp")
    expect(undo).to_be_in_viewport()  # the undo is right there, without scrolling
    undo.click()
    expect(page.get_by_text("2 buổi học chưa diễn ra sẽ được xếp lại")).to_be_visible()
    page.screenshot(path=str(factories.artifact(f"classes-confirm-restore-{size}.png")), full_page=True)
    page.get_by_role("button", name="Có, khôi phục lớp").click()
    expect(page.get_by_role("status").filter(has_text="Đã khôi phục lớp")).to_be_visible()
    assert _statuses(klass) == ["scheduled", "scheduled"]
    assert db.session.get(Class, klass.id).status == "open"


def test_a_learner_on_a_phone_confirms_before_leaving_a_class(phone, ctx) -> None:
    world = _setting()
    page, klass, row = phone, world["class"], world["rows"][0]
    _sign_in(page, world["huong"])
    page.goto(f"/classes/{klass.id}")
    page.get_by_role("link", name="Rút khỏi lớp").click()
    expect(page.get_by_text("Chỗ học này sẽ được chuyển cho người đứng đầu danh sách chờ")).to_be_visible()
    expect(page.get_by_text("Điểm danh và kết quả học đã có vẫn được giữ.")).to_be_visible()
    page.screenshot(path=str(factories.artifact("classes-confirm-withdraw-phone.png")), full_page=True)
    page.get_by_role("button", name="Có, rút khỏi lớp").click()
    expect(page.get_by_role("status").filter(has_text="Bạn đã rút khỏi lớp.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Enrolment, row.id).status == "withdrawn"
    assert db.session.get(Enrolment, world["rows"][1].id).status == "enrolled"


def test_an_instructor_on_a_tablet_confirms_before_withdrawing_someone(tablet, ctx) -> None:
    world = _setting()
    page, klass, row = tablet, world["class"], world["rows"][0]
    _sign_in(page, world["hung"])
    page.goto(f"/classes/{klass.id}/roster")
    page.get_by_role("link", name="Rút khỏi lớp – Nguyễn Thị Hương").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rút Nguyễn Thị Hương khỏi lớp?")
    page.get_by_role("link", name="Không, quay lại").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách lớp")
    db.session.expire_all()
    assert db.session.get(Enrolment, row.id).status == "enrolled"
    page.get_by_role("link", name="Rút khỏi lớp – Nguyễn Thị Hương").click()
    page.get_by_role("button", name="Có, rút khỏi lớp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách lớp")
    expect(page.get_by_role("status").filter(has_text="Trần Văn Bình được chuyển từ danh sách chờ vào lớp.")
           ).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Enrolment, row.id).status == "withdrawn"


def test_the_confirmation_pages_and_the_pages_leading_to_them_are_accessible(axe_scan, ctx) -> None:
    world = _setting()
    gone = _setting(cancelled=True, code=factories.COMMUNE_CODES[1])
    klass, row = world["class"], world["rows"][0]
    staff_pages = [f"/classes/{klass.id}", f"/classes/{klass.id}/cancel", f"/classes/{klass.id}/roster",
                   f"/enrolments/{row.id}/withdraw", f"/enrolments/{world['rows'][1].id}/withdraw",
                   f"/classes/{gone['class'].id}", f"/classes/{gone['class'].id}/restore"]
    assert axe_scan(staff_pages[:5], sign_in=lambda page: _sign_in(page, world["lan"])) == []
    assert axe_scan(staff_pages[5:], sign_in=lambda page: _sign_in(page, gone["lan"])) == []
    learner_pages = [f"/classes/{klass.id}", f"/enrolments/{row.id}/withdraw"]
    assert axe_scan(learner_pages, sign_in=lambda page: _sign_in(page, world["huong"])) == []
    assert [s.status for s in db.session.scalars(db.select(ClassSession).where(
        ClassSession.class_id == klass.id))] == ["scheduled", "scheduled"]  # looking changed nothing
