"""Forms for markets and stalls."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app import inputs
from app.forms import NEED_DATE, CleanForm, DayField, MultiCheckboxField, choices
from app.markets.services import FACTS, KINDS, MAX_LABEL, PLATFORMS


def record_or_zero(value: Any) -> int:
    """Read a picked id; anything that is not one (a forged value, "none") reads as 0, meaning "none"."""
    if isinstance(value, int):
        return value
    try:
        return inputs.record_id(value)
    except (TypeError, ValueError):
        return 0





class MarketForm(CleanForm):
    """A market, a trading point or a shopping street."""

    name = StringField(_l("Tên chợ hoặc điểm kinh doanh"),
                       validators=[DataRequired(_l("Vui lòng nhập tên chợ hoặc điểm kinh doanh.")), Length(max=160)])
    kind = SelectField(_l("Loại"), choices=choices(KINDS.items()), validate_choice=False)
    village_id = SelectField(_l("Thôn/tổ dân phố"), coerce=record_or_zero, validate_choice=False)
    address = StringField(_l("Địa chỉ"), validators=[Optional(), Length(max=255)])


class StallForm(CleanForm):
    """A stall: its number, what it sells, who trades there, and the 4T facts as checked on a day."""

    label = StringField(_l("Số quầy"), validators=[DataRequired(_l("Vui lòng nhập số quầy.")), Length(max=MAX_LABEL)],
                        render_kw={"autocomplete": "off"})
    goods = StringField(_l("Mặt hàng (ví dụ: rau, cá, quần áo)"), validators=[Optional(), Length(max=120)])
    business_name = StringField(_l("Tên cửa hàng (biển hiệu, không ghi họ tên người bán)"),
                                validators=[Optional(), Length(max=120)])
    trader_id = SelectField(_l("Người bán (tiểu thương đã đồng ý được hỗ trợ kỹ năng số)"), coerce=record_or_zero,
                            validate_choice=False)
    qr_payment = BooleanField(FACTS["qr_payment"].label)
    online_sales = BooleanField(FACTS["online_sales"].label)
    platforms = MultiCheckboxField(_l("Bán trên nền tảng nào"), choices=choices(PLATFORMS.items()),
                                   validate_choice=False)
    digital_savings = BooleanField(FACTS["digital_savings"].label)
    e_invoice = BooleanField(FACTS["e_invoice"].label)
    checked_on = DayField(_l("Ngày kiểm tra"), validators=[InputRequired(NEED_DATE)])
    recheck = BooleanField(_l("Đã hỏi lại cả 4 mục vào ngày này"))
