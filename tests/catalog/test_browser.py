"""Catalogue → module → lesson in a real browser at tablet size, in Vietnamese, with read-aloud."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
    expect(page.get_by_text("Đã học 1/5 bài")).to_be_visible()


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
