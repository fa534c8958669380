"""Indicators the app cannot see in its own data, entered by hand for a period (who entered them, and when, is kept).

The door-to-door visits, digital families, smartphones, payment accounts and VNeID level 2 are counted from what
teams, ambassadors and the office record (`teams`, `families`, `digital`). When a feature starts recording what one
of these counts, it registers a computed indicator under the same code and the class here goes.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import indicators
from app.indicators import Indicator, Population, Unit


class Manual(Indicator):
    """Entered per period, for the commune or per village."""

    manual = True


class HouseholdsInformed(Manual):
    code = "households_informed"
    name = _l("Hộ gia đình được tuyên truyền về Phong trào")
    order = 63
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS
    cumulative = True


class Articles(Manual):
    code = "articles"
    name = _l("Chuyên mục, chương trình, bài viết, bản tin về Phong trào")
    order = 80
    unit = Unit.ITEMS


class Influencers(Manual):
    code = "influencers"
    name = _l("Người có ảnh hưởng trong cộng đồng tham gia truyền thông, lan tỏa Phong trào")
    order = 81


MANUAL: tuple[type[Indicator], ...] = (HouseholdsInformed, Articles, Influencers)


def register() -> None:
    """Register the hand-entered indicators whose codes no feature computes."""
    for indicator in MANUAL:
        if indicator.code not in indicators.REGISTRY:
            indicators.register(indicator)
