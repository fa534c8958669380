"""Staff pages on a phone (issue 12, item 8): the menu folds behind one button below 600 px, and at the largest
text size no main page is wider than a 360-px phone."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app import vietnam
from app.attendance import marks
from app.catalog import services as catalog
from app.certificates.models import Certificate
from app.classes import enrolment, sessions
from app.classes.models import Enrolment
from app.extensions import db, utcnow
from app.people import services as people
from app.policy import Role
from app.quizzes import practical
from app.quizzes import services as quizzes
from app.quizzes.models import Attempt
from app.quizzes.types import type_of
from tests import axe, factories
from tests.conftest import login

pytestmark = pytest.mark.browser
SMALL_PHONE = {"width": 360, "height": 740}
LESSON = "/catalog/modules/NCT-05/lessons/tra-tien-bang-ma-vietqr"

# Tables that genuinely must scroll sideways on a phone (a grid of learners by session dates); every other table
# becomes cards (`<table class="cards">`, see app.css) or fits as it is.
MAY_SCROLL = ("table.att-grid",)
# The page's width against the window's, and the elements that stick out past the right edge of the screen
# while their parent does not (the ones to fix). A scrolling box (.table-wrap) holds its content in, except an
# absolutely positioned element whose containing block lies outside that box; but a table that
# scrolls sideways hides columns, so that counts too, unless it is one that must.
OVERFLOW = """() => {
  const MAY_SCROLL = '""" + ", ".join(MAY_SCROLL) + """';
  const limit = window.innerWidth + 0.5, wide = [];
  const lifted = (style) => style.position === 'absolute' || style.position === 'fixed';
  const clipped = (el) => {
    let escapes = lifted(getComputedStyle(el));
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (escapes && style.position === 'static') { continue; }
      if (style.overflowX !== 'visible') { return true; }
      escapes = lifted(style);
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= limit || clipped(el)) { continue; }
    const parent = el.parentElement;
    if (parent !== document.body && parent.getBoundingClientRect().right > limit && !clipped(parent)) { continue; }
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    wide.push(name + ' (' + Math.round(box.width) + ' px, right edge ' + Math.round(box.right) + ') "' +
              (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50) + '"');
  }
  for (const button of document.querySelectorAll('button, .btn')) {
    if (button.offsetParent && button.scrollWidth > button.clientWidth + 1) {
      wide.push('text spills out of "' + button.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30) +
                '" (' + button.scrollWidth + ' px in ' + button.clientWidth + ' px)');
    }
  }
  for (const box of document.querySelectorAll('.table-wrap')) {
    const table = box.querySelector('table');
    if (box.scrollWidth > box.clientWidth + 1 && !(table && table.matches(MAY_SCROLL))) {
      wide.push('a table scrolls sideways (' + box.scrollWidth + ' px in ' + box.clientWidth + ' px): "' +
                (table ? table.querySelector('th, td').textContent.trim().slice(0, 40) : '') + '…"');
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: window.innerWidth, wide: wide.slice(0, 6)};
}"""


def _pass_module(person: Any, module: Any) -> Attempt:
    """Answer every question right and tick every task, as a good learner would."""
    attempt = quizzes.start_attempt(person, module, now=utcnow())
    for question in quizzes.questions_of(attempt):
        quizzes.save_answer(attempt, question.id, type_of(question).best_response(question), now=utcnow())
    quizzes.submit(attempt, now=utcnow())
    for task in module.current.tasks:
        practical.tick(person, module, task.code, by=None, on=utcnow())
    return attempt


@pytest.fixture
def school(curriculum, client: FlaskClient) -> dict[str, Any]:
    """A class on NCT-05 with long names and addresses, marks, results, ticks, a session now, issued certificates."""
    commune = factories.commune()
    village = factories.village(commune, "Thôn Trung Hòa Đông Phường")
    officer = factories.person(commune, name="Đỗ Thị Lan Phương", role=Role.OFFICER)
    instructor = factories.person(commune, name="Nguyễn Văn Hùng Cường", role=Role.INSTRUCTOR)
    module = catalog.module_by_code("NCT-05")
    start = vietnam.local_today() - dt.timedelta(weeks=5)
    klass = factories.school_class(
        commune, title="Lớp điện thoại thông minh cho người cao tuổi – thôn Trung Hòa Đông Phường",
        instructors=(instructor,), modules=(module,), starts_on=start, weeks=8)
    for week in range(4):
        sessions.add_session(klass, on=start + dt.timedelta(weeks=week), start=dt.time(8), end=dt.time(10),
                             venue=klass.venue, module=module, topic="Thanh toán bằng mã QR và chuyển khoản")
    names = ("Nguyễn Thị Ánh Tuyết Hương", "Trần Văn Bình", "Lê Thị Ngọc Diễm Phượng", "Hoàng Văn Thụ")
    home = people.create_household(village=village, address="Số 12, ngõ 34, đường Nguyễn Văn Linh, khu dân cư số 5")
    learners = [factories.person(commune, name=name, village=village, household=home) for name in names]
    for learner in learners:
        enrolment.enrol(klass, learner, source="staff")
    for session in klass.sessions:
        for learner in learners:
            row = db.session.scalars(select(Enrolment).where(Enrolment.class_id == klass.id,
                                                             Enrolment.person_id == learner.id)).one()
            marks.mark(session, row, "present" if learner is not learners[3] else "absent", actor=instructor,
                       now=utcnow())
    attempts = [_pass_module(learner, module) for learner in learners[:3]]
    now = factories.session_now(klass)
    db.session.commit()
    login(client, officer)
    assert client.post(f"/classes/{klass.id}/completion/confirm").status_code == 302
    issued = client.post(f"/classes/{klass.id}/certificates/issue", headers={"Accept": "application/json"})
    assert issued.status_code == 200
    serial = db.session.scalars(select(Certificate.serial).where(Certificate.person_id == learners[0].id)).one()
    return {"commune": commune, "officer": officer, "instructor": instructor, "class": klass, "learners": learners,
            "attempt": attempts[0], "session": now, "serial": serial}


def _pages(school: dict[str, Any], role: str) -> list[str]:
    c, k, learner = school["commune"].id, school["class"].id, school["learners"][0]
    serial, attempt, session = school["serial"], school["attempt"].id, school["session"].id
    return {
        "learner": ["/", "/catalog", "/catalog/modules/NCT-05", LESSON, "/catalog/modules/NCT-05/quiz",
                    f"/quiz/attempts/{attempt}/results", "/my/certificates", f"/verify/{serial}", "/classes",
                    f"/classes/{k}", "/account"],
        "instructor": ["/", f"/classes/{k}", f"/classes/{k}/roster", f"/attendance/sessions/{session}",
                       f"/classes/{k}/results", f"/classes/{k}/practical", f"/quiz/attempts/{attempt}/results"],
        "officer": ["/", f"/communes/{c}/classes", f"/classes/{k}", f"/classes/{k}/roster",
                    f"/communes/{c}/people", f"/people/{learner.id}", f"/communes/{c}/households",
                    f"/classes/{k}/completion", f"/certificates/{serial}", f"/communes/{c}", f"/classes/{k}/attendance",
                    f"/communes/{c}/attendance", f"/communes/{c}/assessment-settings"],
    }[role]


def _largest_text(page: Page) -> None:
    page.locator("button[name=size][value='3']").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('ts-3')")


@pytest.mark.parametrize("role", ["learner", "instructor", "officer"])
def test_the_largest_text_fits_a_360_px_phone_on_every_main_page(browser, live_server, school, role: str) -> None:
    person = {"learner": school["learners"][0], "instructor": school["instructor"], "officer": school["officer"]}[role]
    # Not is_mobile: a mobile browser widens its layout viewport to fit wide content (and zooms out), which
    # would hide the very overflow this looks for; a desktop viewport keeps window.innerWidth at 360.
    context = browser.new_context(viewport=SMALL_PHONE, locale="vi-VN", base_url=live_server, has_touch=True)
    page = context.new_page()
    try:
        axe.sign_in(page, person.phone, factories.PIN)
        _largest_text(page)
        too_wide = []
        for path in _pages(school, role):
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            found = page.evaluate(OVERFLOW)
            assert found["width"] == SMALL_PHONE["width"]
            if found["scroll"] > found["width"] or found["wide"]:
                too_wide.append(f"{path}: page {found['scroll']} px wide on a {found['width']} px screen; "
                                + "; ".join(found["wide"]))
                page.screenshot(path=str(factories.artifact(f"layout-360-{role}-{len(too_wide)}.png")),
                                full_page=True)
        assert not too_wide, "\n".join(too_wide)
    finally:
        context.close()


def _open_menu_scan(page: Page, path: str) -> None:
    button = page.locator("[data-menu-button]")
    if button.is_visible():
        button.click()
        expect(page.locator("#site-nav")).to_be_visible()


def test_the_menu_folds_behind_one_button_on_a_phone(phone, school) -> None:
    page = phone
    axe.sign_in(page, school["officer"].phone, factories.PASSWORD)
    button = page.get_by_role("button", name="Trình đơn")
    nav = page.get_by_role("navigation", name="Menu chính")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    # The header is one slim row and the page's own heading comes right after it, not below a wall of links.
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 844 / 10
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] < 844 / 6
    page.screenshot(path=str(factories.artifact("layout-menu-closed-phone.png")))

    button.click()  # one tap, and every menu item is on screen
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    people = nav.get_by_role("link", name="Người dân")
    expect(people).to_be_in_viewport()
    page.screenshot(path=str(factories.artifact("layout-menu-open-phone.png")))
    people.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Người dân")

    # The keyboard: Enter opens, Tab reaches the items, Escape closes and returns to the button.
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus is visible
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('site-nav').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press(" ")
    expect(nav).to_be_visible()
    button.click()
    expect(nav).to_be_hidden()


def test_a_wide_screen_shows_the_menu_without_a_button(tablet, school) -> None:
    axe.sign_in(tablet, school["officer"].phone, factories.PASSWORD)
    expect(tablet.get_by_role("navigation", name="Menu chính")).to_be_visible()
    expect(tablet.locator("[data-menu-button]")).to_be_hidden()


def test_without_javascript_the_menu_shows_in_full(browser, live_server, school) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server,
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        axe.sign_in(page, school["officer"].phone, factories.PASSWORD)
        expect(page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Người dân")).to_be_visible()
        expect(page.locator("[data-menu-button]")).to_be_hidden()
    finally:
        context.close()


def test_tables_become_cards_on_a_small_phone(browser, live_server, school) -> None:
    context = browser.new_context(viewport=SMALL_PHONE, locale="vi-VN", base_url=live_server)
    page = context.new_page()
    try:
        axe.sign_in(page, school["instructor"].phone, factories.PIN)
        page.goto(f"/classes/{school['class'].id}/results")
        table = page.locator("table.cards").first
        assert table.evaluate("t => getComputedStyle(t.querySelector('tr')).display") == "block"
        label = table.locator("td[data-label]").first
        assert label.evaluate("td => getComputedStyle(td, '::before').content") != "none"
        header = table.locator("thead").bounding_box()
        assert header is not None and header["height"] <= 1  # hidden from sight, still read out
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(factories.artifact("layout-results-cards-360.png")), full_page=True)
    finally:
        context.close()


def test_staff_pages_are_accessible_with_the_menu_open_and_closed(axe_scan, school) -> None:
    k, c = school["class"].id, school["commune"].id
    paths = ["/", f"/classes/{k}", f"/classes/{k}/roster", f"/classes/{k}/results", f"/classes/{k}/practical",
             f"/communes/{c}/people", f"/communes/{c}/households", f"/communes/{c}",
             f"/communes/{c}/assessment-settings"]
    sign_in = lambda page: axe.sign_in(page, school["officer"].phone, factories.PASSWORD)  # noqa: E731
    assert axe_scan(paths, sign_in=sign_in) == []
    assert axe_scan(paths, sign_in=sign_in, prepare=_open_menu_scan) == []


def test_the_admin_and_learner_menus_are_accessible_open_and_closed(axe_scan, school) -> None:
    admin = factories.person(school["commune"], name="Phạm Quốc Khánh", role=Role.ADMIN)
    db.session.commit()
    sign_in = lambda page: axe.sign_in(page, admin.phone, factories.PASSWORD)  # noqa: E731
    assert axe_scan(["/communes"], sign_in=sign_in, prepare=_open_menu_scan) == []
    learner = school["learners"][0]
    sign_in = lambda page: axe.sign_in(page, learner.phone, factories.PIN)  # noqa: E731
    assert axe_scan(["/", "/catalog"], sign_in=sign_in) == []
    assert axe_scan(["/", "/catalog"], sign_in=sign_in, prepare=_open_menu_scan) == []
