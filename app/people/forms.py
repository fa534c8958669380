"""Forms for people, consent, sensitive data and roles."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import CleanForm, MultiCheckboxField, OptionalIntegerField, choices
from app.people.audiences import LABELS, STORED
from app.people.consents import METHODS, PURPOSES
from app.people.sensitive import DISABILITY_KINDS
from app.people.services import GENDERS
from app.policy import ROLE_LABELS


class PersonForm(CleanForm):
    """Only what the programme needs (minimal collection): no ID number, no address of one's own."""

    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Vui lòng nhập họ và tên.")),
                                                        Length(max=120)],
                            render_kw={"autocomplete": "name"})
    birth_year = OptionalIntegerField(_l("Năm sinh"), validators=[
        Optional(), NumberRange(1900, 2100, _l("Năm sinh không hợp lệ."))],
        render_kw={"inputmode": "numeric"})
    gender = SelectField(_l("Giới tính"), choices=choices([("", _l("— Không ghi —")), *GENDERS.items()]),
                         validators=[Optional()])
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), Length(max=20)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    village_id = SelectField(_l("Thôn/tổ dân phố"), coerce=int, validators=[Optional()])
    household_id = SelectField(_l("Hộ gia đình"), coerce=int, validators=[Optional()])
    tags = MultiCheckboxField(_l("Đối tượng"), choices=choices((a.value, LABELS[a]) for a in STORED))


class ConsentForm(CleanForm):
    """Record a consent the person has just given."""

    purpose = SelectField(_l("Mục đích"), choices=choices((p.code, p.label) for p in PURPOSES.values()))
    method = RadioField(_l("Hình thức đồng ý"), choices=choices(METHODS.items()),
                        validators=[DataRequired(_l("Vui lòng chọn hình thức đồng ý."))])
    note = StringField(_l("Ghi chú (ví dụ: số phiếu, người làm chứng)"), validators=[Optional(), Length(max=255)])


def consent_form(*, sensitive: bool) -> ConsentForm:
    """The consent form, offering sensitive purposes only to those who may see sensitive data."""
    form = ConsentForm()
    form.purpose.choices = choices((p.code, p.label) for p in PURPOSES.values() if sensitive or not p.sensitive)
    return form


class WithdrawForm(CleanForm):
    """Withdraw a consent."""

    note = StringField(_l("Lý do hoặc ghi chú"), validators=[Optional(), Length(max=255)])


class DisabilityForm(CleanForm):
    """Sensitive: kinds of disability and support needs."""

    kinds = MultiCheckboxField(_l("Dạng khuyết tật"), choices=choices(DISABILITY_KINDS.items()),
                               validators=[DataRequired(_l("Vui lòng chọn ít nhất một mục."))])
    needs = TextAreaField(_l("Cần hỗ trợ gì khi học (ví dụ: chữ to, phiên dịch ngôn ngữ ký hiệu, lối đi cho xe lăn)"),
                          validators=[Optional(), Length(max=500)])


class RoleForm(CleanForm):
    """Give a person a role in this commune, or in one village of it."""

    role = SelectField(_l("Vai trò"), choices=choices((r.value, label) for r, label in ROLE_LABELS.items()))
    village_id = SelectField(_l("Phạm vi"), coerce=int, validators=[Optional()])


class HouseholdForm(CleanForm):
    """A household."""

    address = StringField(_l("Địa chỉ (số nhà, xóm)"), validators=[DataRequired(_l("Vui lòng nhập địa chỉ.")),
                                                                    Length(max=255)])
    village_id = SelectField(_l("Thôn/tổ dân phố"), coerce=int,
                             validators=[DataRequired(_l("Vui lòng chọn thôn."))])


class EraseForm(CleanForm):
    """Confirm erasing a person's data by typing their full name (the page says what will go)."""

    # No default: a post without the field (an old one-tap button, a forged post) never counts as confirmed.
    confirm = HiddenField()
    full_name = StringField(_l("Gõ họ và tên của người này để xác nhận"),
                            validators=[DataRequired(_l("Vui lòng gõ họ và tên của người cần xóa dữ liệu.")),
                                        Length(max=120)],
                            render_kw={"autocomplete": "off", "autocapitalize": "words", "spellcheck": "false"})

    @property
    def confirmed(self) -> bool:
        """Tell whether the post came from the confirmation page."""
        return self.confirm.data == "yes"
