"""The mock provider's approval and logout confirmation forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import Length, Optional

from app.forms import CleanForm, choices
from app.mockvneid.citizens import DEMO_CITIZENS


class ApproveForm(CleanForm):
    """Pick a demo citizen, or type any 12-digit ID number."""

    citizen = RadioField(_l("Chọn công dân mẫu"), validate_choice=False,
                         choices=choices((c.id_number, _l("%(name)s — sinh năm %(year)s — tài khoản mức %(level)s",
                                                          name=c.full_name, year=(c.birthdate or "")[:4],
                                                          level=c.level))
                                         for c in DEMO_CITIZENS))
    citizen_id = StringField(_l("Hoặc nhập số định danh cá nhân (12 số)"), validators=[Optional(), Length(max=20)],
                             render_kw={"inputmode": "numeric", "autocomplete": "off"})


class ConfirmLogoutForm(CleanForm):
    """Confirm ending the session at the provider."""
