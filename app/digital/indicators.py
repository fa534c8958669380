"""The commune's indicators counted from people's digital facts: smartphones, payment accounts, VNeID level 2.

Each counts the residents whose latest record, on the period's last day, says they have it (a running total, as
the plans count them), with the same codes and names as the figures once entered by hand.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from app import indicators
from app.digital import services
from app.indicators import ADULT_AGE, Counts, Dimension, Indicator, Period, Population
from app.people import breakdowns

VNEID_AGE = 16  # the plans' VNeID target counts citizens from 16


class _Holders(Indicator):
    """Residents of an age whose latest record of a fact is at least a value, by the period's end."""

    fact: str
    minimum: int = 1
    age: int = ADULT_AGE
    cumulative = True
    dimensions = (Dimension.VILLAGE, Dimension.GENDER, Dimension.AGE_BAND)

    @classmethod
    def count(cls, commune_ids: Sequence[int], period: Period, by: Dimension | None = None) -> Counts:
        return breakdowns.count_people(services.holders(cls.fact, period.last_day, cls.minimum), commune_ids,
                                       year=period.year, by=by, where=[breakdowns.adult(period.year, cls.age)])


@indicators.register
class SmartphoneAdults(_Holders):
    code = "smartphone_adults"
    name = _l("Người trưởng thành có điện thoại thông minh")
    order = 70
    population = Population.ADULTS
    fact = "smartphone"


@indicators.register
class PaymentAccounts(_Holders):
    code = "payment_accounts"
    name = _l("Người trưởng thành có tài khoản thanh toán điện tử")
    order = 71
    population = Population.ADULTS
    fact = "payment_account"


@indicators.register
class VneidLevel2(_Holders):
    code = "vneid_level2"
    name = _l("Công dân từ 16 tuổi có tài khoản định danh điện tử VNeID mức 2")
    order = 72
    population = Population.AGED_16
    fact = "vneid"
    minimum = 2
    age = VNEID_AGE
