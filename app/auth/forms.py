"""Sign-in and credential forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import CleanForm, OptionalIntegerField, choices
from app.people.consents import METHODS


class LoginForm(CleanForm):
    """Phone number and password or PIN."""

    phone = StringField(_l("Số điện thoại"), validators=[DataRequired(_l("Vui lòng nhập số điện thoại."))],
                        render_kw={"autocomplete": "username", "inputmode": "tel"})
    secret = PasswordField(_l("Mật khẩu hoặc mã PIN (6 số)"),
                           validators=[DataRequired(_l("Vui lòng nhập mật khẩu hoặc mã PIN."))],
                           render_kw={"autocomplete": "current-password"})


class CredentialsForm(CleanForm):
    """Set a new password and/or PIN; blank fields are left unchanged."""

    password = PasswordField(_l("Mật khẩu mới (ít nhất 8 ký tự)"), validators=[Optional(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    pin = PasswordField(_l("Mã PIN mới (6 chữ số)"), validators=[Optional(), Length(max=6)],
                        render_kw={"autocomplete": "off", "inputmode": "numeric", "maxlength": "6"})


class AccountCredentialsForm(CredentialsForm):
    """Change one's own password or PIN: the current one first, so an open session alone cannot."""

    current = PasswordField(_l("Mật khẩu hoặc mã PIN hiện tại"), validators=[Optional(), Length(max=200)],
                            render_kw={"autocomplete": "current-password"})


class UnlockForm(CleanForm):
    """Lift a sign-in lock (the CSRF token only)."""


class MatchForm(CleanForm):
    """After a first VNeID login: find one's existing record by phone and birth year."""

    phone = StringField(_l("Số điện thoại đã đăng ký ở lớp học"),
                        validators=[DataRequired(_l("Vui lòng nhập số điện thoại."))],
                        render_kw={"autocomplete": "tel", "inputmode": "tel"})
    birth_year = OptionalIntegerField(_l("Năm sinh"), validators=[
        DataRequired(_l("Vui lòng nhập năm sinh.")), NumberRange(1900, 2100, _l("Năm sinh không hợp lệ."))],
        render_kw={"inputmode": "numeric", "maxlength": "4"})


class NewLearnerForm(CleanForm):
    """After a first VNeID login: become a learner, with name, birth year and gender from VNeID."""

    place = SelectField(_l("Nơi bạn sống (thôn/tổ dân phố, xã)"),
                        validators=[DataRequired(_l("Vui lòng chọn nơi bạn sống."))])
    consent = BooleanField(_l("Tôi đồng ý cho xã xử lý họ tên, năm sinh, giới tính và nơi sống của tôi để xếp lớp, "
                              "điểm danh, đánh giá và cấp giấy chứng nhận."),
                           validators=[DataRequired(_l("Cần có sự đồng ý của bạn để tạo hồ sơ học viên."))])


class VouchForm(CleanForm):
    """An instructor creates the account of someone without a smartphone or VNeID, and vouches for them."""

    pin = PasswordField(_l("Mã PIN (6 chữ số)"), validators=[DataRequired(_l("Vui lòng đặt mã PIN.")), Length(max=6)],
                        render_kw={"autocomplete": "off", "inputmode": "numeric", "maxlength": "6"})
    citizen_id = StringField(_l("Số định danh cá nhân (12 số, không bắt buộc)"),
                             validators=[Optional(), Length(max=20)],
                             render_kw={"autocomplete": "off", "inputmode": "numeric"})
    consent_method = RadioField(_l("Người này đồng ý liên kết VNeID bằng hình thức"),
                                choices=choices(METHODS.items()), validators=[Optional()],
                                validate_choice=False)  # only needed with a number; the service checks it
