"""The markets list and a market's page cost the same number of SQL statements for 2 markets of 3 stalls as for 12
markets of 60 stalls each, with traders linked (coverage is one GROUP BY; traders and their 4T completions load in
one query each)."""
from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient

from app.extensions import db
from app.markets import services
from app.markets.models import Market
from app.policy import Role
from tests import factories
from tests.conftest import login
from tests.markets.conftest import consent
from tests.statements import counting

DAY = dt.date(2026, 5, 4)


def _build(code: str, markets: int, stalls: int) -> tuple[int, int, object]:
    commune = factories.commune(code)
    village = factories.village(commune, "Thôn Đông")
    officer = factories.person(commune, name="Đỗ Thị Lan", role=Role.OFFICER)
    traders = [factories.person(commune, name=f"Tiểu thương {n}", village=village, tags=("trader",))
               for n in range(min(stalls, 8))]
    for trader in traders:
        consent(trader)
    first: Market | None = None
    for m in range(markets):
        market = services.save_market(commune, services.MarketFields(
            f"Chợ số {m + 1}", "market", village.id if m % 2 else None), actor=officer)
        first = first or market
        for s in range(stalls):
            trader = traders[s] if market is first and s < len(traders) else None
            stall = services.save_stall(market, services.StallFields(str(s + 1), "Rau", "", trader), actor=officer)
            services.set_facts(stall, {"qr_payment": s % 3 != 0, "online_sales": s % 4 == 0}, on=DAY,
                               actor=officer, platforms=["zalo"] if s % 4 == 0 else [])
    db.session.commit()
    assert first is not None
    return commune.id, first.id, officer


def _statements(client: FlaskClient, url: str) -> int:
    client.get(url)  # warm-up: the session's first look-up of the signed-in person is not the page's cost
    with counting() as ran:
        response = client.get(url)
    assert response.status_code == 200
    return len(ran)


def test_the_markets_list_does_not_grow_with_markets_or_stalls(client: FlaskClient, ctx: object) -> None:
    small_commune, _, small_officer = _build(factories.COMMUNE_CODES[0], 2, 3)
    large_commune, _, large_officer = _build(factories.COMMUNE_CODES[1], 12, 60)
    small = _statements(login(client, small_officer), f"/communes/{small_commune}/markets")
    large = _statements(login(client, large_officer), f"/communes/{large_commune}/markets")
    assert small == large, (small, large)


def test_a_market_page_does_not_grow_with_its_stalls_or_traders(client: FlaskClient, ctx: object) -> None:
    _, small_market, small_officer = _build(factories.COMMUNE_CODES[0], 1, 3)
    _, large_market, large_officer = _build(factories.COMMUNE_CODES[1], 1, 60)
    small = _statements(login(client, small_officer), f"/markets/{small_market}")
    large = _statements(login(client, large_officer), f"/markets/{large_market}")
    assert small == large, (small, large)
    page = client.get(f"/markets/{large_market}").get_data(as_text=True)
    assert page.count('id="stall-') == 60 and "Tiểu thương 7" in page
