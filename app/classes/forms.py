"""Forms for classes, sessions, series, enrolment and walk-ins."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.classes.enrolment import WALK_IN_CONSENT
from app.classes.services import MAX_CAPACITY
from app.classes.sessions import MAX_WEEKS, WEEKDAYS
from app.forms import NEED_DATE, CleanForm, DayField, MultiCheckboxField, OptionalIntegerField, choices
from app.people.audiences import LABELS

NEED_TIME = _l("Vui lòng nhập giờ (ví dụ 08:00).")


class ClassForm(CleanForm):
    """A class: who it is for, where and when, what it covers, who runs it and what support it offers."""

    title = StringField(_l("Tên lớp"), validators=[DataRequired(_l("Vui lòng nhập tên lớp.")), Length(max=200)])
    audience = SelectField(_l("Đối tượng"), choices=choices(LABELS.items()))
    venue_id = SelectField(_l("Địa điểm học"), coerce=int, validators=[DataRequired(_l("Vui lòng chọn địa điểm học."))])
    capacity = IntegerField(_l("Sức chứa (số học viên)"), default=20, render_kw={"inputmode": "numeric"},
                            validators=[InputRequired(_l("Vui lòng nhập sức chứa.")),
                                        NumberRange(1, MAX_CAPACITY, _l("Sức chứa phải từ 1 đến %(max)s.",
                                                                        max=MAX_CAPACITY))])
    starts_on = DayField(_l("Ngày khai giảng"), validators=[InputRequired(NEED_DATE)])
    ends_on = DayField(_l("Ngày kết thúc"), validators=[InputRequired(NEED_DATE)])
    modules = MultiCheckboxField(_l("Học phần"), coerce=int)
    instructors = MultiCheckboxField(_l("Người hướng dẫn"), coerce=int)
    assistants = MultiCheckboxField(_l("Trợ giảng"), coerce=int)
    description = TextAreaField(_l("Giới thiệu lớp"), validators=[Optional(), Length(max=2000)])
    wheelchair_access = BooleanField(_l("Xe lăn vào được"))
    large_print = BooleanField(_l("Tài liệu chữ to"))
    sign_language = BooleanField(_l("Có phiên dịch ngôn ngữ ký hiệu"))
    hearing_loop = BooleanField(_l("Có vòng từ hỗ trợ máy trợ thính"))
    access_notes = TextAreaField(_l("Ghi chú về hỗ trợ (ví dụ: có người dắt lối, mang kính lúp)"),
                                 validators=[Optional(), Length(max=2000)])


class SessionForm(CleanForm):
    """One session; moving it asks why, so learners see the reason."""

    date = DayField(_l("Ngày học"), validators=[InputRequired(NEED_DATE)])
    start_time = TimeField(_l("Giờ bắt đầu"), validators=[InputRequired(NEED_TIME)])
    end_time = TimeField(_l("Giờ kết thúc"), validators=[InputRequired(NEED_TIME)])
    venue_id = SelectField(_l("Địa điểm"), coerce=int, validators=[DataRequired(_l("Vui lòng chọn địa điểm."))])
    module_id = SelectField(_l("Học phần của buổi này"), coerce=int, validators=[Optional()])
    topic = StringField(_l("Nội dung (ví dụ: thực hành chuyển khoản bằng mã QR)"),
                        validators=[Optional(), Length(max=200)])
    reason = StringField(_l("Lý do đổi lịch (học viên sẽ thấy)"), validators=[Optional(), Length(max=255)])


class SeriesForm(CleanForm):
    """A weekly series: "one digital skill a week"."""

    first_date = DayField(_l("Bắt đầu từ ngày"), validators=[InputRequired(NEED_DATE)])
    weekday = SelectField(_l("Học vào"), coerce=int, choices=choices(WEEKDAYS.items()))
    start_time = TimeField(_l("Giờ bắt đầu"), validators=[InputRequired(NEED_TIME)])
    end_time = TimeField(_l("Giờ kết thúc"), validators=[InputRequired(NEED_TIME)])
    weeks = IntegerField(_l("Số tuần"), default=6, render_kw={"inputmode": "numeric"},
                         validators=[InputRequired(_l("Vui lòng nhập số tuần.")),
                                     NumberRange(1, MAX_WEEKS, _l("Số tuần phải từ 1 đến %(max)s.", max=MAX_WEEKS))])
    venue_id = SelectField(_l("Địa điểm"), coerce=int, validators=[DataRequired(_l("Vui lòng chọn địa điểm."))])
    module_per_week = BooleanField(_l("Mỗi tuần một học phần, theo thứ tự của lớp"), default=True)
    topic = StringField(_l("Nội dung chung (không bắt buộc)"), validators=[Optional(), Length(max=200)])
    skip_conflicts = BooleanField(_l("Bỏ qua các ngày bị trùng, chỉ tạo các buổi còn lại"))


class ReasonForm(CleanForm):
    """Cancel or restore a session, with a reason learners will see."""

    reason = StringField(_l("Lý do"), validators=[Optional(), Length(max=255)])


class WalkInForm(CleanForm):
    """A newcomer at the door: only name, birth year and village, and their consent."""

    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Vui lòng nhập họ và tên.")), Length(max=120)],
                            render_kw={"autocomplete": "off"})
    birth_year = OptionalIntegerField(_l("Năm sinh"), render_kw={"inputmode": "numeric", "maxlength": 4},
                                      validators=[DataRequired(_l("Vui lòng nhập năm sinh.")),
                                                  NumberRange(1900, 2100, _l("Năm sinh không hợp lệ."))])
    village_id = SelectField(_l("Thôn/tổ dân phố"), coerce=int, validators=[DataRequired(_l("Vui lòng chọn thôn."))])
    consent = BooleanField(_l("Người học đã đồng ý cho xử lý họ tên, năm sinh, thôn để tham gia lớp"),
                           validators=[DataRequired(_l("Cần có sự đồng ý của người học."))])
    consent_method = RadioField(_l("Hình thức đồng ý"), choices=choices(WALK_IN_CONSENT.items()), default="verbal")


class EnrolForm(CleanForm):
    """Enrol someone found by the search; their consent is ticked here when none is on record."""

    person_id = HiddenField(validators=[DataRequired()])
    consent = BooleanField(_l("Đã đồng ý (bằng lời hoặc ký phiếu)"))
    consent_method = HiddenField(default="verbal")


class JoinForm(CleanForm):
    """A learner enrols themself."""

    consent = BooleanField(_l("Tôi đồng ý cho xã xử lý họ tên, năm sinh, thôn và số điện thoại của tôi để xếp lớp, "
                              "điểm danh và cấp giấy chứng nhận."))


class PlainForm(CleanForm):
    """A button that only needs the CSRF token (regenerate a calendar address)."""


class ConfirmForm(CleanForm):
    """The confirmation page of a dangerous action: the action runs only when this hidden field came with it."""

    # No default: a request without the field (an old one-tap button, a forged post) must not count as confirmed.
    confirm = HiddenField()

    @property
    def confirmed(self) -> bool:
        """Tell whether the request came from the confirmation page (old one-tap buttons do not send the field)."""
        return self.confirm.data == "yes"


class CancelClassForm(ConfirmForm):
    """Confirm cancelling a class, with a reason learners will see."""

    reason = StringField(_l("Lý do hủy (không bắt buộc, học viên sẽ thấy)"), validators=[Optional(), Length(max=255)])
