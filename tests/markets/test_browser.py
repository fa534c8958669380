"""In a real browser at phone size: a team member checks stalls at the market with one tap per fact."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.markets import services
from app.markets.models import Stall
from tests import factories
from tests.markets.conftest import make_world

pytestmark = pytest.mark.browser


def sign_in(page: Page, phone: str, secret: str) -> None:
    page.goto("/login")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mật khẩu hoặc mã PIN (6 số)").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", level=1).wait_for()


def test_a_team_member_marks_a_stall_as_taking_qr_with_one_tap_on_a_phone(phone: Page, ctx) -> None:
    world = make_world()
    for n in range(1, 13):
        services.save_stall(world.market, services.StallFields(str(n), "Hoa quả", "Hoa quả bốn mùa",
                                                               world.trader if n == 1 else None), actor=world.officer)
    db.session.commit()
    page = phone
    sign_in(page, world.team_east.phone, factories.PASSWORD)
    page.goto(f"/markets/{world.market.id}")
    expect(page.get_by_text("Chợ Tiên Minh: 0 / 12 quầy nhận thanh toán QR")).to_be_visible()
    button = page.locator("#stall-" + str(db.session.scalar(select(Stall.id).where(Stall.label == "9")))) \
        .get_by_role("button", name="Quầy 9: QR")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(page.get_by_text("Chợ Tiên Minh: 1 / 12 quầy nhận thanh toán QR")).to_be_visible()
    expect(page.get_by_role("button", name="Quầy 9: QR")).to_have_attribute("aria-pressed", "true")
    assert page.url.endswith("#stall-" + page.locator("li.card", has_text="Quầy 9").get_attribute("id")[6:])
    page.get_by_role("button", name="Quầy 9: Tiết kiệm số").click()
    expect(page.get_by_role("button", name="Quầy 9: Tiết kiệm số")).to_have_attribute("aria-pressed", "true")
    # Nothing sticks out sideways on a 390-pixel-wide phone, not even a pressed button's tick.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each button's label fits inside it (a label wider than its button spills over its neighbour).
    assert page.evaluate("[...document.querySelectorAll('li.card .btn')]"
                         ".every(b => b.scrollWidth <= b.clientWidth + 1)")
    page.screenshot(path=str(factories.artifact("markets-phone.png")), full_page=False)
    db.session.expire_all()
    saved = db.session.scalar(select(Stall).where(Stall.label == "9"))
    assert saved.qr_payment is True and saved.qr_payment_by_id == world.team_east.id


def test_the_market_pages_pass_axe(axe_scan, ctx) -> None:
    from tests import axe

    world = make_world()
    stall = services.save_stall(world.market, services.StallFields("1", "Rau củ", "Rau sạch", world.trader),
                                actor=world.officer)
    services.set_facts(stall, {"qr_payment": True, "online_sales": True}, on=stall.created_at.date(),
                       actor=world.officer, platforms=["zalo"])
    db.session.commit()
    paths = [f"/communes/{world.commune.id}/markets", f"/markets/{world.market.id}", f"/stalls/{stall.id}",
             f"/stalls/{stall.id}/edit", f"/markets/{world.market.id}/stalls/new",
             f"/communes/{world.commune.id}/markets/new"]
    assert axe_scan(paths, sign_in=lambda page: axe.sign_in(page, world.officer.phone, factories.PIN)) == []
