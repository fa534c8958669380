"""Demo: Chợ Tiên Minh with 50 stalls (34 take QR payment) and a small trading point in Thôn Đông.

Six stalls are linked to the demo's traders (who agree, on paper, to digital support); the others carry only a
business name. Facts were checked over the last two months by the officer and the Thôn Đông team member.
"""
from __future__ import annotations

import datetime as dt
import random

from flask import current_app
from sqlalchemy import select

from app.demo import services as demo
from app.extensions import db
from app.markets import services
from app.people import services as people
from app.people.models import Person
from app.places.models import Commune
from app.vietnam import local_today

OFFICER, TEAM_MEMBER = "0900000002", "0900000007"
MARKET = "Chợ Tiên Minh"
TRADE_POINT = "Điểm kinh doanh đầu cầu thôn Đông"
GOODS = (("Rau củ", "Rau sạch Trung Hòa"), ("Cá tươi", "Cá đồng Tiên Minh"), ("Thịt lợn", "Thịt sạch Đông Sơn"),
         ("Hoa quả", "Hoa quả bốn mùa"), ("Quần áo", "Thời trang Xuân Mai"), ("Giày dép", "Giày dép Hải Phòng"),
         ("Tạp hóa", "Tạp hóa Minh Phát"), ("Gạo, ngũ cốc", "Gạo ngon quê"), ("Đồ khô", "Đồ khô biển Cát Hải"),
         ("Bánh đa, bún", "Bún bánh Tiên Minh"), ("Gia vị", "Gia vị nhà làm"), ("Đồ nhựa, gia dụng", "Gia dụng Phú An"),
         ("Hải sản", "Hải sản Đồ Sơn"), ("Đậu phụ", "Đậu phụ làng"), ("Trứng gà, vịt", "Trứng quê"))
# The demo's traders (learners tagged "trader") and the stall each keeps.
TRADERS = {"0910000003": "5", "0910000007": "12", "0910000008": "18", "0910000009": "23", "0910000019": "31",
           "0910000025": "40"}
PLATFORM_MIX = (["zalo"], ["zalo", "facebook"], ["facebook"], ["shopee"], ["tiktok", "facebook"], ["zalo"])


def _stalls(market_name: str, count: int, qr: int, online: int, savings: int, invoice: int, commune: Commune,
            village_id: int | None, checkers: list[Person], traders: dict[str, Person], rng: random.Random,
            today: dt.date) -> None:
    market = services.save_market(commune, services.MarketFields(
        market_name, "market" if village_id is None else "trade_point", village_id,
        "Trung tâm xã Tiên Minh" if village_id is None else "Đầu cầu thôn Đông"), actor=checkers[0])
    # Which stalls hold which fact: QR first (the most common), the rest mostly among those that take QR.
    order = list(range(1, count + 1))
    rng.shuffle(order)
    with_qr = set(order[:qr])
    online_set = set(sorted(with_qr)[::max(1, len(with_qr) // online)][:online]) if online else set()
    savings_set = set(sorted(with_qr)[1::max(1, len(with_qr) // savings)][:savings]) if savings else set()
    invoice_set = set(sorted(with_qr)[2::max(1, len(with_qr) // invoice)][:invoice]) if invoice else set()
    for number in range(1, count + 1):
        goods, business = GOODS[(number * 7) % len(GOODS)]
        trader = traders.get(str(number)) if village_id is None else None
        stall = services.save_stall(market, services.StallFields(str(number), goods, business, trader),
                                    actor=checkers[0])
        values = {"qr_payment": number in with_qr, "online_sales": number in online_set,
                  "digital_savings": number in savings_set, "e_invoice": number in invoice_set}
        platforms = PLATFORM_MIX[number % len(PLATFORM_MIX)] if values["online_sales"] else []
        services.set_facts(stall, values, on=today - dt.timedelta(days=rng.randint(0, 60)),
                           actor=rng.choice(checkers), platforms=platforms, today=today)


def add_markets(commune: Commune) -> None:
    """Give the demo commune its market and trading point, with stalls, traders and their 4T facts."""
    phones = [OFFICER, TEAM_MEMBER, *TRADERS]
    found = {p.phone: p for p in db.session.scalars(select(Person).where(Person.commune_id == commune.id,
                                                                          Person.phone.in_(phones)))}
    officer = found.get(OFFICER)
    if officer is None:
        return
    checkers = [officer, *([found[TEAM_MEMBER]] if TEAM_MEMBER in found else [])]
    traders: dict[str, Person] = {}
    for phone, label in TRADERS.items():
        if (person := found.get(phone)) is not None:
            people.record_consent(person, purpose="digital_support", method="paper", recorded_by=officer,
                                  policy_version=current_app.config["CONSENT_POLICY_VERSION"],
                                  note="Phiếu đồng ý (demo)")
            traders[label] = person
    db.session.flush()
    rng = random.Random(50)
    today = local_today()
    _stalls(MARKET, 50, 34, 12, 6, 4, commune, None, checkers, traders, rng, today)
    east = next((v for v in commune.villages if v.name == "Thôn Đông"), None)
    if east is not None:
        _stalls(TRADE_POINT, 10, 4, 2, 1, 0, commune, east.id, checkers, {}, rng, today)


if add_markets not in demo.STEPS:
    demo.STEPS.append(add_markets)
