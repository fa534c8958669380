"""A learner takes a quiz at tablet size: half the answers online, the rest offline, then submits."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.extensions import db
from app.quizzes.models import Attempt, AttemptAnswer
from tests import factories

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
    queued = page.evaluate("JSON.parse(localStorage.getItem(localStorage.key(0)))")
    chosen = [v for item in queued for v in _values(item["response"])]
    assert len(queued) == 5 and chosen and not [v for v in chosen if str(v).isdigit() and v != "113"]
    page.screenshot(path=str(factories.artifact("quiz-offline-tablet.png")))
    page.locator("section.q:not([hidden])").get_by_role("link", name="Xem lại và nộp bài").click()
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.locator("[data-sync]")).to_contain_text("Chưa gửi được hết câu trả lời")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-sync]")).to_have_text("Đã lưu câu trả lời.", timeout=15000)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài kiểm tra")).to_be_visible()
    db.session.expire_all()
    attempt = db.session.scalars(select(Attempt)).one()
    assert attempt.status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 10
    assert page.evaluate("localStorage.length") == 0


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
