"""Assessment settings form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.forms import CleanForm, OptionalIntegerField


class SettingsForm(CleanForm):
    """How a module (or every module) is assessed in a commune."""

    module_id = SelectField(_l("Áp dụng cho"), coerce=int)
    question_count = IntegerField(_l("Số câu hỏi mỗi lần làm"), validators=[InputRequired(), NumberRange(1, 50)])
    pass_percent = IntegerField(_l("Điểm đạt (phần trăm số câu đúng)"),
                                validators=[InputRequired(), NumberRange(1, 100)])
    max_attempts = IntegerField(_l("Số lần làm tối đa"), validators=[InputRequired(), NumberRange(1, 20)])
    wait_minutes = IntegerField(_l("Thời gian chờ giữa hai lần làm (phút)"),
                                validators=[InputRequired(), NumberRange(0, 10080)])
    shuffle_questions = BooleanField(_l("Đảo thứ tự câu hỏi"))
    shuffle_answers = BooleanField(_l("Đảo thứ tự đáp án"))
    time_limit_minutes = OptionalIntegerField(_l("Giới hạn thời gian (phút) — để trống nếu không giới hạn"),
                                              validators=[Optional(), NumberRange(1, 240)])
