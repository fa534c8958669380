"""Indicators the app cannot see in its own data, entered by hand for a period (who entered them, and when, is kept).

When a feature starts recording what one of these counts (door-to-door visits, a person's smartphone), it registers
a computed indicator under the same code, and `register()` here leaves that code alone.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import indicators
from app.indicators import Indicator, Population, Unit


class Manual(Indicator):
    """Entered per period, for the commune or per village."""

    manual = True


class DoorToDoorPeople(Manual):
    code = "door_to_door_people"
    name = _l("Người dân được Tổ công nghệ số cộng đồng tới tận nhà phổ cập kỹ năng số")
    order = 60


class DoorToDoorHouseholds(Manual):
    code = "door_to_door_households"
    name = _l("Hộ gia đình được Tổ công nghệ số cộng đồng tới tận nhà")
    order = 61
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS


class DigitalFamilies(Manual):
    code = "digital_families"
    name = _l("Hộ gia đình đạt tiêu chí “Gia đình số”")
    order = 62
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS
    cumulative = True


class HouseholdsInformed(Manual):
    code = "households_informed"
    name = _l("Hộ gia đình được tuyên truyền về Phong trào")
    order = 63
    unit = Unit.HOUSEHOLDS
    population = Population.HOUSEHOLDS
    cumulative = True


class SmartphoneAdults(Manual):
    code = "smartphone_adults"
    name = _l("Người trưởng thành có điện thoại thông minh")
    order = 70
    population = Population.ADULTS
    cumulative = True


class PaymentAccounts(Manual):
    code = "payment_accounts"
    name = _l("Người trưởng thành có tài khoản thanh toán điện tử")
    order = 71
    population = Population.ADULTS
    cumulative = True


class VneidLevel2(Manual):
    code = "vneid_level2"
    name = _l("Công dân từ 16 tuổi có tài khoản định danh điện tử VNeID mức 2")
    order = 72
    population = Population.AGED_16
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


MANUAL: tuple[type[Indicator], ...] = (
    DoorToDoorPeople, DoorToDoorHouseholds, DigitalFamilies, HouseholdsInformed, SmartphoneAdults, PaymentAccounts,
    VneidLevel2, Articles, Influencers,
)


def register() -> None:
    """Register the hand-entered indicators whose codes no feature computes."""
    for indicator in MANUAL:
        if indicator.code not in indicators.REGISTRY:
            indicators.register(indicator)
