"""The families pages and a person's digital skills page at phone and tablet size: nothing wider than the screen,
no accessibility violations, and the printed list without its forms."""
from __future__ import annotations

from typing import Any

import pytest

from app.digital import services as digital
from app.extensions import db
from app.people import services as people
from app.vietnam import local_today
from tests import axe, factories
from tests.conftest import PHONE, TABLET
from tests.families.conftest import World
from tests.test_layout import OVERFLOW

pytestmark = pytest.mark.browser


def _pages(world: World) -> list[str]:
    an = world.members["an"]
    people.record_consent(an, purpose="digital_support", method="paper", policy_version="t", recorded_by=None)
    digital.record_many(an, {"smartphone": 1, "vneid": 1}, observed_on=local_today(), source="visit",
                        actor=world.team)
    db.session.commit()
    c = world.commune.id
    return [f"/communes/{c}/families", f"/communes/{c}/families/households",
            f"/communes/{c}/families/households?village={world.dong.id}", f"/communes/{c}/families/settings",
            f"/people/{an.id}/digital", f"/people/{world.members['dung'].id}/digital"]


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_the_pages_fit_the_screen(browser: Any, live_server: str, world: World, viewport: dict) -> None:
    paths = _pages(world)
    context = browser.new_context(viewport=viewport, locale="vi-VN", base_url=live_server)
    page = context.new_page()
    try:
        axe.sign_in(page, world.officer.phone, factories.PASSWORD)
        for path in paths:
            page.goto(path)
            assert page.locator("h1").count() == 1, path
            measured = page.evaluate(OVERFLOW)
            assert measured["scroll"] <= measured["width"] and not measured["wide"], (path, measured)
    finally:
        context.close()


def test_the_pages_pass_axe(axe_scan: Any, world: World) -> None:
    paths = _pages(world)
    assert axe_scan(paths, sign_in=lambda page: axe.sign_in(page, world.officer.phone, factories.PASSWORD)) == []


def test_the_printed_list_leaves_out_the_forms(browser: Any, live_server: str, world: World) -> None:
    context = browser.new_context(viewport=TABLET, locale="vi-VN", base_url=live_server)
    page = context.new_page()
    try:
        axe.sign_in(page, world.officer.phone, factories.PASSWORD)
        page.goto(f"/communes/{world.commune.id}/families/households")
        assert page.get_by_role("button", name="In danh sách (khổ A4)").is_visible()
        assert page.locator("input[name=alley]").first.is_visible()
        page.emulate_media(media="print")
        assert not page.locator("input[name=alley]").first.is_visible()
        assert not page.get_by_role("button", name="In danh sách (khổ A4)").is_visible()
        assert page.get_by_role("rowheader", name="Số 1, đường Làng").is_visible()
    finally:
        context.close()
