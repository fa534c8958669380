"""Catalogue → module → lesson in a real browser at tablet size, in Vietnamese, with read-aloud."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app import vietnam
from app.extensions import db
from tests import factories

pytestmark = pytest.mark.browser

# A stand-in speech engine with one Vietnamese voice that records what it was asked to say.
FAKE_SPEECH = """
(() => {
  const spoken = [];
  window.__spoken = spoken;
  const voice = {name: 'Tiếng Việt', lang: 'vi-VN', default: true, localService: true, voiceURI: 'vi'};
  const synth = {paused: false, speaking: false, onvoiceschanged: null,
    getVoices: () => [voice],
    speak(u) { spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang});
               setTimeout(() => u.onend && u.onend(), 5); },
    cancel() {}, pause() { this.paused = true; }, resume() { this.paused = false; }};
  Object.defineProperty(window, 'speechSynthesis', {value: synth});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""


def test_learner_browses_reads_a_lesson_and_marks_it_done(tablet, curriculum) -> None:
    learner = factories.person(factories.commune(), name="Nguyễn Thị Hương")
    db.session.commit()
    page = tablet
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(learner.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Học phần").first.click()
    page.get_by_role("link", name="Người cao tuổi").click()
    page.get_by_role("link", name="Làm quen với điện thoại thông minh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Làm quen với điện thoại thông minh")
    page.get_by_role("link", name="Bắt đầu học").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bật, tắt và mở khóa")
    image = page.locator("#lesson-body img").first
    assert image.get_attribute("alt")
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    page.screenshot(path=str(factories.artifact("lesson-tablet.png")))
    page.get_by_role("button", name="Đã học xong, sang bài tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chạm, vuốt")
    page.goto("/catalog/modules/NCT-01")
    expect(page.get_by_text("1/5 bài đã đọc")).to_be_visible()


def test_read_aloud_says_so_when_the_device_has_no_vietnamese_voice(tablet, curriculum) -> None:
    page = tablet
    page.add_init_script("Object.defineProperty(speechSynthesis, 'getVoices', {value: () => []});")
    page.goto("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa")
    page.get_by_role("button", name="Nghe").click()
    expect(page.get_by_role("status")).to_contain_text("chưa có giọng đọc tiếng Việt")


def test_read_aloud_reads_the_lesson_in_vietnamese(tablet, curriculum) -> None:
    page = tablet
    page.add_init_script(FAKE_SPEECH)
    page.goto("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa")
    page.get_by_role("button", name="Nghe").click()
    expect(page.get_by_role("status")).to_have_text("Đã đọc xong.", timeout=15000)
    spoken = page.evaluate("window.__spoken")
    assert len(spoken) > 5 and all(s["lang"] == "vi-VN" and s["voice"] == "vi-VN" for s in spoken)
    assert any("Chiếc điện thoại thông minh" in s["text"] for s in spoken)
    assert any(s["text"] for s in spoken if "Nút nguồn" in s["text"] or "nguồn" in s["text"])


def test_lesson_is_readable_on_a_phone(phone, curriculum) -> None:
    page = phone
    page.goto("/catalog/modules/NCT-05/lessons/tra-tien-bang-ma-vietqr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#lesson-body p')).fontSize)")
    assert size >= 18


# --- issue 12: where to continue, listening that follows the text -----------------------------------

# Like FAKE_SPEECH, but a sentence ends only when the test says so (window.__next()), to look at mid-reading.
STEPPED_SPEECH = FAKE_SPEECH.replace("setTimeout(() => u.onend && u.onend(), 5);", "window.__current = u;") + """
window.__next = () => { const u = window.__current; window.__current = null; if (u && u.onend) { u.onend(); } };
"""
LONG_LESSON = "/catalog/modules/NCT-01/lessons/goi-dien-va-goi-zalo"


def _sign_in(page, person) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(person.phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(factories.PIN)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def _learner_in_class(with_read: int = 1):
    import datetime as dt

    from app.catalog import services as catalog
    from app.classes import enrolment, sessions

    commune = factories.commune()
    nct05, nct01 = catalog.module_by_code("NCT-05"), catalog.module_by_code("NCT-01")
    klass = factories.school_class(commune, modules=(nct05, nct01))
    sessions.add_session(klass, on=vietnam.local_today(), start=dt.time(0, 0), end=dt.time(23, 59),
                         venue=klass.venue, module=nct01, topic="Gọi video qua Zalo")
    learner = factories.person(commune, name="Nguyễn Thị Hương")
    enrolment.enrol(klass, learner, source="staff")
    for lesson in nct01.current.lessons[:with_read]:
        catalog.mark_read(learner.id, lesson)
    db.session.commit()
    return klass, learner, nct01


def test_learner_taps_hoc_tiep_on_home_and_lands_on_the_next_lesson(tablet, curriculum) -> None:
    _klass, learner, nct01 = _learner_in_class(with_read=2)
    page = tablet
    _sign_in(page, learner)
    today = page.locator(".module-today")
    expect(today).to_contain_text("Hôm nay học")
    expect(today).to_contain_text("2/5 bài đã đọc")
    page.screenshot(path=str(factories.artifact("learner-home-continue-tablet.png")), full_page=True)
    page.get_by_role("link", name="Học tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nct01.current.lessons[2].title_vi)
    # Finishing it moves on, and home then points at the lesson after.
    page.get_by_role("button", name="Đã học xong, sang bài tiếp").click()
    page.goto("/")
    page.get_by_role("link", name="Học tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nct01.current.lessons[3].title_vi)


def test_class_page_continue_opens_the_next_lesson(tablet, curriculum) -> None:
    klass, learner, nct01 = _learner_in_class(with_read=1)
    page = tablet
    _sign_in(page, learner)
    page.goto(f"/classes/{klass.id}")
    expect(page.locator(".module-today")).to_contain_text("Hôm nay học")
    page.get_by_role("link", name="Học tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nct01.current.lessons[1].title_vi)


VISIBLE = """(el) => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"""


def _until(page, script: str, timeout: float = 15.0) -> None:
    """Wait until a script is true (wait_for_function evaluates strings, which the pages' CSP forbids)."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(50)


def _listen_follows_the_text(page, screenshot: str) -> None:
    page.add_init_script(STEPPED_SPEECH)
    page.goto(LONG_LESSON)
    bar = page.locator(".listen")
    page.mouse.wheel(0, 3000)
    _until(page, "window.scrollY > 300")
    assert page.evaluate(VISIBLE, bar.element_handle()), "the listen controls scrolled away"
    page.get_by_role("button", name="Nghe").click()
    expect(page.get_by_role("button", name="Tạm dừng")).to_be_visible()
    # Go well into the lesson, then check the reading is followed on screen.
    for _ in range(12):
        page.evaluate("window.__next()")
    speaking = page.locator("#lesson-body .speaking")
    expect(speaking).to_have_count(1)
    said = page.evaluate("window.__spoken[window.__spoken.length - 1].text")
    assert said[:20] in " ".join(speaking.inner_text().split())
    page.wait_for_timeout(700)  # smooth scrolling settles
    assert page.evaluate(VISIBLE, speaking.element_handle()), "the block being read is off screen"
    assert page.evaluate(VISIBLE, bar.element_handle()), "the listen controls are off screen while reading"
    bar_bottom = page.evaluate("document.querySelector('.listen').getBoundingClientRect().bottom")
    box = speaking.bounding_box()
    assert box["y"] + box["height"] > bar_bottom, "the bar covers the text being read"
    assert page.evaluate("CSS.highlights.has('hvs-sentence')"), "no sentence highlight"
    highlighted = page.evaluate("[...CSS.highlights.get('hvs-sentence')][0].toString()")
    assert " ".join(highlighted.split()) == said
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(factories.artifact(screenshot)))
    page.get_by_role("button", name="Dừng", exact=True).click()
    expect(page.locator("#lesson-body .speaking")).to_have_count(0)


def test_listen_controls_stay_in_reach_and_follow_the_text_on_a_tablet(tablet, curriculum) -> None:
    _listen_follows_the_text(tablet, "lesson-listening-tablet.png")


def test_listen_controls_stay_in_reach_on_a_phone_at_the_largest_text(phone, curriculum) -> None:
    phone.goto(LONG_LESSON)
    phone.get_by_role("button", name="Rất lớn").click()
    phone.wait_for_load_state()
    _listen_follows_the_text(phone, "lesson-listening-phone-large.png")
    height = phone.evaluate("document.querySelector('.listen').getBoundingClientRect().height")
    assert height < 844 / 3, f"the listen bar takes {height}px of the screen"


def test_nested_list_items_are_read_and_highlighted_as_their_own_blocks(tablet, curriculum) -> None:
    page = tablet
    page.add_init_script(FAKE_SPEECH)
    page.goto(LONG_LESSON)
    assert page.locator("#lesson-body li ul li").count() == 2  # the sub-list renders as a list
    page.get_by_role("button", name="Nghe").click()
    expect(page.get_by_role("status")).to_have_text("Đã đọc xong.", timeout=15000)
    spoken = [s["text"] for s in page.evaluate("window.__spoken")]
    parent = next(s for s in spoken if s.startswith("Ở góc trên bên phải"))
    assert "ống nghe" not in parent  # the sub-items are read on their own, not twice
    assert any(s.startswith("Hình ống nghe") for s in spoken)


def test_without_speech_the_lesson_reads_as_before(tablet, curriculum) -> None:
    page = tablet
    page.add_init_script("delete window.speechSynthesis; delete Window.prototype.speechSynthesis;")
    page.goto(LONG_LESSON)
    expect(page.get_by_role("button", name="Nghe")).to_be_disabled()
    expect(page.get_by_role("status")).to_contain_text("không đọc to được")
    assert page.evaluate("getComputedStyle(document.querySelector('.listen')).position") != "sticky"


def test_learning_pages_are_accessible(axe_scan, curriculum) -> None:
    from tests import axe

    klass, learner, _nct01 = _learner_in_class(with_read=1)
    paths = ["/", f"/classes/{klass.id}", "/catalog/modules/NCT-01", LONG_LESSON, "/my/certificates"]
    assert axe_scan(paths, sign_in=lambda page: axe.sign_in(page, learner.phone, factories.PIN)) == []
