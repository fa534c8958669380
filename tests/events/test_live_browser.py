"""In a real browser: the live board opened with its key on a television-sized screen updates its figures, without
reloading, when a participant registers and checks in at a station; it falls back to polling when the stream is
refused, says when the connection is lost and keeps its figures; it fits the screen and passes axe."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.events import services as events
from app.extensions import db
from tests import factories
from tests.events.conftest import Day

pytestmark = pytest.mark.browser
MARKER = "window.__marker"


def board_url(day: Day) -> str:
    return f"/events/{day.event.id}/live?key={day.event.board_key}"


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollHeight <= window.innerHeight"
                              " && document.documentElement.scrollWidth <= window.innerWidth"))


def arrive_and_visit(day: Day, client_id: str) -> None:
    """At the gate and at the VietQR station, through the services, in the test's database."""
    participant = events.register(day.event, day.huong, source="gate", actor=day.youth)
    events.check_in(day.qr, participant, ticks=list(range(len(day.qr.checklist))), actor=day.youth,
                    client_id=client_id)
    db.session.commit()


def station(page: Page, day: Day, field: str) -> Any:
    return page.locator(f'[data-live-list="stations"] [data-key="s{day.qr.id}"] [data-f="{field}"]')


def test_the_board_updates_its_figures_without_reloading(tablet: Page, day: Day) -> None:
    page = tablet
    page.goto(board_url(day))
    expect(page.get_by_role("heading", level=1)).to_have_text(day.event.name)
    arrived = page.locator('[data-live-total="arrived"]')
    expect(arrived).to_have_text("0")
    expect(station(page, day, "now")).to_have_text("0")
    assert fits(page), "the board scrolls on a 1280×800 screen"
    page.evaluate(f"{MARKER} = 'the same page'")
    page.screenshot(path=str(factories.artifact("events-live-board-tablet.png")))
    shown_at = page.locator("[data-live-time]").inner_text()

    arrive_and_visit(day, "browser-live-1")
    expect(arrived).to_have_text("1", timeout=20000)
    expect(station(page, day, "now")).to_have_text("1")
    expect(station(page, day, "visits")).to_have_text("1")
    expect(station(page, day, "completed")).to_have_text("1")
    expect(page.locator('[data-live-total="completed"]')).to_have_text("1")
    expect(page.locator(f'[data-live-list="villages"] [data-key="v{day.dong.id}"] [data-f="count"]')).to_have_text("<5")
    assert page.evaluate(MARKER) == "the same page", "the board reloaded"
    assert page.locator("[data-live-time]").inner_text() != shown_at or shown_at == "", "the time did not move on"
    expect(page.locator("[data-live-notice]")).to_be_hidden()
    assert day.huong.full_name not in page.content()

    stranger = factories.person(day.commune, name="Vàng Thị Xa", village=None, birth_year=2001)
    events.register(day.event, stranger, source="gate", actor=day.youth, consent_method="verbal")
    db.session.commit()
    expect(page.locator('[data-live-list="villages"] [data-key="v0"] [data-f="name"]')).to_have_text(
        "Chưa rõ thôn", timeout=20000)  # a row the page did not have is added
    expect(arrived).to_have_text("2")
    assert page.evaluate(MARKER) == "the same page"

    page.set_viewport_size({"width": 1920, "height": 1080})
    assert fits(page), "the board scrolls on a 1920×1080 screen"
    page.screenshot(path=str(factories.artifact("events-live-board-tv.png")))


def test_the_board_polls_when_the_stream_is_refused(tablet: Page, day: Day) -> None:
    page = tablet
    page.route("**/live/stream**", lambda route: route.fulfill(status=503, body="busy"))
    page.goto(board_url(day))
    page.evaluate(f"{MARKER} = 'the same page'")
    arrive_and_visit(day, "browser-live-2")
    expect(page.locator('[data-live-total="arrived"]')).to_have_text("1", timeout=20000)
    assert page.evaluate(MARKER) == "the same page"


def test_the_board_says_when_it_lost_the_connection_and_keeps_its_figures(tablet: Page, day: Day) -> None:
    page = tablet
    arrive_and_visit(day, "browser-live-3")
    page.goto(board_url(day))
    page.evaluate(f"{MARKER} = 'the same page'")
    arrived, notice = page.locator('[data-live-total="arrived"]'), page.locator("[data-live-notice]")
    expect(arrived).to_have_text("1")
    page.context.set_offline(True)
    expect(notice).to_be_visible(timeout=30000)
    expect(notice).to_have_text("Mất kết nối — đang thử lại")
    expect(arrived).to_have_text("1")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(notice).to_be_hidden(timeout=20000)
    stranger = factories.person(day.commune, name="Vàng Thị Xa", village=day.tay, birth_year=2001)
    events.register(day.event, stranger, source="gate", actor=day.youth, consent_method="verbal")
    db.session.commit()
    expect(arrived).to_have_text("2", timeout=20000)
    assert page.evaluate(MARKER) == "the same page"


def test_the_board_on_a_phone_fits_its_width(phone: Page, day: Day) -> None:
    phone.goto(board_url(day))
    expect(phone.get_by_role("heading", level=1)).to_have_text(day.event.name)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(factories.artifact("events-live-board-phone.png")), full_page=True)


def test_a_wrong_key_shows_no_board(tablet: Page, day: Day) -> None:
    response = tablet.goto(f"/events/{day.event.id}/live?key=wrong")
    assert response is not None and response.status == 404
    assert day.event.name not in tablet.content()


def test_the_board_has_no_serious_accessibility_problems(axe_scan: Any, day: Day) -> None:
    arrive_and_visit(day, "browser-live-4")
    url = board_url(day)
    # The scan picks the language with the site footer's buttons, which the board (a television) does not show.
    found = axe_scan(["/", url])
    assert [line for line in found if url in line] == []
