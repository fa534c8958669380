"""Forms of the teams feature: a team per village, and a member picked by id (the visit form is read by services)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import CleanForm


class TeamForm(CleanForm):
    village_id = SelectField(_l("Thôn, tổ dân phố"), coerce=int, validators=[DataRequired(_l("Hãy chọn thôn."))])
    name = StringField(_l("Tên tổ (để trống: theo tên thôn)"), validators=[Optional(), Length(max=120)])


class PersonForm(CleanForm):
    person_id = HiddenField(validators=[DataRequired(_l("Hãy chọn một người."))])
