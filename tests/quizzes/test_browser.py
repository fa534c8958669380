"""A learner takes a quiz at tablet size: half the answers online, the rest offline, then submits. An instructor
ticks practical tasks on a phone without the page reloading."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.catalog import services as catalog
from app.classes import enrolment
from app.extensions import db
from app.policy import Role
from app.quizzes import practical
from app.quizzes.models import Attempt, AttemptAnswer
from tests import axe, factories

pytestmark = pytest.mark.browser


def answer_visible_question(page: Page) -> None:
    """Answer whatever question is on screen, the way a learner would."""
    section = page.locator("section.q:not([hidden])")
    kind = section.get_attribute("data-type")
    if kind in ("multichoice", "truefalse"):
        section.locator("button.choice").first.click()
    elif kind == "multiresponse":
        section.locator("input[type=checkbox]").first.check()
    elif kind == "shortanswer":
        section.locator("input[name=answer]").fill("113")
        section.get_by_role("button", name="Lưu câu trả lời").click()
    else:
        for select in section.locator("select[data-pair]").all():
            select.select_option(index=1)
    expect(section).to_have_attribute("data-answered", "")


def _values(response: object) -> list[object]:
    if isinstance(response, dict):
        return [*response.keys(), *response.values()]
    return list(response) if isinstance(response, list) else [response]


def next_question(page: Page) -> None:
    page.locator("section.q:not([hidden])").get_by_role("link", name="Câu tiếp theo").click()


def test_answers_survive_a_dropped_network_and_are_sent_once(tablet, curriculum) -> None:
    learner = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    page = tablet
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(learner.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/catalog/modules/NCT-06/quiz")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_role("heading", name="Câu 1/10")).to_be_visible()
    page.screenshot(path=str(factories.artifact("quiz-tablet.png")))
    for _ in range(5):
        answer_visible_question(page)
        next_question(page)
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu câu trả lời.")
    page.context.set_offline(True)
    for index in range(5):
        answer_visible_question(page)
        if index < 4:
            next_question(page)
    expect(page.locator("[data-sync]")).to_contain_text("5 câu trả lời đang được giữ trong máy")
    # The offline queue names answers by the attempt's keys, never by their place in the question bank.
    queued = page.evaluate("JSON.parse(localStorage.getItem('hvs-outbox'))")
    chosen = [v for item in queued for v in _values(item["fields"]["response"])]
    assert len(queued) == 5 and chosen and not [v for v in chosen if str(v).isdigit() and v != "113"]
    page.screenshot(path=str(factories.artifact("quiz-offline-tablet.png")))
    page.locator("section.q:not([hidden])").get_by_role("link", name="Xem lại và nộp bài").click()
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa gửi được hết câu trả lời")
    expect(page.locator("[data-sync]")).to_contain_text("5 câu trả lời đang được giữ trong máy")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu câu trả lời.", timeout=15000)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài kiểm tra")).to_be_visible()
    db.session.expire_all()
    attempt = db.session.scalars(select(Attempt)).one()
    assert attempt.status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 10
    # Nothing of the learner stays on the tablet: only the device's own id is left.
    assert page.evaluate("Object.keys(localStorage)") == ["hvs-device"]


def test_quiz_fits_a_phone_screen(phone, curriculum) -> None:
    learner = factories.person(factories.commune(), name="Trần Văn Bình")
    db.session.commit()
    page = phone
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(learner.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/catalog/modules/NCT-05/quiz")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_role("heading", name="Câu 1/10")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    visible = page.locator("section.q:not([hidden])")
    box = visible.locator(".choice, input[name=answer], input[type=checkbox], select").first.bounding_box()
    assert box and box["height"] >= 48
    page.screenshot(path=str(factories.artifact("quiz-phone.png")))


def _checklist():
    """A class on NCT-05 with its instructor and two learners enrolled."""
    commune = factories.commune()
    instructor = factories.person(commune, name="Nguyễn Văn Hùng", role=Role.INSTRUCTOR)
    module = catalog.module_by_code("NCT-05")
    school = factories.school_class(commune, instructors=(instructor,), modules=(module,))
    learners = [factories.person(commune, name=name) for name in ("Nguyễn Thị Hương", "Trần Văn Bình")]
    rows = [enrolment.enrol(school, learner, source="staff") for learner in learners]
    db.session.commit()
    return school, instructor, learners, module, rows


def _ticked(person_id: int, module_id: int) -> set[str]:
    db.session.expire_all()
    return set(practical.checks_for([person_id], module_id)[person_id])


def test_an_instructor_ticks_practical_tasks_on_a_phone_without_a_reload(phone, curriculum) -> None:
    school, instructor, learners, module, rows = _checklist()
    page = phone
    axe.sign_in(page, instructor.phone, factories.PIN)
    page.goto(f"/classes/{school.id}/practical")
    page.evaluate("window.stillHere = 'yes'")  # a reload or a navigation would wipe this
    task = module.current.tasks[0]
    first = page.locator(f"#learner-{learners[0].id}")
    button = first.get_by_role("button", name=task.title_vi)
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(first.get_by_role("status")).to_contain_text("Đã lưu")
    expect(first.locator("[data-when]").first).not_to_be_empty()
    assert page.evaluate("window.stillHere") == "yes"
    assert _ticked(learners[0].id, module.id) == {task.code}
    page.screenshot(path=str(factories.artifact("practical-ticked-phone.png")))

    # The second learner left the class while the page was open: the tick is refused, reverts and says why.
    enrolment.withdraw(rows[1])
    db.session.commit()
    second = page.locator(f"#learner-{learners[1].id}")
    refused = second.get_by_role("button", name=task.title_vi)
    refused.click()
    expect(second.get_by_role("status")).to_contain_text("Chưa lưu")
    expect(second.get_by_role("status")).to_contain_text("không còn học lớp này")
    expect(refused).to_have_attribute("aria-pressed", "false")
    assert _ticked(learners[1].id, module.id) == set()
    page.screenshot(path=str(factories.artifact("practical-refused-phone.png")))

    # A tick made by mistake is taken back the same way.
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(first.get_by_role("status")).to_contain_text("bỏ đánh dấu")
    assert _ticked(learners[0].id, module.id) == set()
    assert page.evaluate("window.stillHere") == "yes"


def test_practical_ticks_still_work_without_javascript(browser, live_server, curriculum) -> None:
    school, instructor, learners, module, _rows = _checklist()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server,
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        axe.sign_in(page, instructor.phone, factories.PIN)
        page.goto(f"/classes/{school.id}/practical")
        task = module.current.tasks[1]
        page.locator(f"#learner-{learners[1].id}").get_by_role("button", name=task.title_vi).click()
        page.wait_for_load_state()
        expect(page.locator(f"#learner-{learners[1].id}").get_by_role("button", name=task.title_vi)) \
            .to_have_attribute("aria-pressed", "true")
        assert _ticked(learners[1].id, module.id) == {task.code}
    finally:
        context.close()


def test_results_and_practical_pages_are_accessible(axe_scan, curriculum) -> None:
    school, instructor, _learners, _module, _rows = _checklist()

    def open_menu(page: Page, path: str) -> None:
        if page.locator("[data-menu-button]").is_visible():
            page.locator("[data-menu-button]").click()

    paths = [f"/classes/{school.id}/practical", f"/classes/{school.id}/results"]
    sign_in = lambda page: axe.sign_in(page, instructor.phone, factories.PIN)  # noqa: E731
    assert axe_scan(paths, sign_in=sign_in) == []
    assert axe_scan(paths, sign_in=sign_in, prepare=open_menu) == []


def test_answers_queued_under_the_old_key_move_to_the_outbox_and_are_saved_once(tablet, curriculum) -> None:
    learner = factories.person(factories.commune(), name="Lê Thị Thu")
    db.session.commit()
    page = tablet
    axe.sign_in(page, learner.phone, factories.PIN)
    page.goto("/catalog/modules/NCT-06/quiz")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_role("heading", name="Câu 1/10")).to_be_visible()
    attempt = db.session.scalars(select(Attempt)).one()
    # What the quiz page of the previous release left in this browser: two answers, the second replacing the
    # first for the same question, waiting for the network.
    section = page.locator("section.q[data-type='multichoice'], section.q[data-type='truefalse']").first
    question_id = int(section.get_attribute("data-question-id"))
    first, second = section.locator("button.choice").evaluate_all("bs => bs.map(b => b.getAttribute('data-value'))")[:2]
    queue = [{"client_id": "0a7c0b1e-0000-4000-8000-000000000001", "question_id": question_id, "response": first,
              "client_time": "2026-12-04T01:00:00.000Z"},
             {"client_id": "0a7c0b1e-0000-4000-8000-000000000002", "question_id": question_id, "response": second,
              "client_time": "2026-12-04T01:00:05.000Z"}]
    page.evaluate("([key, queue]) => localStorage.setItem(key, JSON.stringify(queue))",
                  [f"hvs-quiz-{attempt.id}", queue])
    page.reload()
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu câu trả lời.")
    expect(page.locator(f"section[data-question-id='{question_id}'] button.choice[data-value='{second}']")) \
        .to_have_attribute("aria-pressed", "true")
    db.session.expire_all()
    saved = db.session.scalars(select(AttemptAnswer)).all()
    assert [(a.question_id, a.client_id) for a in saved] == [(question_id, queue[1]["client_id"])]
    assert page.evaluate("Object.keys(localStorage)") == ["hvs-device"]
