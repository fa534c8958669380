"""The commune's indicator that stalls answer: stalls taking cashless (QR) payment.

It counts stalls as they stand now whose QR payment was last confirmed by the period's end: the app keeps each
stall's current 4T facts, not their history, so a past period is read from today's state.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, null, select

from app import indicators
from app.extensions import db
from app.indicators import Counts, Dimension, Indicator, Period, Unit
from app.markets.models import Market, Stall


class StallsCashless(Indicator):
    code = "stalls_cashless"
    name = _l("Số quầy hàng tại chợ, điểm kinh doanh nhận thanh toán không dùng tiền mặt (mã QR)")
    unit = Unit.STALLS
    order = 85
    cumulative = True
    dimensions = (Dimension.VILLAGE,)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        if by is Dimension.VILLAGE:
            key = Market.village_id
        elif by is None:
            key = null()
        else:
            raise ValueError(by)
        query = (select(Market.commune_id, key, func.count(Stall.id)).join(Market, Market.id == Stall.market_id)
                 .where(Market.commune_id.in_(commune_ids), Stall.qr_payment.is_(True),
                        Stall.qr_payment_on < period.end)
                 .group_by(Market.commune_id, *(() if by is None else (key,))))  # PostgreSQL refuses GROUP BY NULL
        return {(commune, k): n for commune, k, n in db.session.execute(query)}


indicators.register(StallsCashless)
