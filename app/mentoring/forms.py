"""Forms of the mentoring feature: a guidance contact, a link, the commune's target, a help-desk entry."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SearchField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import NEED_DATE, CleanForm, DayField, MultiCheckboxField
from app.mentoring.services import NOTE_MAX, TARGET_LIMITS


class ContactForm(CleanForm):
    """One guidance contact: the mentee (tapped in the list), the skill, the day, an optional note."""

    mentee_id = RadioField(_l("Người được hướng dẫn"), coerce=int,
                           validators=[InputRequired(_l("Hãy chọn người được hướng dẫn."))])
    skill = SelectField(_l("Kỹ năng đã hướng dẫn"), validators=[InputRequired(_l("Hãy chọn kỹ năng đã hướng dẫn."))])
    contacted_on = DayField(_l("Ngày hướng dẫn"), validators=[InputRequired(NEED_DATE)])
    note = StringField(_l("Ghi chú ngắn (không bắt buộc)"), validators=[Length(max=NOTE_MAX)])
    can_now = MultiCheckboxField(_l("Từ hôm nay người này đã tự làm được (không bắt buộc)"), validators=[Optional()])


class LinkForm(CleanForm):
    """The person an ambassador takes on."""

    person_id = HiddenField()


class SearchForm(CleanForm):
    """Look for a resident by name or phone."""

    class Meta(CleanForm.Meta):
        csrf = False

    q = SearchField(_l("Tìm theo tên hoặc số điện thoại"), validators=[Length(max=60)])


class TargetForm(CleanForm):
    """The commune's mentee target per ambassador."""

    mentee_target = IntegerField(
        _l("Số người mỗi đại sứ số cần hướng dẫn"), render_kw={"inputmode": "numeric"},
        validators=[InputRequired(_l("Vui lòng nhập một số.")),
                    NumberRange(*TARGET_LIMITS, message=_l("Chỉ tiêu phải từ %(min)s đến %(max)s người."))])


class HelpdeskForm(CleanForm):
    """A citizen helped at the office: what with, and who (a resident's phone, or just an age band and village)."""

    service = SelectField(_l("Việc đã hỗ trợ"), validators=[InputRequired(_l("Hãy chọn việc đã hỗ trợ."))])
    helped_on = DayField(_l("Ngày hỗ trợ"), validators=[InputRequired(NEED_DATE)])
    phone = StringField(_l("Số điện thoại người dân (nếu đã có trong hệ thống và đồng ý)"),
                        render_kw={"inputmode": "tel", "autocomplete": "off"}, validators=[Length(max=15)])
    age_band = SelectField(_l("Nhóm tuổi (nếu không ghi số điện thoại)"), validators=[Optional()])
    village_id = SelectField(_l("Thôn (nếu không ghi số điện thoại)"), validators=[Optional()])
    note = StringField(_l("Ghi chú ngắn (không bắt buộc)"), validators=[Length(max=NOTE_MAX)])
