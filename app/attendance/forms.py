"""Forms for attendance: the learner's short code and the commune's rules (joining a class reuses JoinForm)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange

from app import settings as kernel
from app.attendance.settings import AttendanceRules
from app.forms import CleanForm


class PlainForm(CleanForm):
    """A form with only its CSRF token: the roll call without a script, the paper entry."""


class CheckinForm(CleanForm):
    """The 6-digit code shown on the class's screen."""

    code = StringField(_l("Mã điểm danh (6 số trên màn hình của lớp)"),
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 7,
                                  "pattern": "[0-9 ]*", "class": "code-input"})


def _minutes(label: str, key: str) -> IntegerField:
    low, high = kernel.limits(AttendanceRules, key)
    return IntegerField(label, render_kw={"inputmode": "numeric"},
                        validators=[InputRequired(_l("Vui lòng nhập một số.")),
                                    NumberRange(low, high, _l("Giá trị phải từ %(low)s đến %(high)s.", low=low,
                                                              high=high))])


class SettingsForm(CleanForm):
    """A commune's attendance rules."""

    late_window_minutes = _minutes(_l("Mã QR còn dùng được sau giờ kết thúc (phút)"), "late_window_minutes")
    grace_minutes = _minutes(_l("Đến sau giờ bắt đầu bao nhiêu phút thì tính là muộn"), "grace_minutes")
    absentee_streak = _minutes(_l("Vắng liên tiếp bao nhiêu buổi thì cần hỏi thăm"), "absentee_streak")
