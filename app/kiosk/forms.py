"""Kiosk forms: a staff member's secret to leave kiosk mode, a commune's idle times, the one-tap check-in."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from app.forms import CleanForm
from app.kiosk.settings import MINUTES


class ExitForm(CleanForm):
    """The phone number and PIN or password of a staff member of the commune."""

    phone = StringField(_l("Số điện thoại của cán bộ hoặc người hướng dẫn"),
                        validators=[DataRequired(_l("Vui lòng nhập số điện thoại."))],
                        render_kw={"autocomplete": "off", "inputmode": "tel"})
    secret = PasswordField(_l("Mật khẩu hoặc mã PIN (6 số)"),
                           validators=[DataRequired(_l("Vui lòng nhập mật khẩu hoặc mã PIN."))],
                           render_kw={"autocomplete": "off"})


class CheckinForm(CleanForm):
    """"Tôi có mặt": the CSRF token only."""


def _minutes(label: str) -> IntegerField:
    low, high = MINUTES
    return IntegerField(label, render_kw={"inputmode": "numeric"},
                        validators=[InputRequired(_l("Vui lòng nhập một số.")),
                                    NumberRange(low, high, _l("Giá trị phải từ %(low)s đến %(high)s.", low=low,
                                                              high=high))])


class SettingsForm(CleanForm):
    """A commune's kiosk idle times, in minutes."""

    lesson_minutes = _minutes(_l("Khi đang đọc, nghe bài học hoặc làm câu hỏi kiểm tra (phút)"))
    other_minutes = _minutes(_l("Ở các trang khác (phút)"))
