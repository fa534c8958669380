"""The demo commune shows the digital market: Chợ Tiên Minh with 50 stalls, 34 of them taking QR payment."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.demo import services as demo
from app.extensions import db
from app.markets import services
from app.markets.models import Stall


def test_the_demo_commune_has_cho_tien_minh_with_realistic_coverage(ctx: Flask) -> None:
    commune = demo.load()
    rows = {m.name: c for m, c in services.coverage(commune.id)}
    market = rows["Chợ Tiên Minh"]
    assert market.stalls == 50 and market.counts["qr_payment"] == 34
    assert 0 < market.counts["e_invoice"] < market.counts["digital_savings"] < market.counts["online_sales"] < 34
    assert rows["Điểm kinh doanh đầu cầu thôn Đông"].stalls == 10
    traders = db.session.scalars(select(Stall).where(Stall.trader_id.is_not(None))).all()
    assert len(traders) == 6 and all(s.market.name == "Chợ Tiên Minh" for s in traders)
    online = db.session.scalars(select(Stall).where(Stall.online_sales.is_(True))).all()
    assert all(s.platform_codes for s in online)
