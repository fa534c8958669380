"""Forms for completion rules and for revoking or reissuing a certificate."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import CleanForm, choices


class RulesForm(CleanForm):
    """What a learner must do to complete a class, and who confirms it."""

    attendance_percent = IntegerField(_l("Tỉ lệ buổi học phải tham dự (%)"),
                                      validators=[InputRequired(), NumberRange(0, 100)])
    require_assessment = BooleanField(_l("Phải đạt bài kiểm tra của từng học phần"))
    require_practical = BooleanField(_l("Phải làm được mọi bài thực hành của học phần"))
    confirmation = RadioField(_l("Ai xác nhận hoàn thành"), choices=choices([
        ("officer", _l("Cán bộ xã xác nhận cho cả lớp bằng một nút bấm")),
        ("auto", _l("Tự động khi học viên đủ điều kiện"))]), validators=[DataRequired()])
    officer_name = StringField(_l("Người ký giấy chứng nhận (họ tên)"), validators=[Optional(), Length(max=120)])
    officer_title = StringField(_l("Chức vụ người ký (ví dụ: Chủ tịch Ủy ban nhân dân)"),
                                validators=[Optional(), Length(max=160)])


class RevokeForm(CleanForm):
    """Revoke a certificate, with the reason."""

    reason = TextAreaField(_l("Lý do thu hồi"), validators=[DataRequired(_l("Vui lòng ghi rõ lý do thu hồi.")),
                                                             Length(min=5, max=1000)])


class ReissueForm(CleanForm):
    """Issue again under the same serial after the person's name was corrected."""

    reason = StringField(_l("Lý do cấp lại"), default=_l("Sửa họ tên"), validators=[Optional(), Length(max=200)])
