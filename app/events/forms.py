"""Forms of the organisers' pages: an event, a station, a volunteer's shift. Choices that depend on the commune
(venues, stations, people found) and on the curriculum (skills, modules) are filled in by the routes."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app import inputs
from app.events.kinds import DUTIES, EVENT_KINDS, TOPICS
from app.events.planning import DESCRIPTION_MAX
from app.events.roster import NOTE_MAX
from app.forms import NEED_DATE, CleanForm, DayField, MultiCheckboxField, choices

NEED_TIME = _l("Vui lòng nhập giờ (ví dụ 07:30).")
OWN_TOPIC = _l("— Tự đặt nội dung —")


def record_or_zero(value: Any) -> int:
    """Read a picked id; anything that is not one (a forged value, "none") reads as 0, meaning "none"."""
    if isinstance(value, int):
        return value
    try:
        return inputs.record_id(value)
    except (TypeError, ValueError):
        return 0


class HourField(TimeField):
    """A time of day (hh:mm) whose "not a time" message is Vietnamese (WTForms' own is English)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(NEED_TIME)) from error


def kind_choices() -> list[Any]:
    return choices((code, kind.label) for code, kind in EVENT_KINDS.items())


def topic_choices() -> list[Any]:
    return choices([("", OWN_TOPIC), *((code, topic.name) for code, topic in TOPICS.items())])


class EventForm(CleanForm):
    """An event's details."""

    kind = SelectField(_l("Loại hoạt động"), choices=kind_choices())
    name = StringField(_l("Tên hoạt động"), validators=[DataRequired(_l("Hãy đặt tên cho hoạt động.")),
                                                        Length(max=160)])
    held_on = DayField(_l("Ngày tổ chức"), validators=[InputRequired(NEED_DATE)])
    opens_at = HourField(_l("Giờ bắt đầu"), validators=[InputRequired(NEED_TIME)])
    closes_at = HourField(_l("Giờ kết thúc"), validators=[InputRequired(NEED_TIME)])
    venues = MultiCheckboxField(_l("Địa điểm của xã"), coerce=record_or_zero, validate_choice=False)
    place_note = StringField(_l("Nơi khác hoặc ghi chú địa điểm (ví dụ: Chợ Tiên Minh, cổng chợ)"),
                             validators=[Optional(), Length(max=255)])


class NewEventForm(EventForm):
    """A new event; a weekly session or a mobile point also names the one thing it teaches."""

    topic = SelectField(_l("Nội dung có sẵn"), choices=topic_choices())
    station_name = StringField(_l("Hoặc tự đặt tên nội dung"), validators=[Optional(), Length(max=120)])
    module_id = SelectField(_l("Học phần dùng kèm (không bắt buộc)"), coerce=record_or_zero, validate_choice=False)


class NewStationForm(CleanForm):
    """A station from a ready-made topic, or one of the organiser's own (details follow on its page)."""

    topic = SelectField(_l("Chủ đề có sẵn"), choices=topic_choices())
    name = StringField(_l("Tên trạm (để trống: theo chủ đề)"), validators=[Optional(), Length(max=120)])


class StationForm(CleanForm):
    """Everything about a station."""

    name = StringField(_l("Tên trạm"), validators=[DataRequired(_l("Hãy đặt tên trạm.")), Length(max=120)])
    description = TextAreaField(_l("Giới thiệu ngắn (người hướng dẫn đọc cho người dân)"),
                                validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    skills = MultiCheckboxField(_l("Kỹ năng trong khung"), validate_choice=False)
    module_id = SelectField(_l("Học phần"), coerce=record_or_zero, validate_choice=False)
    checklist = TextAreaField(_l("Các bước thực hành (mỗi dòng một bước)"), validators=[Optional(), Length(max=3000)])
    materials = TextAreaField(_l("Đồ dùng cần chuẩn bị (mỗi dòng một thứ)"), validators=[Optional(), Length(max=3000)])
    venue_id = SelectField(_l("Đặt ở đâu"), coerce=record_or_zero, validate_choice=False)
    quiz = BooleanField(_l("Có 3 câu hỏi nhanh từ ngân hàng câu hỏi của học phần"))
    redraw = BooleanField(_l("Rút lại câu hỏi khác"))


class ShiftForm(CleanForm):
    """A volunteer's shift: who (picked from a name search), what, where and when."""

    person_id = RadioField(_l("Người nhận ca"), coerce=record_or_zero, validate_choice=False,
                           validators=[DataRequired(_l("Hãy tìm và chọn một người."))])
    duty = SelectField(_l("Việc"), choices=choices((code, duty.label) for code, duty in DUTIES.items()))
    station_id = SelectField(_l("Trạm (khi hướng dẫn tại trạm)"), coerce=record_or_zero, validate_choice=False)
    starts_at = HourField(_l("Từ"), validators=[InputRequired(NEED_TIME)])
    ends_at = HourField(_l("Đến"), validators=[InputRequired(NEED_TIME)])
    note = StringField(_l("Ghi chú (ví dụ: mang loa, trực điện thoại)"), validators=[Optional(), Length(max=NOTE_MAX)])
